export { BACKUP_CODES_METHOD } from './backup-codes.method.js';
export { BackupCodesBackend } from './backup-codes.backend.js';
export { BackupCodesGlobalConfigDto, BackupCodesUserConfigDto, MAX_BACKUP_CODES } from './backup-codes.dto.js';
export type { BackupCodesStoredConfig } from './backup-codes.dto.js';
