import { defineMethod } from '../../method-api/method-descriptor.js';
import { BackupCodesBackend } from './backup-codes.backend.js';
import { BackupCodesGlobalConfigDto, BackupCodesUserConfigDto } from './backup-codes.dto.js';

/** One-time backup codes: a set shown once at enrolment (and on `regenerate`), each code usable once. */
export const BACKUP_CODES_METHOD = defineMethod({
  key: 'backup_codes',
  verboseName: 'Backup codes',
  backend: BackupCodesBackend,
  globalConfigDto: BackupCodesGlobalConfigDto,
  userConfigDto: BackupCodesUserConfigDto,
  // RFC 8176 has no word for a recovery code: it is a one-time password.
  amr: ['otp'],
});
