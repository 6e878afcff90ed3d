import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { TwoFactorAuditEvent } from 'nestjs-two-factor';
import { API, bootDemo, freshUser, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, requestFor } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const ADMIN = `${API}/admin`;

/** Issue 11: an admin helps users (lockouts, lost devices) and searches confirmations, on every database. */
describe.each(DATABASE_KINDS)(`admin API: users and confirmations on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let admin: { Authorization: string };
  let bob: { Authorization: string };
  let user: string;
  const events: TwoFactorAuditEvent[] = [];

  beforeAll(async () => {
    h = await bootDemo(kind, { twoFactor: { anonymousRequestsPerIpPerHour: 1000 } });
    h.app.get(EventEmitter2).on('two_factor.admin.**', (event: TwoFactorAuditEvent) => events.push(event));
    admin = await h.auth('admin');
    bob = await h.auth('bob');
  });
  afterAll(() => h.close());
  beforeEach(() => {
    user = freshUser();
    events.length = 0;
  });

  const userConfigsPath = (userId: string) => `${ADMIN}/user/${encodeURIComponent(userId)}/user-config`;
  const row = async (id: number) => (await h.sql('SELECT status, is_active, challenge_seq FROM two_factor_user_config WHERE id = ?', [id]))[0];
  const failures = async (id: number) => Number((await h.sql('SELECT count FROM two_factor_failure_counter WHERE key = ?', [`uc:${id}`]))[0]?.count ?? 0);
  const confirm = async (id: string, code: string) =>
    h.http
      .post(`${API}/confirmation/confirm/`)
      .set(await h.auth(user))
      .send({ id, data: { code } });

  it("the admin's list shows the nickname the user set, when it was enrolled and last used (issue 22)", async () => {
    const factor = await enrolDummy(h, user, 'nick-code');
    await h.http
      .patch(`${API}/user-config/own/${factor}/update/`)
      .set(await h.auth(user))
      .send({ nickname: 'Office laptop' })
      .expect(200);
    const [stored] = await h.sql('SELECT created_at, last_used_at FROM two_factor_user_config WHERE id = ?', [factor]);
    const [item] = (
      await h.http
        .get(`${userConfigsPath(user)}/list/`)
        .set(admin)
        .expect(200)
    ).body;
    expect(item).toMatchObject({ id: factor, nickname: 'Office laptop', title: 'Office laptop' });
    expect(Date.parse(item.created_at)).toBe(Number(stored.created_at));
    expect(Date.parse(item.last_used_at)).toBe(Number(stored.last_used_at));
    // A wrong code leaves it; a right one moves it.
    await h.sql('UPDATE two_factor_user_config SET last_used_at = 1000 WHERE id = ?', [factor]);
    expect((await confirm(await requestFor(h, user, factor), 'wrong')).status).toBe(400);
    const listed = async () =>
      (
        await h.http
          .get(`${userConfigsPath(user)}/list/`)
          .set(admin)
          .expect(200)
      ).body[0].last_used_at;
    expect(await listed()).toBe(new Date(1000).toISOString());
    expect((await confirm(await requestFor(h, user, factor), 'nick-code')).status).toBe(200);
    expect(Date.parse(await listed())).toBeGreaterThan(1000);
  });

  /** Drives the factor to the 100-failure lockout through the real confirm path (the counter starts at 99). */
  async function lockOut(factor: number): Promise<void> {
    await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 99, 0)', [`uc:${factor}`]);
    expect((await confirm(await requestFor(h, user, factor), 'wrong')).status).toBe(400);
    expect((await row(factor)).status).toBe('locked');
  }

  it("lists a user's factors with status, failures and the public view only — never a hash; 403 for non-admins", async () => {
    const factor = await enrolDummy(h, user, 'very-secret-code');
    await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 3, 0)', [`uc:${factor}`]);
    const response = await h.http
      .get(`${userConfigsPath(user)}/list/`)
      .set(admin)
      .expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({
        id: factor,
        user_id: user,
        status: 'confirmed',
        is_active: true,
        is_available: true,
        consecutive_failures: 3,
        method_config: expect.objectContaining({ method: 'dummy' }),
      }),
    ]);
    const stored = JSON.parse((await h.sql('SELECT config FROM two_factor_user_config WHERE id = ?', [factor]))[0].config);
    expect(stored.code_hash).toEqual(expect.any(String));
    expect(response.text).not.toContain(stored.code_hash.split(':').pop());
    expect(response.text).not.toContain('very-secret-code');
    expect(
      (
        await h.http
          .get(`${userConfigsPath(user)}/list/`)
          .set(bob)
          .expect(403)
      ).body.code,
    ).toBe('admin_required');
    expect(
      (
        await h.http
          .get(`${userConfigsPath('nobody')}/list`)
          .set(admin)
          .expect(200)
      ).body,
    ).toEqual([]);
    expect(events.map((event) => [event.name, event.adminId, event.userId])).toEqual([
      ['two_factor.admin.user_config.listed', '3', user],
      ['two_factor.admin.user_config.listed', '3', 'nobody'],
    ]);
  });

  it('a user locked out after 100 failures, unlocked by an admin, has the factor back as it was (confirmed) and can confirm with it', async () => {
    const factor = await enrolDummy(h, user, 'right-code');
    await lockOut(factor);
    const locked = await h.http
      .post(`${API}/confirmation/request/`)
      .set(await h.auth(user))
      .send({ user_config_id: factor })
      .expect(403);
    expect(locked.body.code).toBe('factor_locked');

    expect(
      (
        await h.http
          .post(`${userConfigsPath(user)}/${factor}/unlock/`)
          .set(bob)
          .expect(403)
      ).body.code,
    ).toBe('admin_required');
    expect((await row(factor)).status).toBe('locked');
    expect(await failures(factor)).toBe(100);

    const unlocked = (
      await h.http
        .post(`${userConfigsPath(user)}/${factor}/unlock/`)
        .set(admin)
        .expect(200)
    ).body;
    // Issue 18: the factor had been proven, so it comes back confirmed (an in_process one would leave the user with no factor).
    expect(unlocked).toMatchObject({ id: factor, status: 'confirmed', consecutive_failures: 0, is_available: true });
    expect(await failures(factor)).toBe(0);
    expect(events).toEqual([expect.objectContaining({ name: 'two_factor.admin.user_config.unlocked', adminId: '3', userId: user, userConfigId: factor })]);

    // It works as before.
    const auth = await h.auth(user);
    const again = await requestFor(h, user, factor);
    expect((await confirm(again, 'right-code')).body).toMatchObject({ status: 'confirmed' });
    expect((await h.http.get(`${API}/confirmation/${again}/check/`).set(auth).expect(200)).body.is_available).toBe(true);
  });

  it('unlock of another user’s factor, an unknown id or a malformed one is 404 and changes nothing', async () => {
    const factor = await enrolDummy(h, user, 'code-1');
    await lockOut(factor);
    await h.http
      .post(`${userConfigsPath('someone-else')}/${factor}/unlock/`)
      .set(admin)
      .expect(404);
    await h.http
      .post(`${userConfigsPath(user)}/99999/unlock/`)
      .set(admin)
      .expect(404);
    await h.http
      .post(`${userConfigsPath(user)}/1e3/unlock/`)
      .set(admin)
      .expect(404);
    expect((await row(factor)).status).toBe('locked');
    expect(events).toEqual([]);
  });

  it('deactivates a lost device: the factor can no longer be used; non-admins change nothing', async () => {
    const factor = await enrolDummy(h, user, 'phone-code');
    const pending = await requestFor(h, user, factor);
    await h.http
      .post(`${userConfigsPath(user)}/${factor}/deactivate/`)
      .set(bob)
      .expect(403);
    expect(Number((await row(factor)).is_active)).toBe(1); // true on PostgreSQL, 1 on SQLite
    const response = (
      await h.http
        .post(`${userConfigsPath(user)}/${factor}/deactivate/`)
        .set(admin)
        .expect(200)
    ).body;
    expect(response).toMatchObject({ id: factor, is_active: false, is_available: false });
    expect((await confirm(pending, 'phone-code')).status).toBe(410);
    await h.http
      .post(`${API}/confirmation/request/`)
      .set(await h.auth(user))
      .send({ user_config_id: factor })
      .expect(404);
    expect(events.map((event) => event.name)).toEqual(['two_factor.admin.user_config.deactivated']);
  });

  it('deletes a factor with its confirmations; non-admins and other users’ paths change nothing', async () => {
    const factor = await enrolDummy(h, user, 'gone-code');
    const pending = await requestFor(h, user, factor);
    await h.http
      .delete(`${userConfigsPath(user)}/${factor}/destroy/`)
      .set(bob)
      .expect(403);
    await h.http
      .delete(`${userConfigsPath('someone-else')}/${factor}/destroy/`)
      .set(admin)
      .expect(404);
    expect(await row(factor)).toBeDefined();
    await h.http
      .delete(`${userConfigsPath(user)}/${factor}/destroy`)
      .set(admin)
      .expect(204);
    expect(await row(factor)).toBeUndefined();
    expect(await h.sql('SELECT id FROM two_factor_confirmation WHERE id = ?', [pending])).toEqual([]);
    await h.http
      .delete(`${userConfigsPath(user)}/${factor}/destroy`)
      .set(admin)
      .expect(404);
    expect(events.map((event) => [event.name, event.adminId, event.userConfigId])).toEqual([['two_factor.admin.user_config.deleted', '3', factor]]);
  });

  describe('confirmation search', () => {
    const search = (query: Record<string, string | number>, auth = admin) => h.http.get(`${ADMIN}/confirmation/search/`).query(query).set(auth);

    it('finds by user, method config, status and age, newest first, paginated — never with state', async () => {
      const factor = await enrolDummy(h, user, 'search-code');
      const first = await requestFor(h, user, factor);
      const second = await requestFor(h, user, factor);
      const confirmed = await requestFor(h, user, factor);
      await confirm(confirmed, 'search-code');
      await h.sql('UPDATE two_factor_confirmation SET created_at = created_at - 7200000 WHERE id = ?', [first]);

      const all = (await search({ user_id: user }).expect(200)).body;
      expect(all.total).toBe(3);
      expect(all.items.map((item: { id: string }) => item.id)).toEqual([confirmed, second, first]);
      expect(all.items[2]).toEqual({
        id: first,
        method: 'dummy',
        method_config_id: await methodConfigId(h, 'dummy'),
        user_config_id: factor,
        user_id: user,
        status: 'in_process',
        attempts: 0,
        attempts_left: 5,
        is_expired: false,
        expires_at: expect.any(String),
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(JSON.stringify(all)).not.toContain('state');
      expect(JSON.stringify(all)).not.toContain('code_hash');

      expect((await search({ user_id: user, status: 'confirmed' }).expect(200)).body.items.map((item: { id: string }) => item.id)).toEqual([confirmed]);
      expect((await search({ user_id: user, min_age_seconds: 3600 }).expect(200)).body.items.map((item: { id: string }) => item.id)).toEqual([first]);
      expect((await search({ user_id: user, max_age_seconds: 3600 }).expect(200)).body.total).toBe(2);
      expect((await search({ user_id: user, method_config_id: 99999 }).expect(200)).body.total).toBe(0);
      const page = (await search({ user_id: user, page: 2, page_size: 1 }).expect(200)).body;
      expect(page).toMatchObject({ total: 3, page: 2, page_size: 1, items: [expect.objectContaining({ id: second })] });
      expect(events.filter((event) => event.name === 'two_factor.admin.confirmation.searched').every((event) => event.adminId === '3')).toBe(true);
    });

    it('answers bad filters with 400 and their fields, and non-admins with 403', async () => {
      const bad = await search({ page_size: 'abc', status: 'done', page: 0 }).expect(400);
      expect(bad.body.code).toBe('validation_failed');
      expect([...new Set(bad.body.details.fields.map((field: { field: string }) => field.field))].sort()).toEqual(['page', 'page_size', 'status']);
      expect((await search({ page_size: 1000 }).expect(400)).body.details.fields[0].field).toBe('page_size');
      expect((await search({ order: 'id' }).expect(400)).body.details.fields[0].field).toBe('order');
      expect((await search({}, bob).expect(403)).body.code).toBe('admin_required');
      expect((await h.http.get(`${ADMIN}/confirmation/search/`).expect(401)).body.code).toBe('unauthenticated');
    });
  });
});
