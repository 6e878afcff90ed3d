import { EventEmitter2 } from '@nestjs/event-emitter';
import { SignInService, type TwoFactorAuditEvent } from 'nestjs-two-factor';
import { SecretBox } from 'nestjs-two-factor/methods';
import { RecoveryStore } from '../../libs/two-factor/src/persistence/recovery.store.js';
import { API, bootDemo, TEST_HTTP_ADAPTER, TEST_SECRET, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, stepUpProof } from '../support/flows.js';
import { confirmCode, deviceCookieOf, login, LOGIN, pendingSignIn, requestCode, signInWithDummy } from '../support/sign-in.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const ALICE_ID = '1';
const FACTOR_EMAIL = 'alice.factor@example.com';
const ACCOUNT_EMAIL = 'alice@example.com';

/**
 * Issue 22, items 1, 2 and 6: a user who lost every factor gets back in without an admin putting the
 * account on the password alone — a self-service recovery the owner can cancel during its wait, or an
 * admin's single-use temporary access code — through the demo over real HTTP. Time passing is the
 * recovery's `not_before` (or the code's `expires_at`) moved back in the database: no timed test.
 */
describe.each(DATABASE_KINDS)(`account recovery and access codes on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let admin: { Authorization: string };
  let aliceDummy: number;
  let aliceEmail: number;
  const events: TwoFactorAuditEvent[] = [];

  const outbox = async (to: string): Promise<Array<{ subject?: string; text: string }>> =>
    (await h.http.get('/api/v1/dev/outbox').query({ to }).expect(200)).body;
  const cancelCodeIn = (text: string) => /\b([A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5})\b/.exec(text)?.[1];
  const startRecovery = (token: string) => h.http.post(`${LOGIN}/recovery/start`).send({ sign_in_token: token });
  const cancelRecovery = (code: string) => h.http.post(`${LOGIN}/recovery/cancel`).send({ cancel_code: code });
  const useAccessCode = (token: string, code: string) => h.http.post(`${LOGIN}/access-code`).send({ sign_in_token: token, code });
  let dummyConfig: number;
  const enrol = (token: string, code: string) =>
    h.http.post(`${LOGIN}/enrollment`).send({ sign_in_token: token, method_config_id: dummyConfig, config: { code }, title: 'New phone' });
  const confirmEnrolment = (token: string, created: { item: { id: number }; confirmation_id: string }, code: string, remember = false) =>
    h.http.post(`${LOGIN}/enrollment/confirm`).send({
      sign_in_token: token,
      id: created.item.id,
      confirmation_id: created.confirmation_id,
      data: { code },
      ...(remember ? { remember_device: true } : {}),
    });
  const issueAccessCode = (userId: string, body: Record<string, unknown> = {}) => h.http.post(`${API}/admin/user/${userId}/access-code`).set(admin).send(body);
  /** Time passes: the recovery's wait is over. */
  const waitIsOver = () => h.sql('UPDATE two_factor_recovery SET not_before = ? WHERE user_id = ?', [Date.now() - 1000, ALICE_ID]);
  const factorIds = async (userId = ALICE_ID) =>
    (await h.sql('SELECT id, status FROM two_factor_user_config WHERE user_id = ? ORDER BY id', [userId])).map(
      (row: { id: number | string; status: string }) => [Number(row.id), row.status],
    );
  const recoveries = async () => (await h.sql('SELECT id FROM two_factor_recovery WHERE user_id = ?', [ALICE_ID])).length;

  /** Alice from scratch: a dummy factor, a proven email factor (a channel recovery notices go to), nothing else. */
  async function aliceWithFactors(): Promise<void> {
    for (const table of [
      'two_factor_recovery',
      'two_factor_access_code',
      'two_factor_sign_in',
      'two_factor_device',
      'two_factor_enabled_user',
      'two_factor_user_config',
    ]) {
      await h.sql(`DELETE FROM ${table} WHERE user_id IN ('1', '2')`);
    }
    await h.sql('DELETE FROM two_factor_rate_counter');
    aliceDummy = await enrolDummy(h, 'alice', 'alice-code');
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth('alice'))
      .set(await stepUpProof(h, 'alice'))
      .send({ method_config_id: await methodConfigId(h, 'email'), config: { email: FACTOR_EMAIL } })
      .expect(201);
    aliceEmail = created.body.item.id;
    const [sent] = await outbox(FACTOR_EMAIL);
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(await h.auth('alice'))
      .send({ id: aliceEmail, confirmation_id: created.body.confirmation_id, data: { code: /\b(\d{6})\b/.exec(sent.text)![1] } })
      .expect(200);
    events.length = 0;
  }

  /** Starts a recovery as whoever knows alice's password; returns the cancel code the owner's channels got. */
  async function recoveryStarted(): Promise<{ recoveryId: string; cancelCode: string; notBefore: string }> {
    const { token } = await pendingSignIn(h, 'alice');
    const started = await startRecovery(token).expect(202);
    const [notice] = await outbox(FACTOR_EMAIL);
    return { recoveryId: started.body.recovery_id, cancelCode: cancelCodeIn(notice.text)!, notBefore: started.body.not_before };
  }

  beforeAll(async () => {
    h = await bootDemo(kind);
    // No resend cooldown: an email factor is enrolled for every test.
    await h.sql(`UPDATE two_factor_method_config SET config = ? WHERE method = 'email'`, [
      JSON.stringify({ resend_cooldown_seconds: 0, max_sends_per_destination_per_hour: 1000 }),
    ]);
    // Bearer tokens taken while the users have no factor yet (the harness keeps them).
    admin = await h.auth('admin');
    dummyConfig = await methodConfigId(h, 'dummy');
    await h.auth('alice');
    await h.auth('bob');
    h.app.get(EventEmitter2).on('two_factor.**', (event: TwoFactorAuditEvent) => events.push(event));
  });
  afterAll(() => h.close());
  beforeEach(() => aliceWithFactors());

  describe('self-service recovery', () => {
    it('starts with 202 and a wait of 72 hours; every email factor and the account’s own address get the cancel code, no response or event does', async () => {
      const { token } = await pendingSignIn(h, 'alice');
      const before = Date.now();
      const started = await startRecovery(token).expect(202);
      expect(Object.keys(started.body).sort()).toEqual(['not_before', 'recovery_id']);
      const wait = Date.parse(started.body.not_before) - before;
      expect(wait).toBeGreaterThan(72 * 3600 * 1000 - 60_000);
      expect(wait).toBeLessThanOrEqual(72 * 3600 * 1000 + 1000);
      const [factorNotice] = await outbox(FACTOR_EMAIL);
      const [accountNotice] = await outbox(ACCOUNT_EMAIL);
      const code = cancelCodeIn(factorNotice.text)!;
      expect(code).toBeDefined();
      expect(cancelCodeIn(accountNotice.text)).toBe(code);
      expect(started.text).not.toContain(code);
      expect(JSON.stringify(events)).not.toContain(code);
      expect(events.find((event) => event.name === 'two_factor.recovery.started')).toEqual(
        expect.objectContaining({ userId: ALICE_ID, recoveryId: started.body.recovery_id }),
      );
      const [row] = await h.sql('SELECT cancel_hash FROM two_factor_recovery WHERE user_id = ?', [ALICE_ID]);
      expect(row.cancel_hash).not.toContain(code);
      expect(row.cancel_hash).not.toContain(code.replaceAll('-', ''));
    });

    it('no session before the wait ends: the pending sign-in shows the recovery, enrolment is refused with not_before', async () => {
      const { notBefore } = await recoveryStarted();
      const pending = await login(h, 'alice').expect(200);
      expect(pending.body.access_token).toBeUndefined();
      expect(pending.body.recovery).toEqual({ recovery_id: expect.any(String), not_before: notBefore, enrollment_open: false });
      const refused = await enrol(pending.body.sign_in_token, 'attacker-code');
      expect([refused.status, refused.body.code, refused.body.details]).toEqual([403, 'enrollment_not_open', { not_before: notBefore }]);
      expect(await factorIds()).toEqual([
        [aliceDummy, 'confirmed'],
        [aliceEmail, 'confirmed'],
      ]);
    });

    it('after the wait a password sign-in enrols a new factor; only its confirmation gives the session, and every old factor and device goes', async () => {
      const device = deviceCookieOf(await signInWithDummy(h, 'alice', aliceDummy, 'alice-code', true))!;
      expect(device).toBeDefined();
      const { recoveryId } = await recoveryStarted();
      await waitIsOver();
      const pending = await login(h, 'alice').expect(200);
      expect(pending.body.recovery).toEqual({ recovery_id: recoveryId, not_before: expect.any(String), enrollment_open: true });
      const token = pending.body.sign_in_token;
      const created = await enrol(token, 'new-phone-code').expect(201);
      expect(created.body.item).toEqual(expect.objectContaining({ status: 'in_process', title: 'New phone' }));
      // Enrolled, not proven: nothing changed for the old factors, and no token.
      expect(created.body.access_token).toBeUndefined();
      expect((await confirmEnrolment(token, created.body, 'wrong').expect(400)).body.code).toBe('confirmation_failed');
      expect(await factorIds()).toEqual([
        [aliceDummy, 'confirmed'],
        [aliceEmail, 'confirmed'],
        [created.body.item.id, 'in_process'],
      ]);
      const done = await confirmEnrolment(token, created.body, 'new-phone-code').expect(200);
      expect(done.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer' });
      expect(await factorIds()).toEqual([[created.body.item.id, 'confirmed']]);
      expect(await recoveries()).toBe(0);
      // The remembered device is gone: the password alone is no sign-in from it.
      expect((await login(h, 'alice', device).expect(200)).body.two_factor_required).toBe(true);
      // The token works, the sign-in token is spent, and the new factor signs in.
      await h.http.get(`${API}/user-config/own/list/`).set('Authorization', `Bearer ${done.body.access_token}`).expect(200);
      expect((await confirmEnrolment(token, created.body, 'new-phone-code').expect(401)).body.code).toBe('sign_in_invalid');
      await signInWithDummy(h, 'alice', created.body.item.id, 'new-phone-code');
      expect(events.find((event) => event.name === 'two_factor.recovery.completed')).toEqual(
        expect.objectContaining({ userId: ALICE_ID, recoveryId, reason: 'recovery', count: 2 }),
      );
    });

    it('is cancelled by the cancel code: once; afterwards the wait ending opens nothing', async () => {
      const { cancelCode, recoveryId } = await recoveryStarted();
      // Typed by a person: lower case and without dashes is the same code.
      const cancelled = await cancelRecovery(cancelCode.toLowerCase().replaceAll('-', '')).expect(200);
      expect(cancelled.body).toEqual({ cancelled: true, recovery_id: recoveryId });
      expect((await cancelRecovery(cancelCode).expect(404)).body.code).toBe('not_found');
      expect((await cancelRecovery('AAAAA-BBBBB-CCCCC-DDDDD').expect(404)).body.code).toBe('not_found');
      await waitIsOver();
      const pending = await login(h, 'alice').expect(200);
      expect(pending.body.recovery).toBeNull();
      const refused = await enrol(pending.body.sign_in_token, 'attacker-code').expect(403);
      expect([refused.body.code, refused.body.details]).toEqual(['enrollment_not_open', undefined]);
      expect(events.find((event) => event.name === 'two_factor.recovery.cancelled')).toEqual(expect.objectContaining({ recoveryId, reason: 'cancel_code' }));
    });

    it('is cancelled by any sign-in with a factor', async () => {
      const { recoveryId } = await recoveryStarted();
      await signInWithDummy(h, 'alice', aliceDummy, 'alice-code');
      expect(await recoveries()).toBe(0);
      expect(events.find((event) => event.name === 'two_factor.recovery.cancelled')).toEqual(expect.objectContaining({ recoveryId, reason: 'sign_in' }));
      const pending = await login(h, 'alice').expect(200);
      expect(pending.body.recovery).toBeNull();
      expect((await enrol(pending.body.sign_in_token, 'x').expect(403)).body.code).toBe('enrollment_not_open');
    });

    it('the attacker who knows the password and starts a recovery is stopped by the owner’s cancel, even after the wait', async () => {
      // The attacker: the password, no factor.
      const attacker = await pendingSignIn(h, 'alice');
      await startRecovery(attacker.token).expect(202);
      // The owner reads the notice on their email factor and cancels.
      const [notice] = await outbox(FACTOR_EMAIL);
      await cancelRecovery(cancelCodeIn(notice.text)!).expect(200);
      await waitIsOver();
      // The attacker comes back after the wait: enrolment stays closed, at the old and at a new sign-in; no token anywhere.
      expect((await enrol(attacker.token, 'attacker-code')).body.code).toBe('enrollment_not_open');
      const again = await pendingSignIn(h, 'alice');
      const refused = await enrol(again.token, 'attacker-code');
      expect([refused.status, refused.body.code]).toEqual([403, 'enrollment_not_open']);
      expect((await h.http.post(`${LOGIN}/confirm`).send({ sign_in_token: again.token, data: { code: 'attacker-code' } })).body.access_token).toBeUndefined();
      expect(await factorIds()).toEqual([
        [aliceDummy, 'confirmed'],
        [aliceEmail, 'confirmed'],
      ]);
    });

    it('a cancel between the enrolment and its confirmation wins: the new factor completes nothing', async () => {
      const { cancelCode } = await recoveryStarted();
      await waitIsOver();
      const { token } = await pendingSignIn(h, 'alice');
      const created = await enrol(token, 'attacker-code').expect(201);
      await cancelRecovery(cancelCode).expect(200);
      const refused = await confirmEnrolment(token, created.body, 'attacker-code');
      expect([refused.status, refused.body.code]).toEqual([403, 'enrollment_not_open']);
      expect(refused.body.access_token).toBeUndefined();
      expect(await factorIds()).toEqual([
        [aliceDummy, 'confirmed'],
        [aliceEmail, 'confirmed'],
        [created.body.item.id, 'in_process'],
      ]);
    });

    it('the recovery’s DELETE decides at completion: a cancel after the read that opened enrolment still wins', async () => {
      await recoveryStarted();
      await waitIsOver();
      const { token } = await pendingSignIn(h, 'alice');
      const created = await enrol(token, 'attacker-code').expect(201);
      // Deterministically between the read (`find`, which explains) and the transaction (whose DELETE decides).
      const store = h.app.get(RecoveryStore);
      const find = store.find.bind(store);
      store.find = async (...args) => {
        const read = await find(...args);
        await h.sql('DELETE FROM two_factor_recovery');
        return read;
      };
      try {
        const refused = await confirmEnrolment(token, created.body, 'attacker-code');
        expect([refused.status, refused.body.code]).toEqual([403, 'enrollment_not_open']);
      } finally {
        store.find = find;
      }
      expect(await factorIds()).toEqual([
        [aliceDummy, 'confirmed'],
        [aliceEmail, 'confirmed'],
        [created.body.item.id, 'in_process'],
      ]);
    });

    it('at most one per user: a second start is 409 recovery_in_progress, and of two racing starts one wins', async () => {
      const { notBefore } = await recoveryStarted();
      const { token } = await pendingSignIn(h, 'alice');
      const second = await startRecovery(token).expect(409);
      expect([second.body.code, second.body.details]).toEqual(['recovery_in_progress', { not_before: notBefore }]);
      await h.sql('DELETE FROM two_factor_recovery');
      await h.sql('DELETE FROM two_factor_rate_counter');
      // Straight through the service: every read happens before any write, so only the INSERT can decide.
      const service = h.app.get(SignInService);
      const tokens = [(await pendingSignIn(h, 'alice')).token, (await pendingSignIn(h, 'alice')).token];
      const outcomes = await Promise.allSettled(tokens.map((sign) => service.startRecovery(sign)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason.code)).toEqual([
        'recovery_in_progress',
      ]);
      expect(await recoveries()).toBe(1);
    });

    it('starts are rate-limited per user (3 a day) and per client address (10 an hour)', async () => {
      for (let i = 0; i < 3; i++) {
        const { cancelCode } = await recoveryStarted();
        await cancelRecovery(cancelCode).expect(200);
      }
      const { token } = await pendingSignIn(h, 'alice');
      const limited = await startRecovery(token).expect(429);
      expect(limited.body.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(await recoveries()).toBe(0);
      // Per client address: the per-user count forgotten after each start, the address's count is all that is left.
      const userKey = new SecretBox(TEST_SECRET).hash(`recovery:user:${ALICE_ID}@86400`).slice(0, 96);
      await h.sql('DELETE FROM two_factor_rate_counter');
      for (let i = 0; i < 10; i++) {
        const { cancelCode } = await recoveryStarted();
        await cancelRecovery(cancelCode).expect(200);
        await h.sql('DELETE FROM two_factor_rate_counter WHERE key = ?', [userKey]);
      }
      const byAddress = await startRecovery((await pendingSignIn(h, 'alice')).token);
      expect([byAddress.status, byAddress.body.code]).toEqual([429, 'rate_limited']);
    });

    it('unknown, expired or used sign-in tokens start nothing', async () => {
      expect((await startRecovery('tfs_nope').expect(401)).body.code).toBe('sign_in_invalid');
      const { token } = await pendingSignIn(h, 'alice');
      await requestCode(h, token, aliceDummy).expect(201);
      await confirmCode(h, token, 'alice-code').expect(200);
      expect((await startRecovery(token).expect(401)).body.code).toBe('sign_in_invalid');
      expect(await recoveries()).toBe(0);
    });
  });

  describe('temporary access codes', () => {
    it('an admin issues one (shown once, default 1 hour); it opens enrolment once, gives no session by itself, and the user is told', async () => {
      const before = Date.now();
      const issued = await issueAccessCode(ALICE_ID).expect(201);
      expect(Object.keys(issued.body).sort()).toEqual(['code', 'expires_at']);
      expect(issued.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const lifetime = Date.parse(issued.body.expires_at) - before;
      expect(lifetime).toBeGreaterThan(3_540_000);
      expect(lifetime).toBeLessThanOrEqual(3_601_000);
      const [stored] = await h.sql('SELECT code_hash FROM two_factor_access_code WHERE user_id = ?', [ALICE_ID]);
      expect(stored.code_hash).not.toContain(issued.body.code.replaceAll('-', ''));
      expect(events.find((event) => event.name === 'two_factor.admin.access_code.issued')).toEqual(expect.objectContaining({ userId: ALICE_ID, adminId: '3' }));
      expect(JSON.stringify(events)).not.toContain(issued.body.code);
      expect((await outbox(ACCOUNT_EMAIL))[0].subject).toMatch(/temporary access code/);

      const { token } = await pendingSignIn(h, 'alice');
      const opened = await useAccessCode(token, issued.body.code).expect(200);
      expect(opened.body).toEqual({ enrollment_open: true, opened_by: 'access_code', expires_at: expect.any(String) });
      // No session by itself: the factor path has no confirmation, and nothing was enrolled yet.
      expect((await h.http.post(`${LOGIN}/confirm`).send({ sign_in_token: token, data: { code: 'x' } })).status).toBe(404);
      const created = await enrol(token, 'new-code').expect(201);
      const done = await confirmEnrolment(token, created.body, 'new-code').expect(200);
      expect(done.body.access_token).toEqual(expect.any(String));
      // Shown once: no later answer carries the code, in any spelling.
      for (const answer of [opened, created, done]) {
        expect(answer.text).not.toContain(issued.body.code);
        expect(answer.text).not.toContain(issued.body.code.replaceAll('-', ''));
      }
      expect(await factorIds()).toEqual([[created.body.item.id, 'confirmed']]);
      expect(events.find((event) => event.name === 'two_factor.recovery.completed')).toEqual(expect.objectContaining({ reason: 'access_code', count: 2 }));
      expect((await outbox(ACCOUNT_EMAIL)).map((mail) => mail.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/access code was used/)]));
      // Used: a second use is refused.
      const next = await pendingSignIn(h, 'alice');
      expect((await useAccessCode(next.token, issued.body.code).expect(400)).body.code).toBe('access_code_invalid');
    });

    it('works once even without completing: the same code cannot open a second sign-in', async () => {
      const { body } = await issueAccessCode(ALICE_ID).expect(201);
      await useAccessCode((await pendingSignIn(h, 'alice')).token, body.code).expect(200);
      expect((await useAccessCode((await pendingSignIn(h, 'alice')).token, body.code).expect(400)).body.code).toBe('access_code_invalid');
    });

    it('purgeExpired deletes an unused code when it expires, and a used one only once the sign-in it opened can no longer complete', async () => {
      const purge = (at: number) => h.app.get(SignInService).purgeExpired(at);
      const codes = async () => (await h.sql('SELECT user_id FROM two_factor_access_code WHERE user_id = ?', [ALICE_ID])).length;
      const unused = await issueAccessCode(ALICE_ID, { lifetime_seconds: 600 }).expect(201);
      await purge(Date.parse(unused.body.expires_at) - 1000);
      expect(await codes()).toBe(1);
      await purge(Date.parse(unused.body.expires_at) + 1);
      expect(await codes()).toBe(0);

      // Used with 5 seconds of its own lifetime left: kept for the sign-in it opened, whose lifetime started again.
      const used = await issueAccessCode(ALICE_ID, { lifetime_seconds: 5 }).expect(201);
      const { token } = await pendingSignIn(h, 'alice');
      const opened = await useAccessCode(token, used.body.code).expect(200);
      const signInEnds = Date.parse(opened.body.expires_at);
      expect(signInEnds).toBeGreaterThan(Date.parse(used.body.expires_at) + 60_000);
      await purge(signInEnds - 1000);
      expect(await codes()).toBe(1);
      await purge(signInEnds);
      expect(await codes()).toBe(0);

      // A purge just before that end leaves the enrolment completable: it needs the code.
      const again = await issueAccessCode(ALICE_ID).expect(201);
      const next = await pendingSignIn(h, 'alice');
      const reopened = await useAccessCode(next.token, again.body.code).expect(200);
      await purge(Date.parse(reopened.body.expires_at) - 1000);
      const created = await enrol(next.token, 'new-code').expect(201);
      await confirmEnrolment(next.token, created.body, 'new-code').expect(200);
    });

    it('expires; lifetimes are bounded (1 s to 24 h)', async () => {
      const { body } = await issueAccessCode(ALICE_ID, { lifetime_seconds: 600 }).expect(201);
      expect(Date.parse(body.expires_at) - Date.now()).toBeLessThanOrEqual(600_000);
      await h.sql('UPDATE two_factor_access_code SET expires_at = ? WHERE user_id = ?', [Date.now() - 1, ALICE_ID]);
      expect((await useAccessCode((await pendingSignIn(h, 'alice')).token, body.code).expect(400)).body.code).toBe('access_code_invalid');
      for (const lifetime_seconds of [0, 86401, 1.5, '60']) {
        expect((await issueAccessCode(ALICE_ID, { lifetime_seconds }).expect(400)).body.code).toBe('validation_failed');
      }
      await issueAccessCode(ALICE_ID, { lifetime_seconds: 86400 }).expect(201);
    });

    it('cannot be used by another user', async () => {
      const { body } = await issueAccessCode(ALICE_ID).expect(201);
      await enrolDummy(h, 'bob', 'bob-code');
      const bob = await pendingSignIn(h, 'bob');
      expect((await useAccessCode(bob.token, body.code).expect(400)).body.code).toBe('access_code_invalid');
      expect((await enrol(bob.token, 'x').expect(403)).body.code).toBe('enrollment_not_open');
      // Still alice's, unused.
      await useAccessCode((await pendingSignIn(h, 'alice')).token, body.code).expect(200);
    });

    it('is useless for step-up: neither the code nor the sign-in it opened passes @RequireTwoFactor', async () => {
      const { body } = await issueAccessCode(ALICE_ID).expect(201);
      const auth = await h.auth('alice');
      const asProof = await h.http.post('/api/v1/account/sensitive-action').set(auth).set('X-Two-Factor-Confirmation', body.code).send({});
      expect([asProof.status, asProof.body.code]).toEqual([403, 'two_factor_required']);
      const { token } = await pendingSignIn(h, 'alice');
      await useAccessCode(token, body.code).expect(200);
      const withToken = await h.http.post('/api/v1/account/sensitive-action').set(auth).set('X-Two-Factor-Confirmation', token).send({});
      expect([withToken.status, withToken.body.code]).toEqual([403, 'two_factor_required']);
      const created = await enrol(token, 'new-code').expect(201);
      const withEnrolment = await h.http
        .post('/api/v1/account/sensitive-action')
        .set(auth)
        .set('X-Two-Factor-Confirmation', created.body.confirmation_id)
        .send({});
      expect(withEnrolment.status).toBe(403);
    });

    it('a race of two uses of one code gives one, over HTTP and straight through the service', async () => {
      const first = await issueAccessCode(ALICE_ID).expect(201);
      const tokens = [(await pendingSignIn(h, 'alice')).token, (await pendingSignIn(h, 'alice')).token];
      const answers = await Promise.all(tokens.map((token) => useAccessCode(token, first.body.code)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
      const second = await issueAccessCode(ALICE_ID).expect(201);
      const service = h.app.get(SignInService);
      const more = [(await pendingSignIn(h, 'alice')).token, (await pendingSignIn(h, 'alice')).token, (await pendingSignIn(h, 'alice')).token];
      const outcomes = await Promise.allSettled(more.map((token) => service.useAccessCode(token, second.body.code)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    });

    it('a user whose factors an admin switched off (factor_locked at the password) gets back in with a code', async () => {
      for (const id of [aliceDummy, aliceEmail]) await h.http.post(`${API}/admin/user/${ALICE_ID}/user-config/${id}/deactivate/`).set(admin).expect(200);
      expect((await login(h, 'alice').expect(403)).body.code).toBe('factor_locked');
      const { body } = await issueAccessCode(ALICE_ID).expect(201);
      const pending = await login(h, 'alice').expect(200);
      expect(pending.body.factors).toEqual([]);
      expect(pending.body.access_token).toBeUndefined();
      const token = pending.body.sign_in_token;
      await useAccessCode(token, body.code).expect(200);
      const created = await enrol(token, 'new-code').expect(201);
      expect((await confirmEnrolment(token, created.body, 'new-code').expect(200)).body.access_token).toEqual(expect.any(String));
      expect(await factorIds()).toEqual([[created.body.item.id, 'confirmed']]);
    });

    it('only admins issue codes', async () => {
      const refused = await h.http
        .post(`${API}/admin/user/${ALICE_ID}/access-code`)
        .set(await h.auth('bob'))
        .send({});
      expect([refused.status, refused.body.code]).toEqual([403, 'admin_required']);
      expect((await h.http.post(`${API}/admin/user/${ALICE_ID}/access-code`).send({})).status).toBe(401);
      expect(await h.sql('SELECT user_id FROM two_factor_access_code')).toEqual([]);
    });
  });
});
