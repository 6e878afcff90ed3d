export { SMS_METHOD } from './sms.method.js';
export { SmsBackend } from './sms.backend.js';
export { SmsGlobalConfigDto, SmsUserConfigDto, type SmsStoredConfig } from './sms.dto.js';
export { maskPhone, parsePhone, phonePrefix, type PhoneNumberFacts, type PhoneRules } from './sms.number.js';
