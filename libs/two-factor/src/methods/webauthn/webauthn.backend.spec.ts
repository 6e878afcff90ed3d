import { Status } from '../../entities/status.js';
import { ValidationFailedError } from '../../errors/request.errors.js';
import { createTestBackendContext } from '../../testing/test-backend-context.js';
import { SoftAuthenticator } from '../../testing/soft-authenticator.js';
import { WebAuthnBackend } from './webauthn.backend.js';
import { validateDto } from '../../method-api/validate-dto.js';
import { WebAuthnGlobalConfigDto, WebAuthnUserConfigDto, type WebAuthnStoredConfig } from './webauthn.dto.js';
import { WEBAUTHN_METHOD } from './webauthn.method.js';

const ORIGIN = 'https://app.example.com';
const GLOBAL = { rp_id: 'example.com', rp_name: 'Example', origins: [ORIGIN] };

const backendWith = () => new WebAuthnBackend();

const context = (stored?: WebAuthnStoredConfig, global: Record<string, unknown> = {}, replayGuard = 0) =>
  createTestBackendContext(WEBAUTHN_METHOD, {
    global: { ...GLOBAL, ...global },
    stored,
    replayGuard,
    status: stored?.credential ? Status.Confirmed : Status.InProcess,
  });

/** Enrols `key` through the backend's hooks, as user-config/own/create and confirm do. */
async function registered(key = new SoftAuthenticator({ origin: ORIGIN }), global: Record<string, unknown> = {}) {
  const backend = backendWith();
  const change = await backend.changeUserConfig({ label: 'YubiKey' }, undefined, context(undefined, global));
  const challenge = await backend.requestConfirmation(undefined, context(change.config, global));
  const verdict = (await backend.confirm(
    challenge.state,
    key.register(change.enrollment!.creation_options as object),
    context(change.config, global),
  )) as unknown as { ok: boolean; config: WebAuthnStoredConfig; claim?: unknown };
  expect(verdict.ok).toBe(true);
  return { backend, key, stored: verdict.config, guard: key.counter };
}

/** One step-up: request options, then the authenticator's answer judged with the guard at `guard`. */
async function stepUp(
  backend: WebAuthnBackend,
  key: SoftAuthenticator,
  stored: WebAuthnStoredConfig,
  guard: number,
  overrides = {},
  global: Record<string, unknown> = {},
) {
  const challenge = await backend.requestConfirmation(undefined, context(stored, global, guard));
  const answer = key.assert(challenge.public!.request_options as object, overrides);
  return { challenge, answer, verdict: await backend.confirm(challenge.state, answer, context(stored, global, guard)) };
}

