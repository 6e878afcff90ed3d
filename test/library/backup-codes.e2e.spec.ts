import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { DataSource } from 'typeorm';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { TwoFactorAuditEvent } from 'nestjs-two-factor';
import { MethodConfig } from 'nestjs-two-factor';
import { API, bootLibrary, freshUser, type LibraryHarness } from '../support/library-harness.js';
import { methodConfigId } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const CODE = /^[a-km-np-z2-9]{5}-[a-km-np-z2-9]{5}$/;

/** The same characters from the fullwidth block, which case folding and digit parsing might otherwise accept. */
const fullwidth = (text: string) => String.fromCodePoint(...[...text].map((char) => char.codePointAt(0)! + 0xfee0));

describe.each(DATABASE_KINDS)(`backup codes on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;
  let db: DataSource;
  let backupConfigId: number;

  const query = (sql: string, params: unknown[] = []) => h.sql(sql, params);

  beforeAll(async () => {
    h = await bootLibrary(kind);
    db = h.app.get(DataSource);
    backupConfigId = await methodConfigId(h, 'backup_codes');
  });
  afterAll(() => h.close());

  /** Every test signs in as a user of its own, so no factor, failure count or step-up rule carries over. */
  let auth: Record<string, string>;
  beforeEach(async () => {
    auth = await h.auth(freshUser());
  });

  const request = async (userConfigId: number): Promise<string> =>
    (await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: userConfigId }).expect(201)).body.id;
  const confirm = (id: string, code: unknown) => h.http.post(`${API}/confirmation/confirm/`).set(auth).send({ id, data: { code } });
  const listed = async (id: number) =>
    (await h.http.get(`${API}/user-config/own/list/`).set(auth).expect(200)).body.find((item: { id: number }) => item.id === id);
  const guardOf = async (id: number) => Number((await query('SELECT replay_guard FROM two_factor_user_config WHERE id = ?', [id]))[0].replay_guard);

  async function enrol(methodConfig = backupConfigId) {
    const created = await h.http.post(`${API}/user-config/own/create/`).set(auth).send({ method_config_id: methodConfig, config: {} }).expect(201);
    return { created, id: created.body.item.id as number, codes: created.body.enrollment.codes as string[] };
  }

  describe('enrolment', () => {
    it('is offered with its user-config schema, and never its global config', async () => {
      const response = await h.http.get(`${API}/method-config/list/active/`).expect(200);
      const item = response.body.find((entry: { id: number }) => entry.id === backupConfigId);
      expect(item).toMatchObject({ method: 'backup_codes', verbose_name: 'Backup codes' });
      expect(Object.keys(item.config_schema.properties)).toEqual(['regenerate']);
      expect(JSON.stringify(item)).not.toContain('count');
    });

    it('shows the codes once, ready to use; afterwards only how many remain', async () => {
      const { created, id, codes } = await enrol();
      expect(created.body).toMatchObject({ confirmation_id: null, item: { status: 'confirmed', is_available: true, config: { total: 10, remaining: 10 } } });
      expect(Object.keys(created.body.enrollment)).toEqual(['codes']);
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(CODE);

      const later: string[] = [];
      const keep = <R extends { text: string; headers: object }>(response: R): R => {
        later.push(response.text, JSON.stringify(response.headers));
        return response;
      };
      const list = keep(await h.http.get(`${API}/user-config/own/list/`).set(auth).expect(200));
      expect(list.body.find((item: { id: number }) => item.id === id).config).toEqual({ total: 10, remaining: 10 });
      const renamed = keep(await h.http.put(`${API}/user-config/own/${id}/update/`).set(auth).send({ title: 'drawer' }).expect(200));
      expect(renamed.body).toMatchObject({ confirmation_id: null, enrollment: null, item: { title: 'drawer' } });
      const confirmationId = await request(id);
      keep(await confirm(confirmationId, codes[0]).expect(200));
      keep(await h.http.get(`${API}/confirmation/${confirmationId}/check/`).set(auth).expect(200));
      keep(await confirm(await request(id), codes[0]).expect(400));

      const [row] = await query('SELECT config FROM two_factor_user_config WHERE id = ?', [id]);
      const sealed = JSON.parse(row.config).codes as string[];
      for (const text of later) {
        for (const code of codes) {
          expect(text).not.toContain(code);
          expect(text).not.toContain(code.replace('-', ''));
        }
        for (const hash of sealed) expect(text).not.toContain(hash.slice(0, 40));
      }
    });

    it('keeps no plaintext code in any row: only sealed, salted hashes', async () => {
      const { id, codes } = await enrol();
      await confirm(await request(id), codes[3]).expect(200);
      const [row] = await query('SELECT config FROM two_factor_user_config WHERE id = ?', [id]);
      const stored = JSON.parse(row.config);
      expect(Object.keys(stored)).toEqual(['codes']);
      expect(stored.codes).toHaveLength(10);
      for (const sealed of stored.codes) expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
      const everything = JSON.stringify([
        await query('SELECT * FROM two_factor_user_config'),
        await query('SELECT * FROM two_factor_confirmation'),
        await query('SELECT * FROM two_factor_method_config'),
      ]).toLowerCase();
      for (const code of codes) {
        expect(everything).not.toContain(code);
        expect(everything).not.toContain(code.replace('-', ''));
      }
    });

    it('makes as many codes as the method config says', async () => {
      const now = new Date();
      const inserted = await db.getRepository(MethodConfig).insert({
        title: 'Three backup codes',
        method: 'backup_codes',
        config: { count: 3 },
        is_active: true,
        is_default: false,
        created_at: now,
        updated_at: now,
      });
      const { created, codes } = await enrol(inserted.identifiers[0].id);
      expect(codes).toHaveLength(3);
      expect(created.body.item.config).toEqual({ total: 3, remaining: 3 });
    });

    it('refuses a confirmation that names only the method config: codes belong to one user', async () => {
      const response = await h.http.post(`${API}/confirmation/request/`).set(auth).send({ method_config_id: backupConfigId }).expect(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'user_config_id' }] } });
    });
  });

  describe('confirm', () => {
    it('accepts each code once, in any of its spellings, and counts down', async () => {
      const { id, codes } = await enrol();
      await confirm(await request(id), codes[0]).expect(200);
      expect((await listed(id)).config).toEqual({ total: 10, remaining: 9 });

      const again = await request(id);
      const spellings = [codes[0], codes[0].toUpperCase(), codes[0].replace('-', ''), codes[0].replace('-', ' ')];
      for (const [index, spelling] of spellings.entries()) {
        const response = await confirm(again, spelling).expect(400);
        expect(response.body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 4 - index } });
      }
      await confirm(again, ` ${codes[1].toUpperCase().replace('-', '')} `).expect(200);
      expect((await listed(id)).config).toEqual({ total: 10, remaining: 8 });
      expect(await guardOf(id)).toBe(0b11);
    });

    it('answers a wrong code with 400 confirmation_failed and the attempts left', async () => {
      const { id, codes } = await enrol();
      const confirmationId = await request(id);
      const wrong = ['aaaaa-aaaaa', `x${codes[0]}`, codes[0].slice(0, -1), fullwidth(codes[0])];
      for (const [index, code] of wrong.entries()) {
        const response = await confirm(confirmationId, code).expect(400);
        expect(response.body).toMatchObject({ statusCode: 400, code: 'confirmation_failed', details: { attempts_left: 4 - index } });
      }
      await confirm(confirmationId, codes[0]).expect(200);
    });

    it('refuses an expired confirmation with 410, and the code stays unused', async () => {
      const { id, codes } = await enrol();
      const expired = await request(id);
      await query('UPDATE two_factor_confirmation SET expires_at = ? WHERE id = ?', [Date.now() - 1000, expired]);
      expect((await confirm(expired, codes[0]).expect(410)).body).toMatchObject({ code: 'confirmation_expired' });
      expect(await guardOf(id)).toBe(0);
      await confirm(await request(id), codes[0]).expect(200);
    });

    it('regenerates: a new set shown once, the old set stops working', async () => {
      const { id, codes: old } = await enrol();
      // Changing a confirmed factor asks for a step-up proof: one of its own codes gives it.
      const proofId = await request(id);
      await confirm(proofId, old[0]).expect(200);
      const regenerated = await h.http
        .patch(`${API}/user-config/own/${id}/update/`)
        .set(auth)
        .set({ 'X-Two-Factor-Confirmation': proofId })
        .send({ config: { regenerate: true } })
        .expect(200);
      expect(regenerated.body).toMatchObject({ confirmation_id: null, item: { status: 'confirmed', config: { total: 10, remaining: 10 } } });
      const codes = regenerated.body.enrollment.codes as string[];
      expect(codes).toHaveLength(10);
      expect(codes.filter((code) => old.includes(code))).toEqual([]);
      expect(await guardOf(id)).toBe(0);

      const confirmationId = await request(id);
      await confirm(confirmationId, old[1]).expect(400);
      await confirm(confirmationId, codes[0]).expect(200);
      const list = await h.http.get(`${API}/user-config/own/list/`).set(auth).expect(200);
      for (const code of codes) expect(list.text).not.toContain(code);
    });
  });

  describe('how many remain (issue 22)', () => {
    const SENSITIVE = '/api/v1/account/sensitive-action';

    it('each step-up with a backup code answers how many remain, counting down; the list and the audit event say the same', async () => {
      const { id, codes } = await enrol();
      const events: TwoFactorAuditEvent[] = [];
      const emitter = h.app.get(EventEmitter2);
      const listener = (event: TwoFactorAuditEvent) => {
        if (event.userConfigId === id) events.push(event);
      };
      emitter.on('two_factor.confirmation.confirmed', listener);
      try {
        for (const [index, code] of codes.slice(0, 3).entries()) {
          const confirmationId = await request(id);
          const confirmed = await confirm(confirmationId, code).expect(200);
          expect(confirmed.body).toMatchObject({ id: confirmationId, status: 'confirmed', remaining: 9 - index });
          // The proof passes the step-up route, and spending it changes no count.
          await h.http.post(SENSITIVE).set(auth).set({ 'X-Two-Factor-Confirmation': confirmationId }).expect(200);
          expect((await listed(id)).config).toEqual({ total: 10, remaining: 9 - index });
        }
      } finally {
        emitter.off('two_factor.confirmation.confirmed', listener);
      }
      expect(events.map((event) => event.remaining)).toEqual([9, 8, 7]);
      // The check of a proof is no use of a code: no count there.
      const checked = await h.http
        .get(`${API}/confirmation/${await request(id)}/check/`)
        .set(auth)
        .expect(200);
      expect(checked.body).not.toHaveProperty('remaining');
    });

    it('a wrong or replayed code answers no count and spends none', async () => {
      const { id, codes } = await enrol();
      await confirm(await request(id), codes[0]).expect(200);
      const replayed = await confirm(await request(id), codes[0]).expect(400);
      expect(replayed.body).not.toHaveProperty('remaining');
      expect(replayed.body).not.toHaveProperty('details.remaining');
      expect((await listed(id)).config).toEqual({ total: 10, remaining: 9 });
    });

    it('only backup codes carry a count: a dummy confirmation answers without one', async () => {
      const dummy = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(auth)
        .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'mine' } })
        .expect(201);
      const confirmed = await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(auth)
        .send({ id: dummy.body.item.id, confirmation_id: dummy.body.confirmation_id, data: { code: 'mine' } })
        .expect(200);
      expect(confirmed.body.config).toEqual({});
      const confirmationId = await request(dummy.body.item.id);
      const answer = await confirm(confirmationId, 'mine').expect(200);
      expect(answer.body).not.toHaveProperty('remaining');
    });

    it('counts the last code down to 0', async () => {
      const now = new Date();
      const inserted = await db.getRepository(MethodConfig).insert({
        title: 'Two backup codes',
        method: 'backup_codes',
        config: { count: 2 },
        is_active: true,
        is_default: false,
        created_at: now,
        updated_at: now,
      });
      const { id, codes } = await enrol(inserted.identifiers[0].id);
      expect((await confirm(await request(id), codes[1]).expect(200)).body.remaining).toBe(1);
      expect((await confirm(await request(id), codes[0]).expect(200)).body.remaining).toBe(0);
      expect((await listed(id)).config).toEqual({ total: 2, remaining: 0 });
    });

    it('regenerating needs a proof: without one it is refused (403 two_factor_required) and the old set keeps working', async () => {
      const { id, codes } = await enrol();
      const refused = await h.http
        .patch(`${API}/user-config/own/${id}/update/`)
        .set(auth)
        .send({ config: { regenerate: true } })
        .expect(403);
      expect(refused.body).toMatchObject({ code: 'two_factor_required', details: { available: [{ id, method: 'backup_codes' }] } });
      expect(refused.text).not.toMatch(/"codes"/);
      // A proof that is not one: an unknown id.
      await h.http
        .patch(`${API}/user-config/own/${id}/update/`)
        .set(auth)
        .set({ 'X-Two-Factor-Confirmation': '3b241101-e2bb-4255-8caf-4136c566a962' })
        .send({ config: { regenerate: true } })
        .expect(403);
      expect(await guardOf(id)).toBe(0);
      expect((await confirm(await request(id), codes[0]).expect(200)).body.remaining).toBe(9);
    });
  });

  describe('single use under races', () => {
    // Three codes, not ten: the race is decided by one bit whatever the set's size, and each confirm scrypts every unspent code.
    let smallSetId: number;
    beforeAll(async () => {
      const now = new Date();
      const inserted = await db.getRepository(MethodConfig).insert({
        title: 'Race backup codes',
        method: 'backup_codes',
        config: { count: 3 },
        is_active: true,
        is_default: false,
        created_at: now,
        updated_at: now,
      });
      smallSetId = inserted.identifiers[0].id;
    });

    it('30 parallel uses of one code, in several spellings, on 30 live confirmations: exactly one succeeds', async () => {
      const { id, codes } = await enrol(smallSetId);
      const confirmations: string[] = [];
      for (let i = 0; i < 30; i++) confirmations.push(await request(id));
      // Each request voids the older ones (challenge_seq); revive them all, so only the replay guard stands between them.
      await query(
        'UPDATE two_factor_confirmation SET challenge_seq = (SELECT u.challenge_seq FROM two_factor_user_config u WHERE u.id = ?) WHERE user_config_id = ?',
        [id, id],
      );
      const spellings = [codes[2], codes[2].toUpperCase(), codes[2].replace('-', '')];
      const responses = await Promise.all(confirmations.map((confirmationId, i) => confirm(confirmationId, spellings[i % spellings.length])));
      expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
      // The losers are wrong answers; after a few, the factor's failure cooldown answers for them.
      for (const response of responses.filter((r) => r.status !== 200)) {
        expect([`400 confirmation_failed`, `429 rate_limited`]).toContain(`${response.status} ${response.body.code}`);
      }
      expect(await guardOf(id)).toBe(2 ** 2);
    }, 120_000);

    it('30 parallel confirms of one code on one confirmation: exactly one succeeds', async () => {
      const { id, codes } = await enrol(smallSetId);
      const confirmationId = await request(id);
      const responses = await Promise.all(Array.from({ length: 30 }, () => confirm(confirmationId, codes[1])));
      expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
      for (const response of responses) expect(response.status).toBeLessThan(500);
      expect(await guardOf(id)).toBe(2 ** 1);
    }, 120_000);
  });
});
