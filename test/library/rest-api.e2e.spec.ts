import { DataSource } from 'typeorm';
import { ConfirmerService } from 'nestjs-two-factor';
import { API, bootLibrary, freshUser, TEST_HTTP_ADAPTER, type LibraryHarness } from '../support/library-harness.js';
import { enrolDummy, methodConfigId, requestFor, stepUpProof } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MISSING = '00000000-0000-4000-8000-000000000000';

/** The REST API (docs/reference/rest-api.md, docs/reference/error-codes.md), row by row and error code by error code, through HTTP on the real demo app. */
describe.each(DATABASE_KINDS)(`REST API on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;
  let dummy: number;
  let db: DataSource;
  // Each test starts from two users without factors, so no test depends on another's enrolments.
  let alice: string;
  let bob: string;
  beforeEach(() => {
    alice = freshUser();
    bob = freshUser();
  });

  beforeAll(async () => {
    h = await bootLibrary(kind);
    dummy = await methodConfigId(h, 'dummy');
    db = h.app.get(DataSource);
  });
  afterAll(() => h.close());

  /** An INSERT's new id: `RETURNING id`, or MySQL's insert id. */
  const insertedId = async (sql: string): Promise<Array<{ id: number }>> =>
    kind === 'mysql' ? [{ id: (await db.query(sql)).insertId }] : db.query(`${sql} RETURNING id`);
  const post = async (path: string, body: unknown, user?: string) => {
    const call = h.http.post(`${API}/${path}`);
    if (user) call.set(await h.auth(user));
    return call.send(body as object);
  };
  const confirmation = async (id: string) => (await db.query(`SELECT * FROM two_factor_confirmation WHERE id = '${id}'`))[0];

  describe('1. GET method-config/list/active/', () => {
    it('lists active method configs with the user-config schema and never the global config', async () => {
      const response = await h.http.get(`${API}/method-config/list/active/`).expect(200);
      const item = response.body.find((entry: { method: string }) => entry.method === 'dummy');
      expect(Object.keys(item).sort()).toEqual(['config_schema', 'id', 'is_default', 'method', 'title', 'verbose_name']);
      expect(item.config_schema).toMatchObject({ type: 'object', properties: { code: { type: 'string' } } });
      expect(JSON.stringify(response.body)).not.toContain('dummy-method');
    });

    it('answers with and without the trailing slash', async () => {
      const withSlash = await h.http.get(`${API}/method-config/list/active/`).expect(200);
      const without = await h.http.get(`${API}/method-config/list/active`).expect(200);
      expect(without.body).toEqual(withSlash.body);
    });

    it('leaves out deactivated method configs', async () => {
      const now = Date.now();
      const [{ id }] = await insertedId(
        `INSERT INTO two_factor_method_config (title, method, config, is_active, is_default, created_at, updated_at) VALUES ('Off', 'dummy', '{}', ${kind === 'postgres' ? 'FALSE' : '0'}, ${kind === 'postgres' ? 'FALSE' : '0'}, ${now}, ${now})`,
      );
      const response = await h.http.get(`${API}/method-config/list/active/`).expect(200);
      expect(response.body.map((entry: { id: number }) => entry.id)).not.toContain(id);
    });
  });

  it('a method config whose global config is invalid is not offered and answers 404, never 500', async () => {
    const now = Date.now();
    const [{ id }] = await insertedId(
      `INSERT INTO two_factor_method_config (title, method, config, is_active, is_default, created_at, updated_at) VALUES ('Broken', 'dummy', '{"code": 42}', TRUE, FALSE, ${now}, ${now})`,
    );
    const listed = await h.http.get(`${API}/method-config/list/active/`).expect(200);
    expect(listed.body.map((entry: { id: number }) => entry.id)).not.toContain(Number(id));
    const requested = await post('confirmation/request/', { method_config_id: Number(id) });
    expect(requested.status).toBe(404);
    const created = await post('user-config/own/create/', { method_config_id: Number(id), config: { code: 'x' } }, alice);
    expect(created.status).toBe(404);
  });

  describe('2. GET user-config/own/list/', () => {
    it('answers 401 unauthenticated without a user', async () => {
      const response = await h.http.get(`${API}/user-config/own/list/`).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, code: 'unauthenticated' });
    });

    it("lists only the caller's own configs, with the public view of config", async () => {
      const mine = await enrolDummy(h, bob, 'bobs-code');
      const response = await h.http
        .get(`${API}/user-config/own/list/`)
        .set(await h.auth(bob))
        .expect(200);
      expect(response.body.map((item: { id: number }) => item.id)).toContain(mine);
      const alices = await h.http
        .get(`${API}/user-config/own/list/`)
        .set(await h.auth(alice))
        .expect(200);
      expect(alices.body.map((item: { id: number }) => item.id)).not.toContain(mine);
      const item = response.body.find((entry: { id: number }) => entry.id === mine);
      expect(Object.keys(item).sort()).toEqual(
        [
          'config',
          'created_at',
          'id',
          'is_active',
          'is_available',
          'is_default',
          'last_used_at',
          'method_config',
          'method_config_id',
          'nickname',
          'status',
          'title',
          'updated_at',
        ].sort(),
      );
      expect(item).toMatchObject({ status: 'confirmed', is_available: true, config: {} });
      expect(JSON.stringify(response.body)).not.toMatch(/bobs-code|code_hash/);
    });
  });

  describe('3. POST user-config/own/create/', () => {
    it('creates an in_process config with a confirmation to prove it', async () => {
      const response = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'c-3' }, title: 'Mine' }, alice);
      expect(response.status).toBe(201);
      expect(response.body.item).toMatchObject({ title: 'Mine', status: 'in_process', is_available: false, method_config_id: dummy, config: {} });
      expect(response.body.confirmation_id).toMatch(UUID);
      expect(response.body.enrollment).toBeNull();
    });

    it('answers 401 without a user and writes nothing', async () => {
      const before = await db.query('SELECT COUNT(*) AS n FROM two_factor_user_config');
      const response = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'x' } });
      expect(response.status).toBe(401);
      expect(await db.query('SELECT COUNT(*) AS n FROM two_factor_user_config')).toEqual(before);
    });

    it.each([
      ['a missing method_config_id', { config: { code: 'x' } }, 'method_config_id'],
      ['a string method_config_id', { method_config_id: String(1), config: { code: 'x' } }, 'method_config_id'],
      ['a config that is not an object', { method_config_id: 1, config: 'x' }, 'config'],
      ['an unknown field', { method_config_id: 1, config: { code: 'x' }, owner: 'someone' }, 'owner'],
      ["a config the method's DTO refuses", { method_config_id: 1, config: { code: 42 } }, 'config.code'],
      ['an unknown field inside config', { method_config_id: 1, config: { code: 'x', admin: true } }, 'config.admin'],
    ] as Array<[string, Record<string, unknown>, string]>)('answers 400 validation_failed for %s, naming the field', async (_name, body, field) => {
      // The table names method config 1; use the demo's real dummy config id wherever a valid number is meant.
      const sent = typeof body.method_config_id === 'number' ? { ...body, method_config_id: dummy } : body;
      const response = await post('user-config/own/create/', sent, alice);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'validation_failed' });
      expect(response.body.details.fields.map((entry: { field: string }) => entry.field)).toContain(field);
      expect(response.body.details.fields.every((entry: { message: string }) => typeof entry.message === 'string')).toBe(true);
    });

    it('answers 404 not_found for an unknown method config', async () => {
      const response = await post('user-config/own/create/', { method_config_id: 999999, config: { code: 'x' } }, alice);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
    });

    it('keeps at most one default per user', async () => {
      const first = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'd1' }, is_default: true }, alice);
      const second = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'd2' }, is_default: true }, alice);
      const rows = await db.query(`SELECT id FROM two_factor_user_config WHERE user_id = '${alice}' AND is_default = TRUE`);
      expect(rows.map((row: { id: number }) => Number(row.id))).toEqual([second.body.item.id]);
      expect(first.body.item.id).not.toBe(second.body.item.id);
    });
  });

  describe('4. POST user-config/own/confirm/', () => {
    it('confirms with the right code, 400 confirmation_failed with attempts_left for a wrong one', async () => {
      const created = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'c-4' } }, alice);
      const wrong = await post(
        'user-config/own/confirm/',
        { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: 'nope' } },
        alice,
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 4 } });
      const right = await post(
        'user-config/own/confirm/',
        { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: 'c-4' } },
        alice,
      );
      expect(right.status).toBe(200);
      expect(right.body).toMatchObject({ id: created.body.item.id, status: 'confirmed', is_available: true });
      expect(await confirmation(created.body.confirmation_id)).toBeUndefined();
    });

    it('answers 400 wrong_config for a confirmation issued for another of the same user’s configs', async () => {
      const a = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'a' } }, alice);
      const b = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'b' } }, alice);
      const response = await post('user-config/own/confirm/', { id: a.body.item.id, confirmation_id: b.body.confirmation_id, data: { code: 'b' } }, alice);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('wrong_config');
      const listed = await h.http.get(`${API}/user-config/own/list/`).set(await h.auth(alice));
      expect(listed.body.find((item: { id: number }) => item.id === a.body.item.id).status).toBe('in_process');
    });

    it('answers 400 wrong_config for a method-level confirmation (never tied to the config)', async () => {
      const created = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'x' } }, alice);
      const methodLevel = await post('confirmation/request/', { method_config_id: dummy }, alice);
      const response = await post(
        'user-config/own/confirm/',
        { id: created.body.item.id, confirmation_id: methodLevel.body.id, data: { code: 'dummy-method' } },
        alice,
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('wrong_config');
    });

    it("answers 404 for someone else's config, exactly like a missing one, and changes nothing", async () => {
      const created = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'alices' } }, alice);
      const before = await confirmation(created.body.confirmation_id);
      const foreign = await post(
        'user-config/own/confirm/',
        { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: 'alices' } },
        bob,
      );
      const missing = await post('user-config/own/confirm/', { id: 99999999, confirmation_id: created.body.confirmation_id, data: { code: 'alices' } }, bob);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      expect(await confirmation(created.body.confirmation_id)).toEqual(before);
    });
  });

  describe('5. PUT|PATCH user-config/own/:id/update/', () => {
    it('changes the title with PUT and with PATCH', async () => {
      const id = await enrolDummy(h, alice, 'upd');
      const put = await h.http
        .put(`${API}/user-config/own/${id}/update/`)
        .set(await h.auth(alice))
        .send({ title: 'Put' })
        .expect(200);
      expect(put.body).toMatchObject({ item: { id, title: 'Put', status: 'confirmed' }, confirmation_id: null, enrollment: null });
      const patch = await h.http
        .patch(`${API}/user-config/own/${id}/update`)
        .set(await h.auth(alice))
        .send({ title: 'Patch' })
        .expect(200);
      expect(patch.body.item.title).toBe('Patch');
    });

    it('a config change needs proof, and voids the older pending confirmation', async () => {
      const created = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'old' } }, alice);
      const id = created.body.item.id;
      const changed = await h.http
        .put(`${API}/user-config/own/${id}/update/`)
        .set(await h.auth(alice))
        .send({ config: { code: 'new' } })
        .expect(200);
      expect(changed.body.item.status).toBe('in_process');
      expect(changed.body.confirmation_id).toMatch(UUID);
      const stale = await post('user-config/own/confirm/', { id, confirmation_id: created.body.confirmation_id, data: { code: 'old' } }, alice);
      expect(stale.status).toBe(410);
      expect(stale.body.code).toBe('confirmation_expired');
      await post('user-config/own/confirm/', { id, confirmation_id: changed.body.confirmation_id, data: { code: 'new' } }, alice).then((r) =>
        expect(r.status).toBe(200),
      );
    });

    it("answers 404 for someone else's config or a malformed id, and changes nothing", async () => {
      const id = await enrolDummy(h, alice, 'keep');
      const foreign = await h.http
        .put(`${API}/user-config/own/${id}/update/`)
        .set(await h.auth(bob))
        .send({ title: 'Mine now' });
      const missing = await h.http
        .put(`${API}/user-config/own/99999999/update/`)
        .set(await h.auth(bob))
        .send({ title: 'Mine now' });
      const malformed = await h.http
        .put(`${API}/user-config/own/abc/update/`)
        .set(await h.auth(bob))
        .send({ title: 'x' });
      expect([foreign.status, missing.status, malformed.status]).toEqual([404, 404, 404]);
      expect(foreign.body).toEqual(missing.body);
      const [row] = await db.query(`SELECT title FROM two_factor_user_config WHERE id = ${id}`);
      expect(row.title).toBe('');
    });

    it('answers 400 validation_failed for a wrong type', async () => {
      const id = await enrolDummy(h, alice, 'types');
      const response = await h.http
        .patch(`${API}/user-config/own/${id}/update/`)
        .set(await h.auth(alice))
        .send({ is_active: 'yes' })
        .expect(400);
      expect(response.body.details.fields[0].field).toBe('is_active');
    });
  });

  describe('factors users can tell apart: nickname, created_at, last_used_at (issue 22)', () => {
    const list = async (user: string) =>
      (
        await h.http
          .get(`${API}/user-config/own/list/`)
          .set(await h.auth(user))
          .expect(200)
      ).body as Array<Record<string, unknown>>;
    const lastUsedAt = async (id: number) => Number((await h.sql('SELECT last_used_at FROM two_factor_user_config WHERE id = ?', [id]))[0].last_used_at);

    it('the nickname the user sets at enrolment is in the list (as nickname and title); null when none', async () => {
      const before = Date.now();
      const named = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'n-1' }, nickname: 'Desk token' }, alice);
      expect(named.status).toBe(201);
      const plain = await post('user-config/own/create/', { method_config_id: dummy, config: { code: 'n-2' } }, alice);
      const items = await list(alice);
      const item = items.find((entry) => entry.id === named.body.item.id)!;
      expect(item).toMatchObject({ nickname: 'Desk token', title: 'Desk token', last_used_at: null });
      expect(Date.parse(item.created_at as string)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(item.created_at as string)).toBeLessThanOrEqual(Date.now());
      expect(items.find((entry) => entry.id === plain.body.item.id)).toMatchObject({ nickname: null, title: '', last_used_at: null });
    });

    it('renaming by nickname needs no proof, even when protected; nickname and title that disagree are refused', async () => {
      const id = await enrolDummy(h, alice, 'rename-me');
      const renamed = await h.http
        .patch(`${API}/user-config/own/${id}/update/`)
        .set(await h.auth(alice))
        .send({ nickname: 'Blue key' })
        .expect(200);
      expect(renamed.body.item).toMatchObject({ id, nickname: 'Blue key', title: 'Blue key', status: 'confirmed' });
      const both = await h.http
        .patch(`${API}/user-config/own/${id}/update/`)
        .set(await h.auth(alice))
        .send({ nickname: 'Red key', title: 'Green key' })
        .expect(400);
      expect(both.body).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'nickname' }] } });
      await h.http
        .patch(`${API}/user-config/own/${id}/update/`)
        .set(await h.auth(alice))
        .send({ nickname: 'x'.repeat(256) })
        .expect(400);
      expect((await list(alice)).find((entry) => entry.id === id)).toMatchObject({ nickname: 'Blue key' });
    });

    it('last_used_at moves only on a right answer: a wrong code leaves it (dummy, and backup codes through their claim)', async () => {
      const id = await enrolDummy(h, alice, 'used-code');
      // enrolDummy proved it: that right answer was its first use.
      expect(await lastUsedAt(id)).toBeGreaterThan(0);
      await h.sql('UPDATE two_factor_user_config SET last_used_at = 1000 WHERE id = ?', [id]);
      const wrong = await requestFor(h, alice, id);
      const refused = await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(await h.auth(alice))
        .send({ id: wrong, data: { code: 'not-it' } })
        .expect(400);
      expect(refused.body.code).toBe('confirmation_failed');
      expect(await lastUsedAt(id)).toBe(1000);
      const before = Date.now();
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(await h.auth(alice))
        .send({ id: wrong, data: { code: 'used-code' } })
        .expect(200);
      expect(await lastUsedAt(id)).toBeGreaterThanOrEqual(before);
      const listed = (await list(alice)).find((entry) => entry.id === id)!;
      expect(Date.parse(listed.last_used_at as string)).toBe(await lastUsedAt(id));

      const backup = await post('user-config/own/create/', { method_config_id: await methodConfigId(h, 'backup_codes'), config: {} }, bob);
      const backupId = backup.body.item.id as number;
      expect(backup.body.item.last_used_at).toBeNull();
      const proof = await requestFor(h, bob, backupId);
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(await h.auth(bob))
        .send({ id: proof, data: { code: 'aaaaa-aaaaa' } })
        .expect(400);
      expect((await list(bob)).find((entry) => entry.id === backupId)).toMatchObject({ last_used_at: null });
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(await h.auth(bob))
        .send({ id: proof, data: { code: backup.body.enrollment.codes[0] } })
        .expect(200);
      expect(await lastUsedAt(backupId)).toBeGreaterThanOrEqual(before);
    });
  });

  describe('6. DELETE user-config/own/:id/destroy/', () => {
    it('removes the config and every confirmation of it, even confirmed proofs', async () => {
      const id = await enrolDummy(h, alice, 'gone');
      const proof = await requestFor(h, alice, id);
      await post('confirmation/confirm/', { id: proof, data: { code: 'gone' } }, alice).then((r) => expect(r.status).toBe(200));
      await h.http
        .delete(`${API}/user-config/own/${id}/destroy/`)
        .set(await h.auth(alice))
        .set(await stepUpProof(h, alice))
        .expect(204);
      expect(await confirmation(proof)).toBeUndefined();
      const used = await h.app.get(ConfirmerService).use({ id: proof, userId: alice });
      expect(used.used).toBe(false);
    });

    it("answers 404 for someone else's config and leaves it alone", async () => {
      const id = await enrolDummy(h, alice, 'stays');
      const response = await h.http.delete(`${API}/user-config/own/${id}/destroy/`).set(await h.auth(bob));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
      expect(await db.query(`SELECT id FROM two_factor_user_config WHERE id = ${id}`)).toHaveLength(1);
    });
  });

  describe('7. POST confirmation/request/', () => {
    it('answers 400 empty_config when neither id is given', async () => {
      const response = await post('confirmation/request/', {}, alice);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('empty_config');
    });

    it('issues an anonymous method-level confirmation: 201 with the Confirmation shape only', async () => {
      const response = await post('confirmation/request/', { method_config_id: dummy });
      expect(response.status).toBe(201);
      expect(Object.keys(response.body).sort()).toEqual(['action', 'attempts_left', 'challenge', 'details', 'expires_at', 'id', 'is_available', 'status']);
      expect(response.body).toMatchObject({ status: 'in_process', is_available: false, attempts_left: 5, challenge: null });
      expect(new Date(response.body.expires_at).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
      expect((await confirmation(response.body.id)).user_id).toBeNull();
    });

    it('binds a confirmation requested by a signed-in user to that user', async () => {
      const response = await post('confirmation/request/', { method_config_id: dummy }, bob);
      expect((await confirmation(response.body.id)).user_id).toBe(bob);
    });

    it("answers 404 for someone else's user config, or one without a user, like a missing one", async () => {
      const id = await enrolDummy(h, alice, 'req');
      const foreign = await post('confirmation/request/', { user_config_id: id }, bob);
      const anonymous = await post('confirmation/request/', { user_config_id: id });
      const missing = await post('confirmation/request/', { user_config_id: 99999999 }, bob);
      expect([foreign.status, anonymous.status, missing.status]).toEqual([404, 404, 404]);
      expect(foreign.body).toEqual(missing.body);
    });

    it('answers 400 wrong_config when the two ids disagree', async () => {
      const id = await enrolDummy(h, alice, 'mix');
      const response = await post('confirmation/request/', { user_config_id: id, method_config_id: 999999 }, alice);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('wrong_config');
    });
  });

  describe('8. GET confirmation/:id/check/', () => {
    it('shows the status and availability of a confirmation', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      const pending = await h.http.get(`${API}/confirmation/${requested.body.id}/check/`).expect(200);
      expect(pending.body).toMatchObject({ id: requested.body.id, status: 'in_process', is_available: false });
      await post('confirmation/confirm/', { id: requested.body.id, data: { code: 'dummy-method' } });
      const confirmed = await h.http.get(`${API}/confirmation/${requested.body.id}/check`).expect(200);
      expect(confirmed.body).toMatchObject({ status: 'confirmed', is_available: true });
    });

    it('answers 404 for an unknown id, a malformed id, and another user’s confirmation — identically', async () => {
      const id = await enrolDummy(h, alice, 'chk');
      const alices = await requestFor(h, alice, id);
      const foreign = await h.http.get(`${API}/confirmation/${alices}/check/`).set(await h.auth(bob));
      const anonymous = await h.http.get(`${API}/confirmation/${alices}/check/`);
      const missing = await h.http.get(`${API}/confirmation/${MISSING}/check/`).set(await h.auth(bob));
      const malformed = await h.http.get(`${API}/confirmation/not-a-uuid'--/check/`).set(await h.auth(bob));
      expect([foreign.status, anonymous.status, missing.status, malformed.status]).toEqual([404, 404, 404, 404]);
      expect(foreign.body).toEqual(missing.body);
      expect(foreign.body.code).toBe('not_found');
    });

    it('answers 410 confirmation_expired once expired', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      await db.query(`UPDATE two_factor_confirmation SET expires_at = ${Date.now() - 1000} WHERE id = '${requested.body.id}'`);
      const response = await h.http.get(`${API}/confirmation/${requested.body.id}/check/`).expect(410);
      expect(response.body.code).toBe('confirmation_expired');
    });
  });

  describe('9. POST confirmation/confirm/', () => {
    it('confirms with the right code, then 409 already_confirmed', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      const ok = await post('confirmation/confirm/', { id: requested.body.id, data: { code: 'dummy-method' } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: requested.body.id, status: 'confirmed', is_available: true });
      const again = await post('confirmation/confirm/', { id: requested.body.id, data: { code: 'dummy-method' } });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('already_confirmed');
    });

    it('counts wrong codes down, then 429 confirmation_locked even for the right code', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      const left: number[] = [];
      for (let i = 0; i < 5; i++) {
        const wrong = await post('confirmation/confirm/', { id: requested.body.id, data: { code: `wrong-${i}` } });
        expect(wrong.status).toBe(400);
        left.push(wrong.body.details.attempts_left);
      }
      expect(left).toEqual([4, 3, 2, 1, 0]);
      const locked = await post('confirmation/confirm/', { id: requested.body.id, data: { code: 'dummy-method' } });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('confirmation_locked');
      expect((await confirmation(requested.body.id)).status).toBe('locked');
    });

    it('answers 410 confirmation_expired one second after expires_at, and accepts one second before', async () => {
      const late = await post('confirmation/request/', { method_config_id: dummy });
      const early = await post('confirmation/request/', { method_config_id: dummy });
      await db.query(`UPDATE two_factor_confirmation SET expires_at = ${Date.now() - 1000} WHERE id = '${late.body.id}'`);
      await db.query(`UPDATE two_factor_confirmation SET expires_at = ${Date.now() + 1000} WHERE id = '${early.body.id}'`);
      const refused = await post('confirmation/confirm/', { id: late.body.id, data: { code: 'dummy-method' } });
      expect(refused.status).toBe(410);
      expect(refused.body.code).toBe('confirmation_expired');
      expect((await confirmation(late.body.id)).status).toBe('in_process');
      const accepted = await post('confirmation/confirm/', { id: early.body.id, data: { code: 'dummy-method' } });
      expect(accepted.status).toBe(200);
    });

    it("answers 404 for another user's confirmation and leaves its counter alone", async () => {
      const id = await enrolDummy(h, alice, 'own');
      const alices = await requestFor(h, alice, id);
      const foreign = await post('confirmation/confirm/', { id: alices, data: { code: 'own' } }, bob);
      const missing = await post('confirmation/confirm/', { id: MISSING, data: { code: 'own' } }, bob);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      expect(await confirmation(alices)).toMatchObject({ status: 'in_process', attempts: 0 });
    });

    it('a resend voids the older code of the same factor', async () => {
      const id = await enrolDummy(h, alice, 'resend');
      const first = await requestFor(h, alice, id);
      const second = await requestFor(h, alice, id);
      const old = await post('confirmation/confirm/', { id: first, data: { code: 'resend' } }, alice);
      expect(old.status).toBe(410);
      const fresh = await post('confirmation/confirm/', { id: second, data: { code: 'resend' } }, alice);
      expect(fresh.status).toBe(200);
    });

    it('answers 400 validation_failed for a malformed id in the body', async () => {
      const response = await post('confirmation/confirm/', { id: 'nope', data: { code: 'x' } });
      expect(response.status).toBe(400);
      expect(response.body.details.fields[0].field).toBe('id');
    });
  });

  describe('ConfirmerService.use', () => {
    it('uses a confirmed confirmation exactly once; check shows it gone afterwards', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      await post('confirmation/confirm/', { id: requested.body.id, data: { code: 'dummy-method' } });
      const confirmer = h.app.get(ConfirmerService);
      expect((await confirmer.use({ id: requested.body.id })).used).toBe(true);
      expect((await confirmer.use({ id: requested.body.id })).used).toBe(false);
      await h.http.get(`${API}/confirmation/${requested.body.id}/check/`).expect(404);
    });

    it('refuses an unconfirmed, a foreign, or a deactivated-method confirmation', async () => {
      const confirmer = h.app.get(ConfirmerService);
      const pending = await post('confirmation/request/', { method_config_id: dummy });
      expect((await confirmer.use({ id: pending.body.id })).used).toBe(false);
      const id = await enrolDummy(h, alice, 'use');
      const alices = await requestFor(h, alice, id);
      await post('confirmation/confirm/', { id: alices, data: { code: 'use' } }, alice);
      expect((await confirmer.use({ id: alices, userId: bob })).used).toBe(false);
      expect((await confirmer.use({ id: alices })).used).toBe(false);
      await db.query(`UPDATE two_factor_user_config SET is_active = FALSE WHERE id = ${id}`);
      expect((await confirmer.use({ id: alices, userId: alice })).used).toBe(false);
      await db.query(`UPDATE two_factor_user_config SET is_active = TRUE WHERE id = ${id}`);
      expect((await confirmer.use({ id: alices, userId: alice })).used).toBe(true);
    });
  });

  describe('concurrency', () => {
    it('30 parallel right answers: exactly one succeeds', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      const responses = await Promise.all(
        Array.from({ length: 30 }, () => post('confirmation/confirm/', { id: requested.body.id, data: { code: 'dummy-method' } })),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
    });

    it('20 parallel wrong answers on a 5-attempt confirmation: exactly 5 judged, the rest locked', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post('confirmation/confirm/', { id: requested.body.id, data: { code: `bad-${i}` } })),
      );
      const codes = responses.map((r) => r.body.code);
      expect(codes.filter((c) => c === 'confirmation_failed')).toHaveLength(5);
      expect(codes.filter((c) => c === 'confirmation_locked')).toHaveLength(15);
      expect(await confirmation(requested.body.id)).toMatchObject({ attempts: 5, status: 'locked' });
    });

    it('20 parallel wrong answers straight through ConfirmerService (every read before any write): exactly 5 judged', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      const confirmer = h.app.get(ConfirmerService);
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => confirmer.confirm({ id: requested.body.id, data: { code: `bad-${i}` } })));
      const codes = outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'confirmed'));
      expect(codes.filter((c) => c === 'confirmation_failed')).toHaveLength(5);
      expect(codes.filter((c) => c === 'confirmation_locked')).toHaveLength(15);
      expect(await confirmation(requested.body.id)).toMatchObject({ attempts: 5, status: 'locked' });
    });

    it('30 parallel right answers straight through ConfirmerService: exactly one succeeds', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      const confirmer = h.app.get(ConfirmerService);
      const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => confirmer.confirm({ id: requested.body.id, data: { code: 'dummy-method' } })));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    });

    it('50 parallel use calls: exactly one succeeds', async () => {
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      await post('confirmation/confirm/', { id: requested.body.id, data: { code: 'dummy-method' } });
      const confirmer = h.app.get(ConfirmerService);
      const results = await Promise.all(Array.from({ length: 50 }, () => confirmer.use({ id: requested.body.id })));
      expect(results.filter((r) => r.used)).toHaveLength(1);
    });

    it('two app instances on one database: 30 parallel confirms and 50 parallel uses each succeed once', async () => {
      const second = await h.another();
      const requested = await post('confirmation/request/', { method_config_id: dummy });
      const apps = [h.http, second.http];
      const confirms = await Promise.all(
        Array.from({ length: 30 }, (_, i) => apps[i % 2].post(`${API}/confirmation/confirm/`).send({ id: requested.body.id, data: { code: 'dummy-method' } })),
      );
      expect(confirms.filter((r) => r.status === 200)).toHaveLength(1);
      const confirmers = [h.app.get(ConfirmerService), second.app.get(ConfirmerService)];
      const uses = await Promise.all(Array.from({ length: 50 }, (_, i) => confirmers[i % 2].use({ id: requested.body.id })));
      expect(uses.filter((r) => r.used)).toHaveLength(1);
    });
  });

  describe('bad input never gives a 5xx', () => {
    // Raw JSON texts, so that non-object bodies and a literal "__proto__" key reach the server as written.
    const bodies: string[] = [
      'null',
      '[]',
      '"text"',
      '42',
      'true',
      '{"id":null}',
      '{"id":1.5}',
      '{"id":-1}',
      '{"data":[]}',
      '{"method_config_id":1e308}',
      '{"user_config_id":"1"}',
      '{"config":null}',
      '{"data":{"code":{}}}',
      JSON.stringify({ data: { code: 'x'.repeat(50_000) } }),
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
    ];
    const routes: Array<['post' | 'put' | 'patch' | 'delete' | 'get', string]> = [
      ['post', 'user-config/own/create/'],
      ['post', 'user-config/own/confirm/'],
      ['put', 'user-config/own/1/update/'],
      ['patch', 'user-config/own/9999999999999999999999/update/'],
      ['delete', 'user-config/own/-1/destroy/'],
      ['post', 'confirmation/request/'],
      ['get', `confirmation/${'%00'}/check/`],
      ['post', 'confirmation/confirm/'],
    ];

    it.each(routes)('%s %s', async (verb, path) => {
      const auth = await h.auth(alice);
      for (const body of bodies) {
        const response = await h.http[verb](`${API}/${path}`).set(auth).set('Content-Type', 'application/json').send(body);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(typeof response.body.code).toBe('string');
      }
      const raw = await h.http[verb](`${API}/${path}`).set(auth).set('Content-Type', 'application/json').send('{"unterminated":');
      // Fastify never reads the body of a GET: the route answers for its bad id instead.
      expect(raw.status).toBe(verb === 'get' && TEST_HTTP_ADAPTER === 'fastify' ? 404 : 400);
    });
  });
});