describe('WebAuthnBackend enrolment', () => {
  it('makes creation options for the rp, with an opaque user handle, and keeps their challenge out of the public view', async () => {
    const backend = backendWith();
    const change = await backend.changeUserConfig({ label: 'YubiKey' }, undefined, context());
    const options = change.enrollment!.creation_options as Record<string, any>;
    expect(change.needsConfirmation).toBe(true);
    expect(options.rp).toEqual({ name: 'Example', id: 'example.com' });
    expect(options.user.name).toBe('alice');
    expect(Buffer.from(options.user.id, 'base64url').toString('utf8')).not.toContain('alice');
    expect(options).toMatchObject({
      attestation: 'none',
      timeout: 300_000,
      authenticatorSelection: { userVerification: 'preferred', residentKey: 'preferred' },
      excludeCredentials: [],
    });
    expect(change.config.registration!.challenge).toBe(options.challenge);
    expect(JSON.stringify(backend.publicConfig(change.config))).not.toContain(options.challenge);
    expect(backend.publicConfig(change.config)).toEqual({ label: 'YubiKey', transports: [], backed_up: false, registered_at: null, last_used_at: null });
  });

  it("excludes the user's credentials already registered (the context's enrolled configs of this method), not pending ones", async () => {
    const { stored } = await registered();
    const backend = backendWith();
    const enrolled: WebAuthnStoredConfig[] = [stored, { label: 'pending', registration: { challenge: 'x', options: {} } }];
    const change = await backend.changeUserConfig({}, undefined, { ...context(), enrolled: async () => enrolled });
    expect((change.enrollment!.creation_options as any).excludeCredentials).toEqual([{ id: stored.credential!.id, type: 'public-key', transports: ['usb'] }]);
  });

  it('gives each enrolment its own challenge and the same user handle', async () => {
    const backend = backendWith();
    const [a, b] = [await backend.changeUserConfig({}, undefined, context()), await backend.changeUserConfig({}, undefined, context())];
    expect((a.enrollment!.creation_options as any).challenge).not.toBe((b.enrollment!.creation_options as any).challenge);
    expect((a.enrollment!.creation_options as any).user.id).toBe((b.enrollment!.creation_options as any).user.id);
  });

  it('stores credential id, public key, transports, AAGUID and backed-up flag once the attestation is proven, and drops the challenge', async () => {
    const { stored, key } = await registered();
    expect(stored.registration).toBeUndefined();
    expect(stored.credential).toMatchObject({
      id: key.id,
      transports: ['usb'],
      aaguid: '00000000-0000-0000-0000-000000000000',
      backed_up: false,
      device_type: 'singleDevice',
      attestation_format: 'none',
      last_used_at: null,
    });
    expect(stored.credential!.public_key).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(Object.keys(backendWith().publicConfig(stored)).sort()).toEqual(['backed_up', 'label', 'last_used_at', 'registered_at', 'transports']);
  });

  it.each([
    ['from another origin', { origin: 'https://evil.example.net' }, {}, 'wrong_origin'],
    ['for another rp id', { rpId: 'evil.example.net' }, {}, 'wrong_rp_id'],
    ['for another challenge', { challenge: 'bm90LXRoZS1jaGFsbGVuZ2U' }, {}, 'wrong_challenge'],
    ['without user verification when it is required', { userVerified: false }, { user_verification: 'required' }, 'user_verification_missing'],
  ])('refuses an attestation %s', async (_name, overrides, global, reason) => {
    const backend = backendWith();
    const change = await backend.changeUserConfig({}, undefined, context(undefined, global));
    const challenge = await backend.requestConfirmation(undefined, context(change.config, global));
    const answer = new SoftAuthenticator({ origin: ORIGIN }).register(change.enrollment!.creation_options as object, overrides);
    expect(await backend.confirm(challenge.state, answer, context(change.config, global))).toEqual({ ok: false, reason });
  });

  it('accepts an attestation without user verification when it is only preferred', async () => {
    await registered(new SoftAuthenticator({ origin: ORIGIN, userVerified: false }));
  });

  it.each([{}, { id: 'x' }, { id: 'x', rawId: 'x', type: 'public-key', response: 'nope' }, { id: 'x', rawId: 'x', type: 'public-key', response: {} }])(
    'refuses malformed data %p',
    async (data) => {
      const backend = backendWith();
      const change = await backend.changeUserConfig({}, undefined, context());
      const challenge = await backend.requestConfirmation(undefined, context(change.config));
      expect(await backend.confirm(challenge.state, data, context(change.config))).toMatchObject({ ok: false });
    },
  );

  it('only renames a registered credential', async () => {
    const { backend, stored } = await registered();
    expect(await backend.changeUserConfig({ label: 'Laptop' }, stored, context(stored))).toEqual({
      config: { ...stored, label: 'Laptop' },
      needsConfirmation: false,
    });
  });
});

