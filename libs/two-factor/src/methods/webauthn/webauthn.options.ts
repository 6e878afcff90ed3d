import { createHash, randomBytes } from 'node:crypto';
import { generateAuthenticationOptions, generateRegistrationOptions } from '@simplewebauthn/server';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { WebAuthnCredentialRecord, WebAuthnGlobalConfigDto } from './webauthn.dto.js';

/** A credential the browser should leave out (registration) or may use (authentication). */
type CredentialRef = Pick<WebAuthnCredentialRecord, 'id' | 'transports'>;

/**
 * The user handle (`user.id`) every credential of one user gets: a keyed hash of
 * the user id, so it is stable across that user's authenticators and says
 * nothing about who the user is (WebAuthn §14.6.1: no personal data in it).
 */
export function userHandleOf(userId: string, secrets: SecretBox): Uint8Array<ArrayBuffer> {
  const hex = secrets.hash(`webauthn-user-handle:${userId}`).split(':').at(-1)!;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Options for `navigator.credentials.create()` (what `startRegistration` takes as `optionsJSON`). */
export async function creationOptions(
  global: WebAuthnGlobalConfigDto,
  user: { id: string; name: string; label: string },
  exclude: CredentialRef[],
  secrets: SecretBox,
): Promise<Record<string, unknown>> {
  const options = await generateRegistrationOptions({
    rpName: global.rp_name,
    rpID: global.rp_id,
    userID: userHandleOf(user.id, secrets),
    userName: user.name,
    userDisplayName: user.label,
    timeout: global.timeout_seconds * 1000,
    attestationType: global.attestation,
    // The browser refuses an authenticator that already holds one of these: no double enrolment.
    excludeCredentials: exclude.map(({ id, transports }) => ({ id, transports })),
    authenticatorSelection: { residentKey: global.resident_key, userVerification: global.user_verification },
  });
  return options as unknown as Record<string, unknown>;
}

/**
 * A challenge bound to an operation: SHA-256 of a fresh random nonce and the operation's keyed
 * digest, so the assertion the authenticator signs (over clientDataJSON, which holds the
 * challenge) commits to exactly those details. The nonce keeps it fresh; it is kept in the
 * confirmation's state, so the binding can be checked again from the stored row.
 */
export function operationChallenge(digest: string, nonce: Buffer = randomBytes(32)): { challenge: Uint8Array<ArrayBuffer>; nonce: string } {
  const hash = createHash('sha256').update('two-factor/webauthn-operation/v1\0').update(nonce).update(digest, 'utf8').digest();
  return { challenge: new Uint8Array(hash), nonce: nonce.toString('base64url') };
}

/**
 * Options for `navigator.credentials.get()` (what `startAuthentication` takes as `optionsJSON`),
 * naming the one credential; `challenge` when the caller derived one (`operationChallenge`), else random.
 */
export async function requestOptions(
  global: WebAuthnGlobalConfigDto,
  credential: CredentialRef,
  challenge?: Uint8Array<ArrayBuffer>,
): Promise<Record<string, unknown>> {
  const options = await generateAuthenticationOptions({
    rpID: global.rp_id,
    ...(challenge ? { challenge } : {}),
    allowCredentials: [{ id: credential.id, transports: credential.transports }],
    userVerification: global.user_verification,
    timeout: global.timeout_seconds * 1000,
  });
  return options as unknown as Record<string, unknown>;
}
