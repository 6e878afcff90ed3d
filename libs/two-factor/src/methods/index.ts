// nestjs-two-factor/methods: the built-in methods (descriptor, backend, config DTOs each),
// the senders the email and SMS methods deliver through, and everything a method of your own
// imports (the extension point).
export { DUMMY_METHOD } from './dummy/dummy.method.js';
export { DummyBackend } from './dummy/dummy.backend.js';
export { DummyGlobalConfigDto, DummyUserConfigDto } from './dummy/dummy.dto.js';
export * from './totp/index.js';
export * from './backup-codes/index.js';
export * from './email/index.js';
export * from './sms/index.js';
export { NodemailerEmailSender, type NodemailerEmailSenderOptions } from '../senders/nodemailer-email-sender.js';
export * from './webauthn/index.js';

// The extension point: a method is a descriptor plus a backend.
export { TwoFactorBackend } from '../method-api/backend.js';
export type {
  BackendContext,
  BoundOperation,
  Challenge,
  MethodConfigView,
  SingleUseClaim,
  UserConfigChange,
  UserConfigView,
  Verdict,
  VerdictObject,
} from '../method-api/backend.js';
export type { RateLimits } from '../method-api/rate-limits.js';
export { MethodRegistry } from '../method-api/method-registry.js';
export { defineMethod } from '../method-api/method-descriptor.js';
export type { JsonSchema, MethodDefinition, MethodDescriptor } from '../method-api/method-descriptor.js';
export { validateDto } from '../method-api/validate-dto.js';
export { SentCodeBackend, isCodeOf, renderCodeText, sentCodeText, type SendLimit } from '../method-api/sent-code.backend.js';
export { SentCodeGlobalConfigDto } from '../method-api/sent-code.dto.js';
export { EmailSender, type EmailMessage } from '../senders/email-sender.js';
export { SmsSender, type SmsMessage } from '../senders/sms-sender.js';
export { SecretBox } from '../secrets/secret-box.js';
export { randomDigits } from '../secrets/random-code.js';
