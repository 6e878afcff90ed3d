import { defineMethod } from '../../method-api/method-descriptor.js';
import { TotpBackend } from './totp.backend.js';
import { TotpGlobalConfigDto, TotpUserConfigDto } from './totp.dto.js';

/** Authenticator apps (RFC 6238 TOTP): enrolment returns an `otpauth://` URI and its QR code once. */
export const TOTP_METHOD = defineMethod({
  key: 'totp',
  verboseName: 'Authenticator app',
  backend: TotpBackend,
  globalConfigDto: TotpGlobalConfigDto,
  userConfigDto: TotpUserConfigDto,
  // RFC 8176: a one-time password.
  amr: ['otp'],
});
