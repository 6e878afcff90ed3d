export { TOTP_METHOD } from './totp.method.js';
export { TotpBackend } from './totp.backend.js';
export { TOTP_ALGORITHMS, TotpGlobalConfigDto, TotpUserConfigDto } from './totp.dto.js';
export type { TotpAlgorithm, TotpStoredConfig } from './totp.dto.js';
