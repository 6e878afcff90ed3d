import { defineMethod } from '../../method-api/method-descriptor.js';
import { EmailBackend } from './email.backend.js';
import { EmailGlobalConfigDto, EmailUserConfigDto } from './email.dto.js';

/** Codes sent by email. Needs an `EmailSender` provider (see `DevOutboxModule`, `NodemailerEmailSender`). */
export const EMAIL_METHOD = defineMethod({
  key: 'email',
  verboseName: 'Email code',
  backend: EmailBackend,
  globalConfigDto: EmailGlobalConfigDto,
  userConfigDto: EmailUserConfigDto,
  // RFC 8176 has no word for an emailed code: it is a one-time password.
  amr: ['otp'],
});
