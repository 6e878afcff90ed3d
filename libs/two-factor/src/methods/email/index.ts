export { EMAIL_METHOD } from './email.method.js';
export { EmailBackend } from './email.backend.js';
export { EmailGlobalConfigDto, EmailUserConfigDto, type EmailStoredConfig } from './email.dto.js';
export { maskEmail, normalizeEmail } from './email.address.js';
