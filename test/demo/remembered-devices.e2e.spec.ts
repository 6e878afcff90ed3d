import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { API, bootDemo, TEST_SECRET, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, stepUpProof } from '../support/flows.js';
import { deviceCookieOf, login, pendingSignIn, signInWithDummy } from '../support/sign-in.js';
import { DATABASE_KINDS } from '../support/test-database.js';
import { SignInService } from 'nestjs-two-factor';
import { SecretBox } from 'nestjs-two-factor/methods';

describe.each(DATABASE_KINDS)(`remembered devices on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let aliceFactor: number;
  let bobFactor: number;

  /** A fresh remembered device of alice's: its token from the cookie. */
  async function rememberAlice(): Promise<string> {
    const response = await signInWithDummy(h, 'alice', aliceFactor, 'alice-code', true);
    return deviceCookieOf(response)!;
  }
  /** Whether signing in with `device` skips alice's second step. */
  async function skips(device: string, username = 'alice'): Promise<boolean> {
    const response = await login(h, username, device).expect(200);
    return typeof response.body.access_token === 'string';
  }

  beforeAll(async () => {
    h = await bootDemo(kind);
    aliceFactor = await enrolDummy(h, 'alice', 'alice-code');
    bobFactor = await enrolDummy(h, 'bob', 'bob-code');
  });
  afterAll(() => h.close());

  it('is opt-in: without remember_device no cookie is set and the next sign-in asks again', async () => {
    const response = await signInWithDummy(h, 'alice', aliceFactor, 'alice-code');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect((await login(h, 'alice').expect(200)).body.two_factor_required).toBe(true);
  });

  it('remember_device sets an HttpOnly, SameSite=Strict cookie scoped to the login routes, for 30 days', async () => {
    const response = await signInWithDummy(h, 'alice', aliceFactor, 'alice-code', true);
    const cookie = (response.headers['set-cookie'] as unknown as string[]).find((value) => value.startsWith('two_factor_device='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/api\/v1\/auth\/login/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
    expect(Math.round((expires - Date.now()) / 86_400_000)).toBe(30);
    expect(response.text).not.toContain(deviceCookieOf(response)!);
  });

  it('the device then skips the second step, by cookie or by the X-Two-Factor-Device header', async () => {
    const device = await rememberAlice();
    expect(await skips(device)).toBe(true);
    const byHeader = await h.http
      .post('/api/v1/auth/login')
      .set('X-Two-Factor-Device', device)
      .send({ username: 'alice', password: 'demo-password' })
      .expect(200);
    expect(byHeader.body.access_token).toEqual(expect.any(String));
    // The password is still needed.
    await h.http.post('/api/v1/auth/login').set('Cookie', `two_factor_device=${device}`).send({ username: 'alice', password: 'wrong' }).expect(401);
  });

  it("one user's device does not skip another user's step", async () => {
    const device = await rememberAlice();
    expect(await skips(device, 'bob')).toBe(false);
  });

  it('only a keyed hash of the token is stored, with the label and last use', async () => {
    const device = await rememberAlice();
    const rows = await h.sql('SELECT * FROM two_factor_device');
    expect(JSON.stringify(rows)).not.toContain(device);
    const hash = new SecretBox(TEST_SECRET).hash(device);
    const [row] = rows.filter((candidate: { token_hash: string }) => candidate.token_hash === hash);
    expect(row).toMatchObject({ user_id: '1', label: 'jest-agent/1.0' });
  });

  it('users list their own devices (no token, no hash) and revoke one: its next sign-in asks again', async () => {
    const device = await rememberAlice();
    const other = await rememberAlice();
    const auth = await h.auth('alice');
    const listed = await h.http.get(`${API}/device/own/list/`).set(auth).expect(200);
    expect(listed.body.length).toBeGreaterThanOrEqual(2);
    for (const item of listed.body) expect(Object.keys(item).sort()).toEqual(['created_at', 'expires_at', 'id', 'label', 'last_used_at']);
    expect(JSON.stringify(listed.body)).not.toContain(device);
    expect(
      (
        await h.http
          .get(`${API}/device/own/list/`)
          .set(await h.auth('bob'))
          .expect(200)
      ).body,
    ).toEqual([]);
    // Sign in with `device` once more, so it is the most recently used.
    expect(await skips(device)).toBe(true);
    const [newest] = (await h.http.get(`${API}/device/own/list/`).set(auth).expect(200)).body;
    // Bob cannot revoke it: not found, as for an id that does not exist.
    const bobs = await h.http
      .delete(`${API}/device/own/${newest.id}/destroy/`)
      .set(await h.auth('bob'))
      .expect(404);
    const missing = await h.http.delete(`${API}/device/own/00000000-0000-4000-8000-000000000000/destroy/`).set(auth).expect(404);
    expect(bobs.body).toEqual(missing.body);
    expect(await skips(device)).toBe(true);
    await h.http.delete(`${API}/device/own/${newest.id}/destroy/`).set(auth).expect(204);
    expect(await skips(device)).toBe(false);
    expect(await skips(other)).toBe(true);
  });

  it('revoke-all forgets every device of the user, and only theirs', async () => {
    const first = await rememberAlice();
    const second = await rememberAlice();
    const bobs = deviceCookieOf(await signInWithDummy(h, 'bob', bobFactor, 'bob-code', true))!;
    const response = await h.http
      .post(`${API}/device/own/revoke-all/`)
      .set(await h.auth('alice'))
      .expect(200);
    expect(response.body.revoked).toBeGreaterThanOrEqual(2);
    expect(await skips(first)).toBe(false);
    expect(await skips(second)).toBe(false);
    expect(await skips(bobs, 'bob')).toBe(true);
  });

  it('an expired device asks again', async () => {
    const device = await rememberAlice();
    const hash = new SecretBox(TEST_SECRET).hash(device);
    await h.sql('UPDATE two_factor_device SET expires_at = ? WHERE token_hash = ?', [Date.now() + 60_000, hash]);
    expect(await skips(device)).toBe(true);
    await h.sql('UPDATE two_factor_device SET expires_at = ? WHERE token_hash = ?', [Date.now() - 1000, hash]);
    expect(await skips(device)).toBe(false);
  });

  it('SignInService.purgeExpired (run by purgeIntervalSeconds too) deletes expired devices and pending sign-ins, and only those', async () => {
    const expired = await rememberAlice();
    const live = await rememberAlice();
    const box = new SecretBox(TEST_SECRET);
    await h.sql('UPDATE two_factor_device SET expires_at = ? WHERE token_hash = ?', [Date.now() - 1000, box.hash(expired)]);
    const stale = await pendingSignIn(h, 'alice');
    const fresh = await pendingSignIn(h, 'alice');
    await h.sql('UPDATE two_factor_sign_in SET expires_at = ? WHERE token_hash = ?', [Date.now() - 1000, box.hash(stale.token)]);
    expect(await h.app.get(SignInService).purgeExpired()).toBeGreaterThanOrEqual(2);
    expect(await h.sql('SELECT id FROM two_factor_device WHERE token_hash = ?', [box.hash(expired)])).toEqual([]);
    expect(await h.sql('SELECT id FROM two_factor_device WHERE token_hash = ?', [box.hash(live)])).toHaveLength(1);
    expect(await h.sql('SELECT user_id FROM two_factor_sign_in WHERE token_hash = ?', [box.hash(stale.token)])).toEqual([]);
    expect(await h.sql('SELECT user_id FROM two_factor_sign_in WHERE token_hash = ?', [box.hash(fresh.token)])).toHaveLength(1);
  });

  it('a device remembered before a key rotation still skips the step while the old secret is in previousSecrets', async () => {
    const device = await rememberAlice();
    const rotated = 'rotated-secret-rotated-secret-rotated-secret-0001';
    for (const [previousSecrets, skipped] of [
      [[TEST_SECRET], true],
      [[], false],
    ] as const) {
      const other = await bootDemo(kind, { db: h.db, twoFactorSecret: rotated, twoFactor: { previousSecrets: [...previousSecrets] } });
      try {
        const response = await other.http
          .post('/api/v1/auth/login')
          .set('Cookie', `two_factor_device=${device}`)
          .send({ username: 'alice', password: 'demo-password' })
          .expect(200);
        expect([previousSecrets, typeof response.body.access_token === 'string']).toEqual([previousSecrets, skipped]);
      } finally {
        await other.close();
      }
    }
  });

  it('malformed device tokens are ignored: the second step is asked, never a 5xx', async () => {
    for (const device of ['', 'x', 'tfd_', 'a'.repeat(5000), '%00%ff', '"quoted"']) {
      const response = await login(h, 'alice', device);
      expect([device, response.status, response.body.two_factor_required]).toEqual([device, 200, true]);
    }
  });

  describe('every device of the user is forgotten when a factor changes', () => {
    it('when a factor is added', async () => {
      const device = await rememberAlice();
      const bobs = deviceCookieOf(await signInWithDummy(h, 'bob', bobFactor, 'bob-code', true))!;
      await enrolDummy(h, 'alice', 'second-code');
      expect(await skips(device)).toBe(false);
      expect(await skips(bobs, 'bob')).toBe(true);
    });

    it('when a factor is removed', async () => {
      const extra = await enrolDummy(h, 'alice', 'removable-code');
      const device = await rememberAlice();
      await h.http
        .delete(`${API}/user-config/own/${extra}/destroy/`)
        .set(await h.auth('alice'))
        .set(await stepUpProof(h, 'alice'))
        .expect(204);
      expect(await skips(device)).toBe(false);
    });

    it('when a factor is deactivated', async () => {
      const extra = await enrolDummy(h, 'alice', 'deactivated-code');
      const device = await rememberAlice();
      await h.http
        .patch(`${API}/user-config/own/${extra}/update/`)
        .set(await h.auth('alice'))
        .set(await stepUpProof(h, 'alice'))
        .send({ is_active: false })
        .expect(200);
      expect(await skips(device)).toBe(false);
    });

    it('when a factor locks after too many wrong codes', async () => {
      const extra = await enrolDummy(h, 'alice', 'lockable-code');
      const device = await rememberAlice();
      // One failure short of the lock (100 in a row), then one more wrong code.
      await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 99, 0)', [`uc:${extra}`]);
      const { token } = await pendingSignIn(h, 'alice', 'not-a-device');
      await h.http.post('/api/v1/auth/login/request').send({ sign_in_token: token, user_config_id: extra }).expect(201);
      await h.http
        .post('/api/v1/auth/login/confirm')
        .send({ sign_in_token: token, data: { code: 'wrong' } })
        .expect(400);
      expect((await h.sql('SELECT status FROM two_factor_user_config WHERE id = ?', [extra]))[0].status).toBe('locked');
      expect(await skips(device)).toBe(false);
    });

    it('but not when only a title changes', async () => {
      const device = await rememberAlice();
      await h.http
        .patch(`${API}/user-config/own/${aliceFactor}/update/`)
        .set(await h.auth('alice'))
        .send({ title: 'renamed' })
        .expect(200);
      expect(await skips(device)).toBe(true);
    });
  });
});
