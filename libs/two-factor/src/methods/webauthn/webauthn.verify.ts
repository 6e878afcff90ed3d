import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { WebAuthnCredentialRecord, WebAuthnGlobalConfigDto } from './webauthn.dto.js';

/** A verification result: what was proven, or a stable word for why not (for the audit event). */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** What a proven registration yields: the credential and its first sign counter. */
export interface ProvenRegistration {
  credential: Omit<WebAuthnCredentialRecord, 'registered_at' | 'last_used_at'>;
  counter: number;
}

/** What a proven assertion yields. */
export interface ProvenAssertion {
  counter: number;
  backedUp: boolean;
}

/**
 * Maps the library's error messages to stable words. Best effort: an unknown
 * message is `invalid_response`, which refuses just the same.
 */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/origin/i.test(message)) return 'wrong_origin';
  if (/challenge/i.test(message)) return 'wrong_challenge';
  if (/user verification/i.test(message)) return 'user_verification_missing';
  if (/RP ?ID/i.test(message)) return 'wrong_rp_id';
  if (/counter/i.test(message)) return 'counter_regressed';
  return 'invalid_response';
}

/** Whether `data` has the JSON shape of a `PublicKeyCredential` with a `response` object. */
function isCredentialJson(data: Record<string, unknown>): boolean {
  return (
    typeof data.id === 'string' &&
    typeof data.rawId === 'string' &&
    data.type === 'public-key' &&
    typeof data.response === 'object' &&
    data.response !== null &&
    !Array.isArray(data.response)
  );
}

/** Verifies an attestation response against the registration's challenge, the allowed origins and the rp id. */
export async function verifyRegistration(
  data: Record<string, unknown>,
  challenge: string,
  global: WebAuthnGlobalConfigDto,
): Promise<Checked<ProvenRegistration>> {
  if (!isCredentialJson(data)) return { ok: false, reason: 'malformed_response' };
  const response = data as unknown as RegistrationResponseJSON;
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: global.origins,
      expectedRPID: global.rp_id,
      requireUserVerification: global.user_verification === 'required',
    });
    if (!result.verified) return { ok: false, reason: 'invalid_response' };
    const info = result.registrationInfo;
    const transports = Array.isArray(response.response.transports) ? response.response.transports.filter((t) => typeof t === 'string') : [];
    return {
      ok: true,
      value: {
        credential: {
          id: info.credential.id,
          public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
          transports: transports.slice(0, 8),
          aaguid: info.aaguid,
          backed_up: info.credentialBackedUp,
          device_type: info.credentialDeviceType,
          attestation_format: info.fmt,
        },
        counter: info.credential.counter,
      },
    };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

/**
 * Verifies an assertion of `credential` against the challenge, the allowed
 * origins and the rp id. The sign counter is judged by the caller (against the
 * stored one, then claimed atomically), so the library gets counter 0 here.
 */
export async function verifyAssertion(
  data: Record<string, unknown>,
  challenge: string,
  credential: WebAuthnCredentialRecord,
  global: WebAuthnGlobalConfigDto,
): Promise<Checked<ProvenAssertion>> {
  if (!isCredentialJson(data)) return { ok: false, reason: 'malformed_response' };
  if (data.id !== credential.id) return { ok: false, reason: 'unknown_credential' };
  try {
    const result = await verifyAuthenticationResponse({
      response: data as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: global.origins,
      expectedRPID: global.rp_id,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(Buffer.from(credential.public_key, 'base64url')),
        counter: 0,
        transports: credential.transports as never,
      },
      requireUserVerification: global.user_verification === 'required',
    });
    if (!result.verified) return { ok: false, reason: 'bad_signature' };
    return { ok: true, value: { counter: result.authenticationInfo.newCounter, backedUp: result.authenticationInfo.credentialBackedUp } };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}
