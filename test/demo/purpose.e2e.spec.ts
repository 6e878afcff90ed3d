import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { API, bootDemo, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, requestFor, stepUpProof } from '../support/flows.js';
import { confirmCode, pendingSignIn, requestCode } from '../support/sign-in.js';
import { tableDigest } from '../support/table-digest.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const SENSITIVE = '/api/v1/account/sensitive-action';

/**
 * Issue 18, "Purpose": a confirmation is requested for one purpose — enrolment,
 * sign-in, step-up — fixed when it is issued, and is confirmed and spent only on
 * its own path. Attacker: the victim's session (and password), never a code —
 * the suites below stand in for a code the victim typed by using the demo's
 * dummy factor, whose code the test knows.
 */
describe.each(DATABASE_KINDS)(`confirmation purpose on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let session: { Authorization: string };
  let factor: number;
  let aliceId: string;
  const CODE = 'alice-code';

  beforeAll(async () => {
    h = await bootDemo(kind);
    // Alice's bearer token is taken before she has a factor: the session an attacker would hold.
    session = await h.auth('alice');
    factor = await enrolDummy(h, 'alice', CODE);
    aliceId = (await h.sql('SELECT user_id FROM two_factor_user_config WHERE id = ?', [factor]))[0].user_id;
  });
  afterAll(() => h.close());

  const confirmationRow = async (id: string) => (await h.sql('SELECT purpose, status, attempts FROM two_factor_confirmation WHERE id = ?', [id]))[0];
  const outcome = (response: { status: number; body: { code?: string } }) => [response.status, response.body.code];
  /** The demo's login/request: a sign-in confirmation of alice's factor, and the pending sign-in's token. */
  const signInConfirmation = async () => {
    const { token } = await pendingSignIn(h, 'alice');
    const requested = await requestCode(h, token, factor).expect(201);
    return { token, id: requested.body.id as string };
  };

  describe('a sign-in confirmation (login/request)', () => {
    it('is stored as sign_in', async () => {
      const { id } = await signInConfirmation();
      expect(await confirmationRow(id)).toMatchObject({ purpose: 'sign_in', status: 'in_process' });
    });

    it("is not confirmable through confirmation/confirm with the user's session — 404, right code or wrong, and nothing changes; the sign-in still completes", async () => {
      const { token, id } = await signInConfirmation();
      const before = await tableDigest(h);
      for (const code of [CODE, 'wrong']) {
        const response = await h.http.post(`${API}/confirmation/confirm/`).set(session).send({ id, data: { code } });
        expect(outcome(response)).toEqual([404, 'not_found']);
      }
      expect(await tableDigest(h)).toBe(before);
      expect(await confirmationRow(id)).toMatchObject({ status: 'in_process', attempts: 0 });
      const done = await confirmCode(h, token, CODE).expect(200);
      expect(done.body.access_token).toEqual(expect.any(String));
    });

    it('is not found through confirmation/:id/check, like a missing one', async () => {
      const { id } = await signInConfirmation();
      const response = await h.http.get(`${API}/confirmation/${id}/check/`).set(session);
      expect(outcome(response)).toEqual([404, 'not_found']);
    });

    it('never passes @RequireTwoFactor() — not after confirmation/confirm, not even once confirmed — and stays unspent', async () => {
      const { id } = await signInConfirmation();
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(session)
        .send({ id, data: { code: CODE } });
      const pending = await h.http.post(SENSITIVE).set(session).set('X-Two-Factor-Confirmation', id);
      expect(outcome(pending)).toEqual([403, 'two_factor_required']);
      // As if it had been confirmed on its own path and not spent yet: still not a step-up proof.
      await h.sql(`UPDATE two_factor_confirmation SET status = 'confirmed' WHERE id = ?`, [id]);
      const before = await tableDigest(h);
      const confirmed = await h.http.post(SENSITIVE).set(session).set('X-Two-Factor-Confirmation', id);
      expect(outcome(confirmed)).toEqual([403, 'two_factor_required']);
      expect(await tableDigest(h)).toBe(before);
    });

    it('is no proof for a factor change either', async () => {
      const { id } = await signInConfirmation();
      await h.sql(`UPDATE two_factor_confirmation SET status = 'confirmed' WHERE id = ?`, [id]);
      const before = await tableDigest(h);
      const response = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(session)
        .set('X-Two-Factor-Confirmation', id)
        .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'attacker' } });
      expect(outcome(response)).toEqual([403, 'two_factor_required']);
      expect(await tableDigest(h)).toBe(before);
    });
  });

  describe('a step-up confirmation (confirmation/request)', () => {
    /** Stands in for host code that attached the wrong confirmation to alice's (one) pending sign-in. */
    const attach = (id: string) => h.sql(`UPDATE two_factor_sign_in SET confirmation_id = ? WHERE user_id = ?`, [id, aliceId]);

    it('never completes a sign-in, even attached to the pending sign-in — 404, no token, nothing changes', async () => {
      await h.sql(`DELETE FROM two_factor_sign_in WHERE user_id = ?`, [aliceId]);
      const { token } = await signInConfirmation();
      const stepUp = await requestFor(h, 'alice', factor);
      expect(await confirmationRow(stepUp)).toMatchObject({ purpose: 'step_up' });
      await attach(stepUp);
      const before = await tableDigest(h);
      const refused = await confirmCode(h, token, CODE);
      expect(outcome(refused)).toEqual([404, 'not_found']);
      expect(refused.body.access_token).toBeUndefined();
      expect(await tableDigest(h)).toBe(before);
      expect(await confirmationRow(stepUp)).toMatchObject({ status: 'in_process', attempts: 0 });
    });

    it('is not taken by user-config/own/confirm (404), and stays a usable proof', async () => {
      const proof = await stepUpProof(h, 'alice');
      const id = proof['X-Two-Factor-Confirmation'];
      const fresh = await requestFor(h, 'alice', factor);
      const before = await tableDigest(h);
      const response = await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(session)
        .send({ id: factor, confirmation_id: fresh, data: { code: CODE } });
      expect(outcome(response)).toEqual([404, 'not_found']);
      expect(await tableDigest(h)).toBe(before);
      await h.http.post(SENSITIVE).set(session).set(proof).expect(200);
      expect(await confirmationRow(id)).toBeUndefined();
    });
  });

  describe('an enrolment confirmation (user-config/own/create, update, or a re-sent code)', () => {
    it('is confirmed only by user-config/own/confirm: confirmation/confirm is 404, it is no step-up proof, and nothing changes', async () => {
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(session)
        .set(await stepUpProof(h, 'alice'))
        .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'second' } })
        .expect(201);
      const id = created.body.confirmation_id as string;
      expect(await confirmationRow(id)).toMatchObject({ purpose: 'enrollment' });
      // A re-sent code for the factor still being enrolled is an enrolment confirmation too.
      const resent = await requestFor(h, 'alice', created.body.item.id);
      expect(await confirmationRow(resent)).toMatchObject({ purpose: 'enrollment' });
      const before = await tableDigest(h);
      for (const code of ['second', 'wrong']) {
        expect(outcome(await h.http.post(`${API}/confirmation/confirm/`).set(session).send({ id: resent, data: { code } }))).toEqual([404, 'not_found']);
      }
      expect(outcome(await h.http.post(SENSITIVE).set(session).set('X-Two-Factor-Confirmation', resent))).toEqual([403, 'two_factor_required']);
      expect(await tableDigest(h)).toBe(before);
      // check shows it (its own client requested it), never as a usable proof.
      expect((await h.http.get(`${API}/confirmation/${resent}/check/`).set(session).expect(200)).body).toMatchObject({
        status: 'in_process',
        is_available: false,
      });
      await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(session)
        .send({ id: created.body.item.id, confirmation_id: resent, data: { code: 'second' } })
        .expect(200);
      expect(await confirmationRow(resent)).toBeUndefined();
    });

    it('is no step-up proof even once confirmed and its factor confirmed', async () => {
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(session)
        .set(await stepUpProof(h, 'alice'))
        .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'third' } })
        .expect(201);
      const id = created.body.confirmation_id as string;
      await h.sql(`UPDATE two_factor_confirmation SET status = 'confirmed' WHERE id = ?`, [id]);
      await h.sql(`UPDATE two_factor_user_config SET status = 'confirmed' WHERE id = ?`, [created.body.item.id]);
      const before = await tableDigest(h);
      expect(outcome(await h.http.post(SENSITIVE).set(session).set('X-Two-Factor-Confirmation', id))).toEqual([403, 'two_factor_required']);
      expect(await tableDigest(h)).toBe(before);
      expect((await h.http.get(`${API}/confirmation/${id}/check/`).set(session).expect(200)).body).toMatchObject({ status: 'confirmed', is_available: false });
    });
  });
});
