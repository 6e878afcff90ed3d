import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { randomBytes, randomInt } from 'node:crypto';
import { generateSync } from 'otplib';
import { DataSource } from 'typeorm';
import { ConfirmerService, MethodConfig, UserConfig } from 'nestjs-two-factor';
import { SoftAuthenticator } from 'nestjs-two-factor/testing';
import { bootHost, HOST_USER_HEADER, type HostHarness } from '../support/host-harness.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.js';

/**
 * Issue 19, item 1: nothing secret crosses the module's public API. A host app's own routes
 * return what the exported services answer, unmapped (as a README reader writes them); for
 * every method and flow, no body holds that flow's secrets: the code sent (read from the dev
 * outbox), the user's code, its hash, the TOTP seed, backup codes, the unmasked address or
 * number, the stored (sealed) config, the device token or sign-in token where it is not meant
 * to be handed out, nor a debug code — although `debugCodeResponse` is on, which the module's
 * own `confirmation/request/` route (and only it) honours.
 *
 * Not covered here: `UserConfigService` (being rewritten on the "lifecycle" branch; its results
 * reach clients only through the module's routes, whose bodies are built by PublicViewMapper).
 * `makeBackend` hands method authors the machinery, not a result (documented), so it is not serialised.
 */
const API = '/api/2fa';
const ORIGIN = 'https://passkeys.example.com';
const METHODS = ['dummy', 'totp', 'email', 'sms', 'backup_codes', 'webauthn'] as const;
type Method = (typeof METHODS)[number];

/** Keys that would mean an internal form got out, whatever their value. */
const INTERNAL_KEYS = ['state', 'code_hash', 'token_hash', 'debug_code', 'debugCode', 'seed', 'public_key', 'replay_guard', 'challenge_seq', 'codes'];

const ukMobile = () => `+4474${randomInt(5)}${String(randomInt(10_000_000)).padStart(7, '0')}`;
const standalone = (code: string) => new RegExp(`(?<![0-9a-zA-Z])${code}(?![0-9a-zA-Z])`);

/** Stored fields the method's public view shows on purpose (a factor's label, a key's dates and transports). */
const PUBLIC_STORED_FIELDS = new Set(['label', 'registered_at', 'last_used_at', 'transports', 'aaguid']);

/** Every string leaf of a stored JSON value long enough to be a hash, seal or key, but for the public fields. */
function longLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.length >= 16) out.push(value);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (!PUBLIC_STORED_FIELDS.has(key)) longLeaves(item, out);
  }
  return out;
}

function keysOf(value: unknown, out: string[] = []): string[] {
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      keysOf(item, out);
    }
  }
  return out;
}

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

