import { EventEmitter2 } from '@nestjs/event-emitter';
import { ConfirmerService, readTwoFactorPolicy, resolveTwoFactorPolicy, SignInService, type TwoFactorAuditEvent } from 'nestjs-two-factor';
import { SecretBox } from 'nestjs-two-factor/methods';
import { API, bootLibrary, freshUser, TEST_HTTP_ADAPTER, type LibraryHarness } from '../support/library-harness.js';
import { enrolDummy, methodConfigId } from '../support/flows.js';
import { tableDigest } from '../support/table-digest.js';
import { DATABASE_KINDS } from '../support/test-database.js';
import { TEST_SECRET } from '../support/harness.js';
import { FixtureController, FixtureEmailPolicyController, FixturePolicyController } from '../fixtures/fixture-app.module.js';

const TRANSFER = '/api/v1/account/transfer';
const CLOSE = '/api/v1/account/close';
const PLAIN = '/api/v1/account/sensitive-action';
const EMAIL_ONLY = '/api/v1/account/email-only';
const PHISHING_RESISTANT = '/api/v1/account/phishing-resistant';
const FRESH = '/api/v1/account/fresh';
const A_TRANSFER = { amount: '120.00', currency: 'EUR', payee: 'ACME Ltd' };

/**
 * Issue 21: the step-up policy of a route (methods, phishing resistance, maximum age) and proofs
 * bound to the operation they approve (dynamic linking), on the fixture app's routes
 * (test/fixtures/fixture-app.module.ts). Every refusal changes nothing and spends nothing.
 */
