// nestjs-two-factor/methods: the built-in methods (descriptor, backend, config DTOs each)
// and the senders the email and SMS methods deliver through.
export { DUMMY_METHOD } from './dummy/dummy.method.js';
export { DummyBackend } from './dummy/dummy.backend.js';
export { DummyGlobalConfigDto, DummyUserConfigDto } from './dummy/dummy.dto.js';
export * from './totp/index.js';
export * from './backup-codes/index.js';
export * from './email/index.js';
export * from './sms/index.js';
export { EmailSender, type EmailMessage } from '../senders/email-sender.js';
export { SmsSender, type SmsMessage } from '../senders/sms-sender.js';
export { NodemailerEmailSender, type NodemailerEmailSenderOptions } from '../senders/nodemailer-email-sender.js';
export * from './webauthn/index.js';
