import { readFileSync } from 'node:fs';
import { createTestBackendContext } from '../../testing/test-backend-context.js';
import { WebAuthnBackend } from './webauthn.backend.js';
import type { WebAuthnStoredConfig } from './webauthn.dto.js';
import { WEBAUTHN_METHOD } from './webauthn.method.js';

/**
 * Responses recorded from Chromium's virtual authenticator on the demo passkey
 * page (an EdDSA key, `none` attestation, UV): what a real browser sends, judged
 * without one. The challenges are the recorded ones, as the server had stored them.
 */
const RECORDED = JSON.parse(readFileSync(new URL('./chromium-recorded.json', import.meta.url), 'utf8'));
const GLOBAL = { rp_id: RECORDED.rp_id, origins: [RECORDED.origin] };
const backend = new WebAuthnBackend();
const context = (stored: WebAuthnStoredConfig, global: Record<string, unknown> = {}, replayGuard = 0) =>
  createTestBackendContext(WEBAUTHN_METHOD, { global: { ...GLOBAL, ...global }, stored, replayGuard });

const pending: WebAuthnStoredConfig = {
  label: 'My passkey',
  registration: { challenge: RECORDED.creation_options.challenge, options: RECORDED.creation_options },
};
const registration = { ceremony: 'registration', challenge: RECORDED.creation_options.challenge };
const authentication = { ceremony: 'authentication', challenge: RECORDED.request_options.challenge };

async function registered(): Promise<{ stored: WebAuthnStoredConfig; counter: number }> {
  const verdict = (await backend.confirm(registration, RECORDED.attestation, context(pending))) as unknown as {
    ok: boolean;
    config: WebAuthnStoredConfig;
    claim?: { value: number };
  };
  expect(verdict.ok).toBe(true);
  return { stored: verdict.config, counter: verdict.claim?.value ?? 0 };
}

describe('WebAuthn responses recorded from Chromium', () => {
  it('verifies the attestation and stores the credential it names', async () => {
    const { stored } = await registered();
    expect(stored.credential).toMatchObject({
      id: RECORDED.attestation.id,
      transports: RECORDED.attestation.response.transports ?? [],
      attestation_format: 'none',
    });
  });

  it('verifies the assertion against the stored credential and claims its counter', async () => {
    const { stored, counter } = await registered();
    const verdict = await backend.confirm(authentication, RECORDED.assertion, context(stored, {}, counter));
    expect(verdict).toMatchObject({ ok: true, claim: { kind: 'after' } });
    expect((verdict as { claim: { value: number } }).claim.value).toBeGreaterThan(counter);
  });

  it('refuses the same assertion once its counter is on record (a replay or a clone)', async () => {
    const { stored, counter } = await registered();
    const first = (await backend.confirm(authentication, RECORDED.assertion, context(stored, {}, counter))) as { claim?: { value: number } };
    expect(first.claim).toBeDefined();
    expect(await backend.confirm(authentication, RECORDED.assertion, context(stored, {}, first.claim!.value))).toEqual({
      ok: false,
      reason: 'counter_regressed',
    });
  });

  it('refuses both when the page was not on an allowed origin', async () => {
    expect(await backend.confirm(registration, RECORDED.attestation, context(pending, { origins: ['http://localhost:3000'] }))).toEqual({
      ok: false,
      reason: 'wrong_origin',
    });
    const { stored, counter } = await registered();
    expect(await backend.confirm(authentication, RECORDED.assertion, context(stored, { origins: ['http://localhost:3000'] }, counter))).toEqual({
      ok: false,
      reason: 'wrong_origin',
    });
  });

  it('refuses the assertion with one bit of its signature flipped', async () => {
    const { stored, counter } = await registered();
    const signature = Buffer.from(RECORDED.assertion.response.signature, 'base64url');
    signature[signature.length - 1] ^= 1;
    const tampered = { ...RECORDED.assertion, response: { ...RECORDED.assertion.response, signature: signature.toString('base64url') } };
    expect(await backend.confirm(authentication, tampered, context(stored, {}, counter))).toMatchObject({ ok: false });
  });
});