describe.each(DATABASE_KINDS)(`step-up policy on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;
  const events: TwoFactorAuditEvent[] = [];
  let user: string;
  let factor: number;

  beforeAll(async () => {
    h = await bootLibrary(kind, { twoFactor: { anonymousRequestsPerIpPerHour: 1000 } });
    h.app.get(EventEmitter2).onAny((_name: string | string[], event: TwoFactorAuditEvent) => void events.push(event));
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    user = freshUser();
    factor = await enrolDummy(h, user, 'right');
  });

  const auth = () => h.auth(user);
  /** A confirmed proof of the user's dummy factor, requested with `operation` (action, details) when given. */
  const proof = async (operation: Record<string, unknown> = {}, who = user, userConfigId = factor, code = 'right') => {
    const requested = await h.http
      .post(`${API}/confirmation/request/`)
      .set(await h.auth(who))
      .send({ user_config_id: userConfigId, ...operation });
    expect([requested.status, requested.body.code]).toEqual([201, undefined]);
    await h.http
      .post(`${API}/confirmation/confirm/`)
      .set(await h.auth(who))
      .send({ id: requested.body.id, data: { code } })
      .expect(200);
    return requested.body.id as string;
  };
  const transferProof = (details: Record<string, unknown> = A_TRANSFER) => proof({ action: 'transfer', details });
  const call = async (path: string, id: string | undefined, body: Record<string, unknown> = {}, who = user) => {
    const request = h.http.post(path).set(await h.auth(who));
    if (id) request.set('X-Two-Factor-Confirmation', id);
    return request.send(body);
  };
  /** Calls `path` and expects it to pass. */
  const ok = async (path: string, id: string | undefined, body: Record<string, unknown> = {}, who = user) => {
    const response = await call(path, id, body, who);
    expect([response.status, response.body.code]).toEqual([200, undefined]);
    return response;
  };
  const stored = async (id: string) => (await h.sql('SELECT id FROM two_factor_confirmation WHERE id = ?', [id])).length === 1;

  /** Calls `path` and expects a 403 `code` that changed no table (the proof is still there, unspent). */
  const refused = async (path: string, id: string, body: Record<string, unknown>, code: string) => {
    const before = await tableDigest(h);
    const response = await call(path, id, body);
    expect([response.status, response.body.code]).toEqual([403, code]);
    expect(await tableDigest(h)).toBe(before);
    expect(await stored(id)).toBe(true);
    return response;
  };

  describe('requesting for an operation', () => {
    it('the request answer and check return the action and the details; a plain one has null for both', async () => {
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await auth())
        .send({ user_config_id: factor, action: 'transfer', details: { ...A_TRANSFER, reference: 42.5 } })
        .expect(201);
      expect(requested.body).toMatchObject({ action: 'transfer', details: { ...A_TRANSFER, reference: 42.5 } });
      const checked = await h.http
        .get(`${API}/confirmation/${requested.body.id}/check/`)
        .set(await auth())
        .expect(200);
      expect(checked.body).toMatchObject({ action: 'transfer', details: { ...A_TRANSFER, reference: 42.5 } });
      const plain = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await auth())
        .send({ user_config_id: factor })
        .expect(201);
      expect(plain.body).toMatchObject({ action: null, details: null });
      // The database keeps a keyed digest (what judges), never something a client could recompute without the key.
      const [row] = await h.sql('SELECT action, details_digest FROM two_factor_confirmation WHERE id = ?', [requested.body.id]);
      expect(row.action).toBe('transfer');
      expect(row.details_digest).toMatch(/^[0-9a-f]{8}:[0-9a-f]{64}$/);
    });

    it.each([
      ['an action with capitals', { action: 'Transfer' }, 'action'],
      ['an empty action', { action: '' }, 'action'],
      ['an action of 65 characters', { action: 'a'.repeat(65) }, 'action'],
      ['details without an action', { details: { amount: '1' } }, 'details'],
      ['17 details', { action: 'transfer', details: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'details'],
      ['a nested detail', { action: 'transfer', details: { amount: { value: 1 } } }, 'details'],
      ['a detail of 257 characters', { action: 'transfer', details: { payee: 'x'.repeat(257) } }, 'details'],
      ['a boolean detail', { action: 'transfer', details: { urgent: true } }, 'details'],
      ['details as an array', { action: 'transfer', details: ['120.00'] }, 'details'],
    ])('refuses %s with 400 validation_failed, and issues nothing', async (_name, operation, field) => {
      const before = await tableDigest(h);
      const response = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await auth())
        .send({ user_config_id: factor, ...operation });
      expect([response.status, response.body.code]).toEqual([400, 'validation_failed']);
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await tableDigest(h)).toBe(before);
    });

    it('takes 16 details, 256 characters and finite numbers', async () => {
      const details = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i % 2 ? 'x'.repeat(256) : i * 1.5]));
      const id = await proof({ action: 'bulk.export_v2', details });
      const checked = await h.http
        .get(`${API}/confirmation/${id}/check/`)
        .set(await auth())
        .expect(200);
      expect(checked.body.details).toEqual(details);
    });

    it('refuses an action on an enrolment confirmation (only a step-up is bound)', async () => {
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(await auth())
        .set('X-Two-Factor-Confirmation', await proof())
        .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'second' } })
        .expect(201);
      const response = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await auth())
        .send({ user_config_id: created.body.item.id, action: 'transfer', details: A_TRANSFER });
      expect([response.status, response.body.code, response.body.details.fields[0].field]).toEqual([400, 'validation_failed', 'action']);
    });
  });

  describe('a route bound to an operation', () => {
    it('passes a proof requested for exactly this transfer, once, with what was used on the request', async () => {
      const id = await transferProof();
      const passed = await ok(TRANSFER, id, A_TRANSFER);
      expect(passed.body).toMatchObject({ transferred: true, amr: ['pwd', 'mfa'] });
      expect(passed.body.proof).toMatchObject({
        id,
        method: 'dummy',
        user_config_id: factor,
        action: 'transfer',
        details: A_TRANSFER,
        amr: ['pwd'],
        phishing_resistant: false,
      });
      expect(Date.parse(passed.body.proof.confirmed_at)).toBeLessThanOrEqual(Date.now());
      expect(passed.body.proof).not.toHaveProperty('state');
      expect(events.filter((event) => event.confirmationId === id).map((event) => [event.name, event.action])).toEqual([
        ['two_factor.confirmation.requested', 'transfer'],
        ['two_factor.confirmation.confirmed', 'transfer'],
        ['two_factor.confirmation.used', 'transfer'],
      ]);
      expect(JSON.stringify(events.filter((event) => event.confirmationId === id))).not.toContain('ACME');
      // Spent.
      const again = await call(TRANSFER, id, A_TRANSFER);
      expect([again.status, again.body.code]).toEqual([403, 'two_factor_required']);
      expect(await stored(id)).toBe(false);
    });

    it.each([
      ['the amount 120.00 → 120.01', { ...A_TRANSFER, amount: '120.01' }],
      ['the amount 120.00 → 120.0', { ...A_TRANSFER, amount: '120.0' }],
      ["the payee's letter case", { ...A_TRANSFER, payee: 'ACME LTD' }],
      ['a space in the payee', { ...A_TRANSFER, payee: 'ACME Ltd ' }],
      ['the currency', { ...A_TRANSFER, currency: 'USD' }],
      ['a missing detail', { amount: '120.00', currency: 'EUR' }],
      ['the amount as a number', { ...A_TRANSFER, amount: 120 }],
    ])('refuses a change after confirming (%s): 403 proof_action_mismatch, nothing spent, the right transfer still passes', async (_name, body) => {
      const id = await transferProof();
      const response = await refused(TRANSFER, id, body, 'proof_action_mismatch');
      expect(response.body.details).toEqual({ action: 'transfer' });
      await ok(TRANSFER, id, A_TRANSFER);
    });

    it('refuses a plain proof (no action) and spends nothing: it still passes a plain route', async () => {
      const id = await proof();
      await refused(TRANSFER, id, A_TRANSFER, 'proof_action_mismatch');
      await ok(PLAIN, id);
    });

    it("refuses a proof of another action's route, and a bound proof on a plain route; it still passes its own", async () => {
      const id = await transferProof();
      await refused(CLOSE, id, {}, 'proof_action_mismatch');
      await refused(PLAIN, id, {}, 'proof_action_mismatch');
      await ok(TRANSFER, id, A_TRANSFER);
      const closing = await proof({ action: 'close_account' });
      await refused(TRANSFER, closing, A_TRANSFER, 'proof_action_mismatch');
      await ok(CLOSE, closing);
    });

    it('without a proof answers two_factor_required; a proof of another user is not spent', async () => {
      const none = await call(TRANSFER, undefined, A_TRANSFER);
      expect([none.status, none.body.code, none.body.details.available.map((f: { id: number }) => f.id)]).toEqual([403, 'two_factor_required', [factor]]);
      const bob = freshUser();
      const bobsFactor = await enrolDummy(h, bob, 'bobs');
      const bobs = await proof({ action: 'transfer', details: A_TRANSFER }, bob, bobsFactor, 'bobs');
      await refused(TRANSFER, bobs, A_TRANSFER, 'two_factor_required');
      await ok(TRANSFER, bobs, A_TRANSFER, bob);
    });

    it('one bound proof raced on two routes (and twice on its own) passes exactly one request', async () => {
      const id = await transferProof();
      const responses = await Promise.all([call(TRANSFER, id, A_TRANSFER), call(TRANSFER, id, A_TRANSFER), call(CLOSE, id), call(PLAIN, id)]);
      expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
      expect(responses[0].status === 200 || responses[1].status === 200).toBe(true);
      // The same through the service, every read queued before any write (SQLite's HTTP staggers requests).
      const again = await transferProof();
      const confirmer = h.app.get(ConfirmerService);
      const policy = { action: 'transfer', details: A_TRANSFER };
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => confirmer.spendProof({ userId: user, id: again, policy })));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    });
  });

  describe('methods and phishing resistance', () => {
    /** Enrols an email factor for the user and gives a proof of it. */
    const emailFactor = async () => {
      const address = `${user}@example.com`.toLowerCase();
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(await auth())
        .set('X-Two-Factor-Confirmation', await proof())
        .send({ method_config_id: await methodConfigId(h, 'email'), config: { email: address } })
        .expect(201);
      const latest = async () => /\b(\d{6})\b/.exec((await h.http.get('/api/v1/dev/outbox').query({ to: address }).expect(200)).body[0].text)![1];
      await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(await auth())
        .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: await latest() } })
        .expect(200);
      return { id: created.body.item.id as number, latest };
    };

    it('a user with no allowed factor gets 403 two_factor_enrollment_required listing what to enrol in; a proof is not spent', async () => {
      const none = await call(EMAIL_ONLY, undefined);
      expect([none.status, none.body.code]).toEqual([403, 'two_factor_enrollment_required']);
      expect(none.body.details.methods.map((m: { method: string }) => m.method)).toEqual(['email']);
      const id = await proof();
      await refused(EMAIL_ONLY, id, {}, 'two_factor_enrollment_required');
      await ok(PLAIN, id);
      // No method of the fixture resists phishing: nothing to enrol in here.
      const resistant = await call(PHISHING_RESISTANT, undefined);
      expect([resistant.status, resistant.body.code, resistant.body.details.methods]).toEqual([403, 'two_factor_enrollment_required', []]);
    });

    it('lists only the allowed factors, refuses a proof of another method (factor_not_allowed, not spent), passes an allowed one', async () => {
      const email = await emailFactor();
      const none = await call(EMAIL_ONLY, undefined);
      expect([none.status, none.body.code, none.body.details.available.map((f: { id: number }) => f.id)]).toEqual([403, 'two_factor_required', [email.id]]);
      const dummyProof = await proof();
      const response = await refused(EMAIL_ONLY, dummyProof, {}, 'factor_not_allowed');
      expect(response.body.details.available.map((f: { id: number; method: string }) => [f.id, f.method])).toEqual([[email.id, 'email']]);
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await auth())
        .send({ user_config_id: email.id })
        .expect(201);
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(await auth())
        .send({ id: requested.body.id, data: { code: await email.latest() } })
        .expect(200);
      const passed = await ok(EMAIL_ONLY, requested.body.id);
      expect(passed.body.proof).toMatchObject({ method: 'email', amr: ['otp'], user_config_id: email.id });
      await ok(PLAIN, dummyProof);
    });
  });

  describe('maximum age', () => {
    /** Moves a proof's confirmation `seconds` into the past (a proof is never written after it is confirmed). */
    const age = (id: string, seconds: number) => h.sql('UPDATE two_factor_confirmation SET updated_at = updated_at - ? WHERE id = ?', [seconds * 1000, id]);

    it('refuses a proof confirmed longer ago than maxAgeSeconds (proof_too_old, not spent); it still passes a route without one', async () => {
      const id = await proof();
      await age(id, 61);
      const response = await refused(FRESH, id, {}, 'proof_too_old');
      expect(response.body.details).toEqual({ max_age_seconds: 60 });
      await ok(PLAIN, id);
    });

    it('passes a proof confirmed within maxAgeSeconds', async () => {
      const id = await proof();
      await age(id, 55);
      const passed = await ok(FRESH, id);
      expect(passed.body.proof.id).toBe(id);
    });

    it('on a controller: every route takes its policy, a route adds its own, and the proof is spent once', async () => {
      await ok('/api/v1/policy/any-dummy', await proof());
      const old = await proof();
      await age(old, 61);
      await refused('/api/v1/policy/fresh-dummy', old, {}, 'proof_too_old');
      // Both the controller's guard and the route's run: the second sees the proof the first spent.
      const fresh = await proof();
      const passed = await ok('/api/v1/policy/fresh-dummy', fresh);
      expect(passed.body.proof.id).toBe(fresh);
      expect(await stored(fresh)).toBe(false);
      await ok('/api/v1/policy/any-dummy', old);
    });

    it('a handler two controllers share takes each controller’s policy, whichever route was called first', async () => {
      // The guard reads a route's policy once: by handler and controller, never by handler alone.
      await ok('/api/v1/policy/any-dummy', await proof());
      const id = await proof();
      await refused('/api/v1/policy-email/any-dummy', id, {}, 'two_factor_enrollment_required');
      await refused('/api/v1/policy-email/fresh-dummy', id, {}, 'two_factor_enrollment_required');
      await ok('/api/v1/policy/fresh-dummy', id);
    });
  });

  describe('a host reads the policy', () => {
    it('readTwoFactorPolicy gives a route its options, resolveTwoFactorPolicy the details of a request, and ConfirmerService.spendProof spends by them', async () => {
      const context = (handler: string, controller: Function = FixtureController) => ({
        getClass: () => controller as never,
        getHandler: () => (controller.prototype as Record<string, Function>)[handler] as never,
      });
      expect(readTwoFactorPolicy(context('sensitiveAction'))).toEqual({});
      expect(readTwoFactorPolicy(context('fresh'))).toEqual({ maxAgeSeconds: 60 });
      expect(readTwoFactorPolicy(context('freshDummy', FixturePolicyController))).toEqual({ methods: ['dummy'], maxAgeSeconds: 60 });
      expect(readTwoFactorPolicy(context('freshDummy', FixtureEmailPolicyController))).toEqual({ methods: ['email'], maxAgeSeconds: 60 });
      const options = readTwoFactorPolicy(context('transfer'))!;
      expect(options.action).toBe('transfer');
      const policy = await resolveTwoFactorPolicy(options, { body: A_TRANSFER });
      expect(policy).toEqual({ action: 'transfer', details: A_TRANSFER });

      const confirmer = h.app.get(ConfirmerService);
      const id = await transferProof();
      await expect(
        confirmer.spendProof({ userId: user, id, policy: { action: 'transfer', details: { ...A_TRANSFER, amount: '120.01' } } }),
      ).rejects.toMatchObject({
        code: 'proof_action_mismatch',
      });
      await expect(confirmer.spendProof({ userId: user, id })).rejects.toMatchObject({ code: 'proof_action_mismatch' });
      expect((await confirmer.use({ userId: user, id })).used).toBe(false);
      const spent = await confirmer.spendProof({ userId: user, id, policy });
      expect(spent).toMatchObject({ id, method: 'dummy', action: 'transfer', amr: ['pwd'] });
    });

    it('the digest is keyed: it matches across a key rotation only with the old key in the ring', () => {
      const old = new SecretBox(TEST_SECRET);
      const rotated = new SecretBox('another-secret-another-secret-0123456789', [TEST_SECRET]);
      const canonical = JSON.stringify(['two-factor/operation/v1', 'transfer', [['amount', '120.00']]]);
      expect(rotated.hashes(canonical)).toContain(old.hash(canonical));
      expect(new SecretBox('another-secret-another-secret-0123456789').hashes(canonical)).not.toContain(old.hash(canonical));
    });
  });

  it('the sign-in result carries the method and the amr/acr of the factor that completed it', async () => {
    const signIn = h.app.get(SignInService);
    const started = await signIn.start(user);
    if (!started.twoFactorRequired) throw new Error('expected a pending sign-in');
    await signIn.requestConfirmation(started.token, factor);
    const done = await signIn.confirm(started.token, { data: { code: 'right' } });
    expect(done).toMatchObject({ userId: user, method: 'dummy', amr: ['pwd', 'mfa'], acr: 'mfa' });
  });

  it('a code sent for an operation names it in the message', async () => {
    const address = `${user}-sent@example.com`.toLowerCase();
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await auth())
      .set('X-Two-Factor-Confirmation', await proof())
      .send({ method_config_id: await methodConfigId(h, 'email'), config: { email: address } })
      .expect(201);
    const outbox = async () => (await h.http.get('/api/v1/dev/outbox').query({ to: address }).expect(200)).body as Array<{ text: string }>;
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(await auth())
      .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: /\b(\d{6})\b/.exec((await outbox())[0].text)![1] } })
      .expect(200);
    await h.http
      .post(`${API}/confirmation/request/`)
      .set(await auth())
      .send({ user_config_id: created.body.item.id, action: 'transfer', details: A_TRANSFER })
      .expect(201);
    const [message] = await outbox();
    expect(message.text).toMatch(
      /^Your verification code \d{6} approves: transfer \(amount: 120\.00, currency: EUR, payee: ACME Ltd\)\. It expires in 10 minutes\./,
    );
  });
});
