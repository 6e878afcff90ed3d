export { WEBAUTHN_METHOD } from './webauthn.method.js';
export { WebAuthnBackend, COUNTER_REGRESSED } from './webauthn.backend.js';
export { operationChallenge } from './webauthn.options.js';
export { WebAuthnGlobalConfigDto, WebAuthnUserConfigDto, USER_VERIFICATION_POLICIES } from './webauthn.dto.js';
export type { UserVerificationPolicy, WebAuthnCredentialRecord, WebAuthnStoredConfig } from './webauthn.dto.js';
