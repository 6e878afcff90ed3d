// The public surface of the module: what apps may import, and nothing else.
export { TwoFactorModule } from './two-factor.module.js';
export type { TwoFactorModuleExtras } from './two-factor.module-definition.js';
export type { TwoFactorOptions, ResolvedTwoFactorOptions, TwoFactorRequest } from './two-factor.options.js';
export { resolveTwoFactorOptions } from './two-factor.options.js';
export { getMethodToken, InjectMethod, InjectTwoFactorOptions } from './two-factor.constants.js';

export { ConfirmerService } from './confirmer/confirmer.service.js';
export type { Caller, RequestConfirmationInput, ConfirmInput, CheckResult, UseOptions, UseResult, BoundBackend, MakeBackendInput, OnConfirmed } from './confirmer/confirmer.service.js';
export { UserConfigService } from './confirmer/user-config.service.js';
export type { CreateUserConfigInput, StepUp, UpdateUserConfigInput, UserConfigChangeResult } from './confirmer/user-config.service.js';
export { TwoFactorBackend } from './confirmer/backend.js';
export type { RateLimits } from './confirmer/rate-limiter.js';
export type { BackendContext, Challenge, MethodConfigView, SingleUseClaim, UserConfigChange, UserConfigView, Verdict } from './confirmer/backend.js';

export { MethodRegistry } from './registry/method-registry.js';
export { defineMethod } from './registry/method-descriptor.js';
export type { JsonSchema, MethodDefinition, MethodDescriptor } from './registry/method-descriptor.js';

export { SecretBox } from './secrets/secret-box.js';
export { randomDigits } from './secrets/random-code.js';
export { createTestBackendContext, type TestBackendContextOptions } from './testing/backend-context.js';

export { ConfirmationState, MethodConfig, RateCounter, UserConfig, Status, TWO_FACTOR_ENTITIES } from './entities/index.js';
export { twoFactorMigrations } from './migrations/index.js';

export * from './errors/index.js';
export { TwoFactorExceptionFilter } from './http/two-factor-exception.filter.js';
export { createTwoFactorValidationPipe } from './http/validation.pipe.js';
export { RequireTwoFactor } from './http/require-two-factor.decorator.js';
export { TwoFactorStepUpGuard, TWO_FACTOR_HEADER } from './http/two-factor-step-up.guard.js';
export { errorBody, toHttpException, type ErrorBody } from './http/error-body.js';
export { TwoFactorEvent, type TwoFactorAuditEvent, type TwoFactorEventName } from './events/two-factor.events.js';

export { DUMMY_METHOD } from './methods/dummy/dummy.method.js';
export { DummyBackend } from './methods/dummy/dummy.backend.js';
export { DummyGlobalConfigDto, DummyUserConfigDto } from './methods/dummy/dummy.dto.js';
export * from './methods/totp/index.js';
export * from './methods/backup-codes/index.js';

export { EmailSender, type EmailMessage } from './senders/email-sender.js';
export { SmsSender, type SmsMessage } from './senders/sms-sender.js';
export { NodemailerEmailSender, type NodemailerEmailSenderOptions } from './senders/nodemailer-email-sender.js';
export { DevOutbox, type OutboxMessage } from './senders/dev-outbox.js';
export { DevOutboxEmailSender, DevOutboxSmsSender } from './senders/dev-outbox.senders.js';
export { DevOutboxModule } from './senders/dev-outbox.module.js';

export * from './methods/email/index.js';
export * from './methods/sms/index.js';