describe('WebAuthnBackend step-up', () => {
  it('hands out request options for the one credential as the public challenge, its challenge kept in state', async () => {
    const { backend, stored } = await registered();
    const challenge = await backend.requestConfirmation(undefined, context(stored));
    const options = challenge.public!.request_options as Record<string, any>;
    expect(options).toMatchObject({
      rpId: 'example.com',
      userVerification: 'preferred',
      timeout: 300_000,
      allowCredentials: [{ id: stored.credential!.id, type: 'public-key', transports: ['usb'] }],
    });
    expect(challenge.state).toEqual({ ceremony: 'authentication', challenge: options.challenge });
    expect(challenge.ttlSeconds).toBe(300);
  });

  it('refuses a method-level request: a credential belongs to one user config', async () => {
    await expect(backendWith().requestConfirmation(undefined, context())).rejects.toBeInstanceOf(ValidationFailedError);
  });

  it('accepts a signed assertion, claims its counter and records the use', async () => {
    const { backend, key, stored, guard } = await registered();
    const { verdict } = await stepUp(backend, key, stored, guard);
    expect(verdict).toMatchObject({ ok: true, claim: { kind: 'after', value: guard + 1 }, reason: 'counter_regressed' });
    expect((verdict as any).config.credential.last_used_at).toEqual(expect.any(String));
  });

  it.each([
    ['equal to', 0],
    ['below', -1],
  ])('refuses a counter %s the stored one', async (_name, offset) => {
    const { backend, key, stored } = await registered();
    const { verdict } = await stepUp(backend, key, stored, 10, { counter: 10 + offset });
    expect(verdict).toEqual({ ok: false, reason: 'counter_regressed' });
  });

  it('refuses counter 0 once a counter was seen, and accepts an authenticator that never counts', async () => {
    const { backend, key, stored } = await registered();
    expect((await stepUp(backend, key, stored, 3, { counter: 0 })).verdict).toEqual({ ok: false, reason: 'counter_regressed' });
    const counterless = await registered(new SoftAuthenticator({ origin: ORIGIN, noCounter: true }));
    const { verdict } = await stepUp(counterless.backend, counterless.key, counterless.stored, 0);
    expect(verdict).toMatchObject({ ok: true });
    expect((verdict as any).claim).toBeUndefined();
  });

  it.each([
    ['from another origin', { origin: 'https://evil.example.net' }, {}, 'wrong_origin'],
    ['for another rp id', { rpId: 'evil.example.net' }, {}, 'wrong_rp_id'],
    ['for another challenge (a replay)', { challenge: 'b2xkLWNoYWxsZW5nZQ' }, {}, 'wrong_challenge'],
    ['without user verification when it is required', { userVerified: false }, { user_verification: 'required' }, 'user_verification_missing'],
  ])('refuses an assertion %s', async (_name, overrides, global, reason) => {
    const { backend, key, stored, guard } = await registered(undefined, global);
    expect((await stepUp(backend, key, stored, guard, overrides, global)).verdict).toEqual({ ok: false, reason });
  });

  it('refuses an assertion signed by another authenticator, or naming another credential', async () => {
    const { backend, stored, guard } = await registered();
    const other = new SoftAuthenticator({ origin: ORIGIN });
    const challenge = await backend.requestConfirmation(undefined, context(stored));
    const forged = { ...other.assert(challenge.public!.request_options as object), id: stored.credential!.id, rawId: stored.credential!.id };
    expect(await backend.confirm(challenge.state, forged, context(stored, {}, guard))).toMatchObject({ ok: false });
    expect(await backend.confirm(challenge.state, other.assert(challenge.public!.request_options as object), context(stored, {}, guard))).toEqual({
      ok: false,
      reason: 'unknown_credential',
    });
  });

  it('refuses an attestation sent to an authentication challenge', async () => {
    const { backend, stored, guard } = await registered();
    const challenge = await backend.requestConfirmation(undefined, context(stored));
    expect(await backend.confirm({ ceremony: 'nonsense', challenge: 'x' }, {}, context(stored, {}, guard))).toBe(false);
    expect(await backend.confirm(challenge.state, { id: 1 }, context(stored, {}, guard))).toMatchObject({ ok: false });
  });
});

describe('WebAuthn config DTOs', () => {
  it('defaults to user verification preferred, attestation none and a 300 s timeout', () => {
    expect({ ...validateDto(WebAuthnGlobalConfigDto, GLOBAL, 'config') }).toEqual({
      ...GLOBAL,
      user_verification: 'preferred',
      attestation: 'none',
      resident_key: 'preferred',
      timeout_seconds: 300,
    });
  });

  it.each([
    { rp_id: undefined },
    { rp_id: 'https://example.com' },
    { rp_id: 'example.com:443' },
    { origins: [] },
    { origins: 'https://app.example.com' },
    { origins: ['https://app.example.com/login'] },
    { origins: ['app.example.com'] },
    { user_verification: 'discouraged' },
    { attestation: 'enterprise' },
    { timeout_seconds: 5 },
    { timeout_seconds: 3600 },
  ])('refuses the global config %p', (change) => {
    expect(() => validateDto(WebAuthnGlobalConfigDto, { ...GLOBAL, ...change }, 'config')).toThrow(ValidationFailedError);
  });

  it.each([{ label: '' }, { label: 'x'.repeat(65) }, { credential: {} }])('refuses the user config %p', (config) => {
    expect(() => validateDto(WebAuthnUserConfigDto, config, 'config')).toThrow(ValidationFailedError);
  });
});
