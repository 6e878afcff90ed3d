import { defineMethod } from '../../method-api/method-descriptor.js';
import { WebAuthnBackend } from './webauthn.backend.js';
import { WebAuthnGlobalConfigDto, WebAuthnUserConfigDto } from './webauthn.dto.js';

/** Passkeys and security keys (WebAuthn): enrolment returns `creation_options`, each request returns `request_options` as its challenge. */
export const WEBAUTHN_METHOD = defineMethod({
  key: 'webauthn',
  verboseName: 'Passkey or security key',
  backend: WebAuthnBackend,
  globalConfigDto: WebAuthnGlobalConfigDto,
  userConfigDto: WebAuthnUserConfigDto,
  // RFC 8176: proof of possession of a hardware-secured key; `user` when every assertion must carry user verification.
  amr: (config) => (config.user_verification === 'required' ? ['hwk', 'user'] : ['hwk']),
  phishingResistant: true,
  // The relying party (rp_id, origins) is the host's to say: never seeded.
  defaultGlobalConfig: null,
});