describe.each(DATABASE_KINDS)(`the public API hands out no secret, on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let db: TestDatabase;
  let h: HostHarness;
  const ids = {} as Record<Method, number>;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    // Recovery on without a wait: the recovery test below opens enrolment at once (the wait has tests of its own).
    h = await bootHost(db, 'none', { debugCodeResponse: true, recovery: { enabled: true, waitSeconds: 0 } });
    ids.dummy = await h.methodConfig('dummy', { code: 'dummy-method' });
    ids.totp = await h.methodConfig('totp');
    ids.email = await h.methodConfig('email', { resend_cooldown_seconds: 0, max_sends_per_destination_per_hour: 1000 });
    ids.sms = await h.methodConfig('sms', { resend_cooldown_seconds: 0, max_sends_per_number_per_day: 1000, max_sends_per_prefix_per_day: 1000 });
    ids.backup_codes = await h.methodConfig('backup_codes', { count: 10 });
    ids.webauthn = await h.methodConfig('webauthn', { rp_id: 'passkeys.example.com', rp_name: 'test', origins: [ORIGIN] });
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it.each(METHODS)(
    '%s: enrol, sign in (start, request, confirm, remembered device), request/confirm/check/use, enrolment status and admin views',
    async (method) => {
      const user = `pub-${method}-${randomBytes(4).toString('hex')}`;
      const as = { [HOST_USER_HEADER]: user };
      /** Secrets of this flow, and the bodies the host's routes answered. */
      const secrets: string[] = [];
      const codes: string[] = [];
      const bodies: Array<{ route: string; body: unknown }> = [];
      const host = async (verb: 'get' | 'post', path: string, body?: object, headers: Record<string, string> = {}) => {
        const response = await h.http[verb](`/host/${path}`).set(as).set(headers).send(body);
        if (response.status >= 400) throw new Error(`${path} answered ${response.status} ${response.text}`);
        bodies.push({ route: path, body: response.body });
        return response.body;
      };
      const outboxCode = async (to: string) => {
        const [newest] = (await h.http.get('/host/outbox').query({ to }).expect(200)).body;
        const code = /\b(\d{6,10})\b/.exec(newest?.text ?? '')?.[1];
        if (!code) throw new Error(`no code sent to ${to}`);
        codes.push(code);
        return code;
      };

      // Enrol through the module's own routes (the one-time enrolment display belongs to them).
      const key = new SoftAuthenticator({ origin: ORIGIN });
      const address = method === 'email' ? `pub-${randomBytes(4).toString('hex')}@example.com` : method === 'sms' ? ukMobile() : '';
      if (address) secrets.push(address);
      const dummyCode = `dummy-${randomBytes(6).toString('hex')}`;
      const config = { dummy: { code: dummyCode }, totp: {}, email: { email: address }, sms: { phone: address }, backup_codes: {}, webauthn: { label: 'key' } }[
        method
      ];
      if (method === 'dummy') secrets.push(dummyCode);
      const created = await h.http.post(`${API}/user-config/own/create/`).set(as).send({ method_config_id: ids[method], config }).expect(201);
      const factor = created.body.item.id as number;
      let totp: ((step: number) => string) | undefined;
      const step = Math.floor(Date.now() / 30_000);
      if (method === 'totp') {
        const secret = new URL(created.body.enrollment.otpauth_uri).searchParams.get('secret')!;
        secrets.push(secret, created.body.enrollment.otpauth_uri);
        totp = (at) => {
          const code = generateSync({ secret, epoch: at * 30, period: 30, digits: 6, algorithm: 'sha1' });
          codes.push(code);
          return code;
        };
      }
      const backupCodes = method === 'backup_codes' ? (created.body.enrollment.codes as string[]) : [];
      for (const code of backupCodes) secrets.push(code, code.replace(/-/g, ''));
      if (created.body.confirmation_id) {
        const data =
          method === 'webauthn'
            ? key.register(created.body.enrollment.creation_options)
            : method === 'totp'
              ? { code: totp!(step - 1) }
              : method === 'dummy'
                ? { code: dummyCode }
                : { code: await outboxCode(address) };
        await h.http.post(`${API}/user-config/own/confirm/`).set(as).send({ id: factor, confirmation_id: created.body.confirmation_id, data }).expect(200);
      }
      /** The answer to a challenge the host's route just issued (the `n`th use of the factor). */
      const answer = async (challenge: { challenge?: Record<string, any> | null }, n: number) => {
        if (method === 'webauthn') return key.assert(challenge.challenge!.request_options);
        if (method === 'totp') return { code: totp!(step + n - 1) };
        if (method === 'dummy') return { code: dummyCode };
        if (method === 'backup_codes') return { code: backupCodes[n] };
        return { code: await outboxCode(address) };
      };

      // The host's own routes, each returning a service's result as it is.
      await host('get', 'confirmer/methods');
      await host('get', 'confirmer/method-configs');
      await host('get', 'confirmer/user-configs');
      const pending = await host('post', 'login/start', { user_id: user });
      expect(pending).toMatchObject({ twoFactorRequired: true, token: expect.stringMatching(/^tfs_/) });
      const signInToken = pending.token as string;
      const [pendingRow] = await h.sql('SELECT token_hash FROM two_factor_sign_in WHERE user_id = ?', [user]);
      secrets.push(pendingRow.token_hash);
      const signInChallenge = await host('post', 'login/request', { sign_in_token: signInToken, user_config_id: factor });
      expect(signInChallenge).toMatchObject({ id: expect.any(String), status: 'in_process', attempts_left: 5 });
      const states = async () => (await h.sql('SELECT state FROM two_factor_confirmation WHERE user_id = ?', [user])).map((row) => json(row.state));
      const signedIn = await host('post', 'login/confirm', { sign_in_token: signInToken, data: await answer(signInChallenge, 1), remember_device: true });
      expect(signedIn).toMatchObject({ userId: user, device: { token: expect.stringMatching(/^tfd_/), device: { id: expect.any(String) } } });
      const deviceToken = signedIn.device.token as string;
      const [deviceRow] = await h.sql('SELECT token_hash FROM two_factor_device WHERE user_id = ?', [user]);
      secrets.push(deviceRow.token_hash);
      expect(await host('post', 'login/start', { user_id: user, device_token: deviceToken })).toMatchObject({ twoFactorRequired: false });
      await host('get', 'devices');
      expect(await host('post', 'devices/recognise', { token: deviceToken })).toMatchObject({ id: signedIn.device.device.id });

      const requested = await host('post', 'confirmer/request', { user_config_id: factor });
      for (const state of await states()) secrets.push(...longLeaves(state).filter((leaf) => method !== 'webauthn' || leaf !== state.challenge));
      const confirmed = await host('post', 'confirmer/confirm', { id: requested.id, data: await answer(requested, 2) });
      expect(confirmed).toMatchObject({ id: requested.id, status: 'confirmed' });
      expect(await host('get', `confirmer/check/${requested.id}`)).toMatchObject({ available: true, confirmation: { id: requested.id } });
      expect(await host('post', 'confirmer/use', { id: requested.id })).toMatchObject({ used: true, confirmation: { id: requested.id } });
      if (method !== 'totp') {
        // A step-up on the host's route: the guard puts the spent proof on the request, as its public view.
        const proof = await host('post', 'confirmer/request', { user_config_id: factor });
        await host('post', 'confirmer/confirm', { id: proof.id, data: await answer(proof, 3) });
        expect(await host('post', 'step-up', {}, { 'X-Two-Factor-Confirmation': proof.id })).toMatchObject({ proof: { id: proof.id } });
      }
      if (method === 'email' || method === 'sms') {
        // A method-level (anonymous) request: the address is the client's own input, still never echoed unmasked.
        const other = method === 'email' ? `other-${randomBytes(4).toString('hex')}@example.com` : ukMobile();
        secrets.push(other);
        const anonymous = await h.http
          .post('/host/confirmer/request')
          .send({ method_config_id: ids[method], data: method === 'email' ? { email: other } : { phone: other } })
          .expect(201);
        bodies.push({ route: 'confirmer/request (anonymous)', body: anonymous.body });
        expect(anonymous.body.challenge).toEqual({ destination: expect.stringContaining('*') });
        await outboxCode(other);
        // The module's own route, with debugCodeResponse on, is the one place a debug code is shown.
        const own = await h.http.post(`${API}/confirmation/request/`).set(as).send({ user_config_id: factor }).expect(201);
        expect(own.body.debug_code).toBe(await outboxCode(address));
      }
      await host('get', 'enrollment');
      await host('get', 'admin/method-configs');
      await host('get', `admin/users/${user}/user-configs`);
      await host('get', `admin/confirmations?user_id=${user}`);
      await host('post', `admin/users/${user}/user-configs/${factor}/unlock`);
      await host('post', `admin/users/${user}/user-configs/${factor}/deactivate`);

      for (const state of await states()) secrets.push(...longLeaves(state).filter((leaf) => method !== 'webauthn' || leaf !== state.challenge));
      // What is stored for the factor: every long string (hash, sealed seed, public key …) is a secret.
      const [stored] = await h.sql('SELECT config FROM two_factor_user_config WHERE id = ?', [factor]);
      const storedConfig = json(stored.config);
      // A credential id is public by design (WebAuthn sends it in allowCredentials); nothing else of the stored form is.
      secrets.push(...longLeaves(storedConfig).filter((leaf) => leaf !== storedConfig.credential?.id));
      for (const code of codes) secrets.push(code);

      expect(bodies.length).toBeGreaterThanOrEqual(15);
      for (const { route, body } of bodies) {
        // Where a token is meant to be handed out, that one field is allowed; the rest of the body is checked.
        const copy = structuredClone(body) as Record<string, any>;
        if (route === 'login/start' && copy?.token) copy.token = '(sign-in token: meant for the client)';
        if (route === 'login/confirm' && copy?.device?.token) copy.device.token = '(device token: meant for the device)';
        const text = JSON.stringify(copy);
        for (const secret of secrets) expect({ route, leaked: text.includes(secret) ? secret : null }).toEqual({ route, leaked: null });
        for (const code of codes) expect({ route, code: standalone(code).test(text) ? code : null }).toEqual({ route, code: null });
        expect({ route, keys: keysOf(copy).filter((name) => INTERNAL_KEYS.includes(name)) }).toEqual({ route, keys: [] });
        if (route !== 'login/start') expect(text).not.toContain(signInToken);
        if (route !== 'login/confirm') expect(text).not.toContain(deviceToken);
      }
    },
  );

  it('recovery and access codes (SignInService, AccessCodeAdminService): no cancel code, access code, address, sent code or hash in any result but the one meant to show it', async () => {
    const user = `pub-recovery-${randomBytes(4).toString('hex')}`;
    const as = { [HOST_USER_HEADER]: user };
    const secrets: string[] = [];
    const bodies: Array<{ route: string; body: unknown }> = [];
    const host = async (path: string, body: object, status: number) => {
      const response = await h.http.post(`/host/${path}`).set(as).send(body);
      expect([path, response.status]).toEqual([path, status]);
      bodies.push({ route: path, body: response.body });
      return response.body;
    };
    const newest = async (to: string) => ((await h.http.get('/host/outbox').query({ to }).expect(200)).body[0]?.text ?? '') as string;
    const sentCode = async (to: string) => {
      const code = /\b(\d{6,10})\b/.exec(await newest(to))![1];
      secrets.push(code);
      return code;
    };
    // An email factor: the channel the recovery notice and its cancel code go to.
    const address = `pub-${randomBytes(4).toString('hex')}@example.com`;
    secrets.push(address);
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(as)
      .send({ method_config_id: ids.email, config: { email: address } })
      .expect(201);
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(as)
      .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: await sentCode(address) } })
      .expect(200);

    const first = await host('login/start', { user_id: user }, 200);
    const started = await host('login/recovery/start', { sign_in_token: first.token }, 202);
    expect(Object.keys(started).sort()).toEqual(['notBefore', 'recoveryId']);
    const cancelCode = /\b([A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5})\b/.exec(await newest(address))![1];
    secrets.push(cancelCode, cancelCode.replaceAll('-', ''));
    const [{ cancel_hash }] = await h.sql('SELECT cancel_hash FROM two_factor_recovery WHERE user_id = ?', [user]);
    secrets.push(cancel_hash);
    expect(await host('login/recovery/cancel', { cancel_code: cancelCode }, 200)).toEqual({ recoveryId: started.recoveryId });

    const issued = await host(`admin/users/${user}/access-code`, {}, 201);
    const accessCode = issued.code as string;
    secrets.push(accessCode, accessCode.replaceAll('-', ''));
    const [{ code_hash }] = await h.sql('SELECT code_hash FROM two_factor_access_code WHERE user_id = ?', [user]);
    secrets.push(code_hash);
    const second = await host('login/start', { user_id: user }, 200);
    const [pendingRow] = await h.sql('SELECT token_hash FROM two_factor_sign_in WHERE user_id = ? ORDER BY created_at DESC', [user]);
    secrets.push(pendingRow.token_hash);
    expect(await host('login/access-code', { sign_in_token: second.token, code: accessCode }, 200)).toEqual({
      openedBy: 'access_code',
      expiresAt: expect.any(String),
    });
    const other = `pub-new-${randomBytes(4).toString('hex')}@example.com`;
    secrets.push(other);
    const enrolled = await host('login/enrol', { sign_in_token: second.token, method_config_id: ids.email, config: { email: other } }, 201);
    expect(enrolled).toMatchObject({ item: { status: 'in_process' }, confirmation_id: expect.any(String) });
    const done = await host(
      'login/enrol/confirm',
      {
        sign_in_token: second.token,
        id: enrolled.item.id,
        confirmation_id: enrolled.confirmation_id,
        data: { code: await sentCode(other) },
        remember_device: true,
      },
      200,
    );
    expect(done).toMatchObject({ userId: user, device: { token: expect.stringMatching(/^tfd_/) } });

    for (const { route, body } of bodies) {
      const copy = structuredClone(body) as Record<string, any>;
      // Where a secret is meant to be handed out, that one field is allowed; the rest of the body is checked.
      if (route === 'login/start') copy.token = '(sign-in token: meant for the client)';
      if (route.endsWith('/access-code') && route.startsWith('admin/')) copy.code = '(access code: shown to the admin once)';
      if (route === 'login/enrol/confirm') copy.device.token = '(device token: meant for the device)';
      const text = JSON.stringify(copy);
      for (const secret of secrets) expect({ route, leaked: text.includes(secret) ? secret : null }).toEqual({ route, leaked: null });
      expect({ route, keys: keysOf(copy).filter((name) => INTERNAL_KEYS.includes(name) || name.endsWith('_hash')) }).toEqual({ route, keys: [] });
      if (route !== 'login/start') expect(text).not.toContain(first.token);
    }
  });

  it('ConfirmerService.changeUserConfig (for method authors) answers the enrolment display, never the stored form it writes onto the instance', async () => {
    const confirmer = h.app.get(ConfirmerService);
    const methodConfig = await h.app.get(DataSource).getRepository(MethodConfig).findOneByOrFail({ id: ids.totp });
    const bound = await confirmer.makeBackend({ methodConfig, userId: 'author' });
    const instance = new UserConfig();
    const change = await confirmer.changeUserConfig(instance, {}, bound);
    expect(Object.keys(change)).not.toContain('config');
    expect(change).toMatchObject({ needsConfirmation: true, enrollment: { otpauth_uri: expect.any(String) } });
    expect(JSON.stringify(change)).not.toContain((instance.config as { seed: string }).seed);
  });
});
