import { TEST_HTTP_ADAPTER } from '../../../test/support/harness.js';
import { ConfirmerService } from 'nestjs-two-factor';
import { COURIER_DELIVERIES, COURIER_METHOD } from '../../../test/fixtures/courier.method.js';
import { API, bootLibrary, freshUser, type LibraryHarness } from '../../../test/support/library-harness.js';
import { enrolDummy, methodConfigId, requestFor, stepUpProof } from '../../../test/support/flows.js';
import { DATABASE_KINDS } from '../../../test/support/test-database.js';

const SENSITIVE = '/api/v1/account/sensitive-action';

/**
 * One test per mutant of issue 9 that once survived every suite: each names the
 * rule it guards, and fails when that rule's line is weakened.
 */
describe.each(DATABASE_KINDS)(`rules no other suite pinned down, on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;

  beforeAll(async () => {
    h = await bootLibrary(kind, { extraMethods: [COURIER_METHOD], twoFactor: { anonymousRequestsPerIpPerHour: 1000 } });
  });
  afterAll(() => h.close());

  const confirm = async (user: string | null, id: string, code: unknown) => {
    const call = h.http.post(`${API}/confirmation/confirm/`);
    if (user) call.set(await h.auth(user));
    return call.send({ id, data: { code } });
  };
  const rowOf = async (id: string) => (await h.sql('SELECT status, attempts, expires_at FROM two_factor_confirmation WHERE id = ?', [id]))[0];

  describe('proofs', () => {
    it('an expired proof no longer passes use, and stays unspent', async () => {
      const alice = freshUser();
      await enrolDummy(h, alice, 'right');
      const proof = await stepUpProof(h, alice);
      const id = proof['X-Two-Factor-Confirmation'];
      await h.sql('UPDATE two_factor_confirmation SET expires_at = ? WHERE id = ?', [Date.now() - 1000, id]);
      await h.http
        .post(SENSITIVE)
        .set(await h.auth(alice))
        .set(proof)
        .expect(403);
      expect(await h.app.get(ConfirmerService).use({ id, userId: alice, requireFactor: true })).toEqual({ used: false, confirmation: null });
      expect(await rowOf(id)).toMatchObject({ status: 'confirmed' });
    });

    it('a proof lives proofTtlSeconds from its confirmation, not longer', async () => {
      const alice = freshUser();
      const factor = await enrolDummy(h, alice, 'right');
      const id = await requestFor(h, alice, factor);
      const before = Date.now();
      const confirmed = await confirm(alice, id, 'right');
      const after = Date.now();
      expect(confirmed.status).toBe(200);
      const expiresAt = new Date(confirmed.body.expires_at).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + 300_000);
      expect(expiresAt).toBeLessThanOrEqual(after + 300_000);
      expect(Number((await rowOf(id)).expires_at)).toBe(expiresAt);
    });
  });

  describe('attempts left', () => {
    it('check shows the attempts a wrong answer left, as the failure said', async () => {
      const alice = freshUser();
      const factor = await enrolDummy(h, alice, 'right');
      const id = await requestFor(h, alice, factor);
      const wrong = await confirm(alice, id, 'wrong');
      expect(wrong.body.details).toEqual({ attempts_left: 4 });
      const checked = await h.http
        .get(`${API}/confirmation/${id}/check/`)
        .set(await h.auth(alice))
        .expect(200);
      expect(checked.body).toMatchObject({ status: 'in_process', attempts_left: 4, is_available: false });
    });
  });

  describe('sent codes', () => {
    it('a code that is sent lives at most 10 minutes, even when confirmations may live an hour', async () => {
      const long = await bootLibrary(kind, { db: h.db, extraMethods: [COURIER_METHOD], twoFactor: { confirmationTtlSeconds: 3600 } });
      try {
        const courier = await methodConfigId(long, 'courier');
        const dummy = await methodConfigId(long, 'dummy');
        const before = Date.now();
        const sent = await long.http
          .post(`${API}/confirmation/request/`)
          .set(await long.auth(freshUser()))
          .send({ method_config_id: courier })
          .expect(201);
        const after = Date.now();
        expect(new Date(sent.body.expires_at).getTime()).toBeGreaterThanOrEqual(before + 600_000);
        expect(new Date(sent.body.expires_at).getTime()).toBeLessThanOrEqual(after + 600_000);
        // A code nobody sends keeps the longer lifetime: the cap is about sending.
        const kept = await long.http
          .post(`${API}/confirmation/request/`)
          .set(await long.auth(freshUser()))
          .send({ method_config_id: dummy })
          .expect(201);
        expect(new Date(kept.body.expires_at).getTime()).toBeGreaterThan(after + 3_000_000);
      } finally {
        await long.close();
      }
    });

    it('sends are capped per user across methods: the one beyond sendsPerUserPerHour is 429, not stored and not sent', async () => {
      const capped = await bootLibrary(kind, { db: h.db, extraMethods: [COURIER_METHOD], twoFactor: { sendsPerUserPerHour: 2 } });
      try {
        const courier = await methodConfigId(capped, 'courier');
        const user = freshUser();
        const auth = await capped.auth(user);
        const statuses: number[] = [];
        let refused: { headers: Record<string, string>; body: { code: string } } | undefined;
        for (let i = 0; i < 3; i++) {
          const response = await capped.http.post(`${API}/confirmation/request/`).set(auth).send({ method_config_id: courier });
          statuses.push(response.status);
          if (response.status === 429) refused = response;
        }
        expect(statuses).toEqual([201, 201, 429]);
        expect(refused!.body.code).toBe('rate_limited');
        expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
        expect(COURIER_DELIVERIES.filter((delivery) => delivery.userId === user)).toHaveLength(2);
        expect(await capped.sql('SELECT id FROM two_factor_confirmation WHERE user_id = ?', [user])).toHaveLength(2);
        // Another user has a budget of their own.
        await capped.http
          .post(`${API}/confirmation/request/`)
          .set(await capped.auth(freshUser()))
          .send({ method_config_id: courier })
          .expect(201);
      } finally {
        await capped.close();
      }
    });
  });

  describe('backup codes', () => {
    it('regenerating the codes voids a confirmation in flight: neither a new nor an old code confirms it', async () => {
      const user = freshUser();
      const auth = await h.auth(user);
      const backup = await methodConfigId(h, 'backup_codes');
      const created = await h.http.post(`${API}/user-config/own/create/`).set(auth).send({ method_config_id: backup, config: {} }).expect(201);
      const id: number = created.body.item.id;
      const old: string[] = created.body.enrollment.codes;
      const proofId = await requestFor(h, user, id);
      expect((await confirm(user, proofId, old[0])).status).toBe(200);
      const inFlight = await requestFor(h, user, id);
      const regenerated = await h.http
        .patch(`${API}/user-config/own/${id}/update/`)
        .set(auth)
        .set({ 'X-Two-Factor-Confirmation': proofId })
        .send({ config: { regenerate: true } })
        .expect(200);
      const fresh: string[] = regenerated.body.enrollment.codes;
      for (const code of [fresh[0], old[1]]) {
        const response = await confirm(user, inFlight, code);
        expect([response.status, response.body.code]).toEqual([410, 'confirmation_expired']);
      }
      expect(await rowOf(inFlight)).toMatchObject({ status: 'in_process' });
      // The new set still works on a fresh challenge, so the refusal above was about the stale one.
      expect((await confirm(user, await requestFor(h, user, id), fresh[0])).status).toBe(200);
    });
  });

  describe('locked factors', () => {
    it('a factor that locks while a challenge is open cannot be confirmed with it, even with the right code after the cooldown', async () => {
      const alice = freshUser();
      const factor = await enrolDummy(h, alice, 'right');
      await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 98, 0)', [`uc:${factor}`]);
      const id = await requestFor(h, alice, factor);
      expect((await confirm(alice, id, 'wrong')).status).toBe(400);
      await h.sql('UPDATE two_factor_failure_counter SET last_failed_at = 0 WHERE key = ?', [`uc:${factor}`]);
      expect((await confirm(alice, id, 'wrong')).status).toBe(400);
      expect((await h.sql('SELECT status FROM two_factor_user_config WHERE id = ?', [factor]))[0].status).toBe('locked');
      await h.sql('UPDATE two_factor_failure_counter SET last_failed_at = 0 WHERE key = ?', [`uc:${factor}`]);
      const refused = await confirm(alice, id, 'right');
      expect([refused.status, refused.body.code]).toEqual([403, 'factor_locked']);
      expect(await rowOf(id)).toMatchObject({ status: 'in_process' });
    });
  });

  describe('anonymous confirmations', () => {
    it('wrong answers of different anonymous callers share no failure counter: none is slowed down, none is stored', async () => {
      const fresh = await bootLibrary(kind, { twoFactor: { anonymousRequestsPerIpPerHour: 1000 } });
      try {
        const dummy = await methodConfigId(fresh, 'dummy');
        const anonymous = async () => (await fresh.http.post(`${API}/confirmation/request/`).send({ method_config_id: dummy }).expect(201)).body.id as string;
        for (let caller = 0; caller < 7; caller++) {
          const id = await anonymous();
          const wrong = await fresh.http.post(`${API}/confirmation/confirm/`).send({ id, data: { code: `wrong-${caller}` } });
          expect([wrong.status, wrong.body.code]).toEqual([400, 'confirmation_failed']);
        }
        expect(await fresh.sql('SELECT key FROM two_factor_failure_counter')).toEqual([]);
        await fresh.http
          .post(`${API}/confirmation/confirm/`)
          .send({ id: await anonymous(), data: { code: 'dummy-method' } })
          .expect(200);
      } finally {
        await fresh.close();
      }
    });
  });
});
