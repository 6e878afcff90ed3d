// nestjs-two-factor: what a host app imports. The module and its options, the services and
// their public result types, guards and decorators, errors, audit events, entities and
// migrations, messages, telemetry. Built-in methods and everything needed to write one live in
// 'nestjs-two-factor/methods', test helpers in '/testing', the dev outbox in '/dev'.
export { TwoFactorModule } from './two-factor.module.js';
export type { TwoFactorModuleExtras } from './two-factor.module-definition.js';
export { TWO_FACTOR_DEFAULTS, type TwoFactorOptions } from './options/two-factor.options.js';
export type { TwoFactorRequest } from './two-factor-request.js';
export { getMethodToken, InjectMethod, InjectTwoFactorOptions } from './options/two-factor.constants.js';

export { ConfirmerService, type CheckResult, type UseResult, type PublicUserConfigChangeResult } from './public-api/confirmer.service.js';
export type { Caller, RequestConfirmationInput, ConfirmInput, UseOptions } from './confirmations/confirmer.types.js';
// What every exported service answers: public views only (no code, hash, seed, unmasked address or private state).
export type {
  PublicAdminMethodConfig,
  PublicAdminUserConfig,
  PublicConfirmation,
  PublicDevice,
  PublicMethodConfig,
  PublicMethodConfigRef,
  PublicUserConfig,
  PublicUserConfigChange,
} from './public-api/public-views.js';
export { factorTitle } from './factors/factor-title.js';
export { UserConfigService } from './factors/user-config.service.js';
export type { CreateUserConfigInput, StepUp, UpdateUserConfigInput, UserConfigChangeResult } from './factors/user-config.service.js';
export type { PublicFactor } from './factors/public-factor.js';

// Sign-in second step, remembered devices, required enrolment.
export { SignInService } from './sign-in/sign-in.service.js';
export type {
  ConfirmSignInInput,
  SignInChallenge,
  SignInComplete,
  SignInConfirmed,
  SignInFactor,
  SignInPending,
  SignInStart,
  StartSignInInput,
  RecoveryStarted,
  EnrollmentOpening,
  SignInEnrollmentOpen,
  EnrolInSignInInput,
  ConfirmEnrollmentInput,
} from './sign-in/sign-in.types.js';
// Recovery (issue 22): the host's hook for the account's own address, and the options.
export { RecoveryNotifier, type RecoveryNotice } from './senders/recovery-notifier.js';
export type { RecoveryOptions, AccessCodeOptions } from './options/two-factor.options.js';
export { DeviceService, type RememberedDeviceToken } from './devices/device.service.js';
export { EnrollmentService, type EnrollmentStatus } from './enrollment/enrollment.service.js';
export type { EnrollmentPolicy } from './options/enrollment-policy.js';
export { RequireTwoFactorEnrollment, TwoFactorEnrollmentGuard, TWO_FACTOR_ENROLLMENT_DEADLINE_HEADER } from './http/step-up/require-enrollment.decorator.js';

// Administration: method configs, users' factors, confirmations (services, and the opt-in admin API's guard and tag).
export { MethodConfigService } from './admin/method-config.service.js';
export type { AdminActor, CreateMethodConfigInput, UpdateMethodConfigInput, RemoveMethodConfigOptions } from './admin/method-config.service.js';
export { UserConfigAdminService, type AdminUserConfigView } from './admin/user-config-admin.service.js';
export { AccessCodeAdminService, type IssuedAccessCode } from './admin/access-code-admin.service.js';
export { ConfirmationAdminService, MAX_CONFIRMATION_PAGE_SIZE, type ConfirmationPage } from './admin/confirmation-admin.service.js';
export type { ConfirmationFilter, ConfirmationSummary } from './persistence/admin.store.js';
export { TWO_FACTOR_ADMIN_API_TAG, type TwoFactorAdminOptions } from './admin/admin.options.js';
export { TwoFactorAdminGuard } from './http/admin/admin.guard.js';

// Writing a method (backend base, descriptor, registry, DTO validation, the sent-code base) and the
// senders the email and SMS methods deliver through: 'nestjs-two-factor/methods'.

export {
  AccessCode,
  AccountRecovery,
  ConfirmationState,
  FailureCounter,
  MethodConfig,
  PendingSignIn,
  RateCounter,
  RememberedDevice,
  UserConfig,
  Status,
  TWO_FACTOR_ENTITIES,
} from './entities/index.js';
export { ConfirmationPurpose } from './entities/purpose.js';
export { twoFactorMigrations } from './migrations/index.js';

export * from './errors/index.js';
// Messages: the catalogue, the translation hook's types, the nestjs-i18n adapter.
export {
  TWO_FACTOR_MESSAGES,
  TWO_FACTOR_MESSAGE_KEYS,
  isTwoFactorMessageKey,
  type TwoFactorMessage,
  type TwoFactorMessageKey,
  type TwoFactorMessageParams,
} from './i18n/messages.js';
export { renderMessage, englishMessage } from './i18n/render-message.js';
export { acceptLanguage } from './i18n/accept-language.js';
export type { TranslatableKey, TranslateContext, TwoFactorTranslate } from './i18n/translate.types.js';
export { MessageTranslator } from './translation/message-translator.js';
export { i18nTranslator, type I18nServiceLike, type I18nTranslatorOptions } from './i18n/nestjs-i18n.adapter.js';
export { TwoFactorExceptionFilter } from './http/errors/two-factor-exception.filter.js';
export { createTwoFactorValidationPipe } from './http/input/validation.pipe.js';
export type { ErrorBody } from './http/errors/error-body.js';
export { RequireTwoFactor } from './http/step-up/require-two-factor.decorator.js';
export { TwoFactorStepUpGuard, TWO_FACTOR_HEADER } from './http/step-up/two-factor-step-up.guard.js';
export { JsonBodyGuard } from './http/input/json-body.guard.js';
export { assertWithinInputLimits, isRowId, TWO_FACTOR_INPUT_LIMITS, TWO_FACTOR_NUMBER_LIMITS } from './http/input/input-limits.js';
export { IsAgeSeconds, IsPageNumber, IsRowId } from './http/input/bounded-numbers.js';
export { isDatabaseUnavailable } from './http/errors/database-outage.js';
export { TwoFactorEvent, type TwoFactorAuditEvent, type TwoFactorEventName } from './events/two-factor.events.js';
export { TWO_FACTOR_METRICS } from './telemetry/metric-names.js';
export { TwoFactorHealthIndicator, type TwoFactorHealthDetails, type TwoFactorHealthOptions } from './telemetry/two-factor.health.js';
export { addTwoFactorOpenApi, TWO_FACTOR_BEARER_SCHEME, TWO_FACTOR_OPENAPI_TAGS } from './http/openapi.js';

// Host wiring: shipped sign-in routes, seeding, public-route metadata for deny-by-default guards.
export { TWO_FACTOR_SIGN_IN_HANDLER, type SignInHandler, type SignInCookieOptions, type TwoFactorSignInRoutesOptions } from './http/sign-in/sign-in-handler.js';
export { TWO_FACTOR_DEVICE_HEADER } from './http/sign-in/device-cookie.js';
export {
  TWO_FACTOR_PUBLIC_ROUTE,
  isTwoFactorPublicRoute,
  twoFactorRouteAccess,
  type HostPublicRouteMetadata,
  type TwoFactorRouteAccess,
} from './http/public-route.js';
