import { createHash } from 'node:crypto';
import { SecretBox } from 'nestjs-two-factor/methods';
import { TEST_HTTP_ADAPTER, TEST_SECRET } from '../support/harness.js';
import { bootDemo, freshUser, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId } from '../support/flows.js';
import { login, signInWithDummy } from '../support/sign-in.js';
import { tableDigest } from '../support/table-digest.js';
import { DATABASE_KINDS } from '../support/test-database.js';
import { WEBAUTHN, webauthnKit } from '../support/webauthn-flows.js';

const API = '/api/v1/auth/2factor';
const TRANSFER = '/api/v1/account/transfer';
const SECURITY_KEY_ONLY = '/api/v1/account/security-key-only';
const A_TRANSFER = { amount: '120.00', currency: 'EUR', payee: 'ACME Ltd' };

/**
 * Issue 21 in the demo: a bank-style transfer approved only by a proof of that exact transfer
 * (the passkey signs a challenge bound to its details, the code message names them), and a route
 * that takes only a passkey confirmed within the last minute.
 */
describe.each(DATABASE_KINDS)(`step-up policy in the demo on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;

  beforeAll(async () => {
    h = await bootDemo(kind, { webauthn: WEBAUTHN });
  });
  afterAll(() => h.close());

  const { post, enrol, confirm, newKey } = webauthnKit(() => h);
  const call = async (path: string, user: string, id: string | undefined, body: Record<string, unknown> = {}) => {
    const request = h.http.post(path).set(await h.auth(user));
    if (id) request.set('X-Two-Factor-Confirmation', id);
    return request.send(body);
  };
  /** A passkey step-up, bound to `operation` when given; the request's answer and the confirmed id. */
  const passkeyProof = async (user: string, factor: number, key: ReturnType<typeof newKey>, operation: Record<string, unknown> = {}) => {
    const requested = await post('confirmation/request/', { user_config_id: factor, ...operation }, user);
    expect(requested.status).toBe(201);
    const confirmed = await confirm(user, requested.body.id, key.assert(requested.body.challenge.request_options));
    expect(confirmed.status).toBe(200);
    return { id: requested.body.id as string, requested };
  };
  const stored = async (id: string) => (await h.sql('SELECT id FROM two_factor_confirmation WHERE id = ?', [id])).length === 1;
  const refused = async (path: string, user: string, id: string, body: Record<string, unknown>, code: string) => {
    const before = await tableDigest(h);
    const response = await call(path, user, id, body);
    expect([response.status, response.body.code]).toEqual([403, code]);
    expect(await tableDigest(h)).toBe(before);
    expect(await stored(id)).toBe(true);
    return response;
  };

  it('a transfer passes only with a passkey proof of exactly that transfer, whose challenge commits to its details', async () => {
    const user = freshUser();
    const key = newKey();
    const { id: factor } = await enrol(user, key);
    const { id, requested } = await passkeyProof(user, factor, key, { action: 'transfer', details: A_TRANSFER });
    expect(requested.body).toMatchObject({ action: 'transfer', details: A_TRANSFER });
    // The challenge the authenticator signed is SHA-256 of a fresh nonce and the details' keyed digest.
    const [row] = await h.sql('SELECT details_digest FROM two_factor_confirmation WHERE id = ?', [id]);
    const sealed = await h.sql('SELECT state FROM two_factor_confirmation WHERE id = ?', [id]);
    const state = typeof sealed[0].state === 'string' ? JSON.parse(sealed[0].state) : sealed[0].state;
    const derived = createHash('sha256')
      .update('two-factor/webauthn-operation/v1\0')
      .update(Buffer.from(state.operation_nonce, 'base64url'))
      .update(row.details_digest, 'utf8')
      .digest('base64url');
    expect(requested.body.challenge.request_options.challenge).toBe(derived);
    const other = await post('confirmation/request/', { user_config_id: factor, action: 'transfer', details: { ...A_TRANSFER, amount: '120.01' } }, user);
    const [otherRow] = await h.sql('SELECT details_digest FROM two_factor_confirmation WHERE id = ?', [other.body.id]);
    expect(otherRow.details_digest).not.toBe(row.details_digest);

    await refused(TRANSFER, user, id, { ...A_TRANSFER, amount: '120.01' }, 'proof_action_mismatch');
    await refused(TRANSFER, user, id, { ...A_TRANSFER, payee: 'Acme Ltd' }, 'proof_action_mismatch');
    await refused('/api/v1/account/sensitive-action', user, id, {}, 'proof_action_mismatch');
    const passed = await call(TRANSFER, user, id, A_TRANSFER);
    expect([passed.status, passed.body]).toEqual([200, { transferred: true, amr: ['pwd', 'hwk', 'mfa'] }]);
    const again = await call(TRANSFER, user, id, A_TRANSFER);
    expect([again.status, again.body.code]).toEqual([403, 'two_factor_required']);
  });

  it('a plain passkey proof does not pass a transfer, and a transfer body that is not three strings is refused unspent', async () => {
    const user = freshUser();
    const key = newKey();
    const { id: factor } = await enrol(user, key);
    const plain = await passkeyProof(user, factor, key);
    await refused(TRANSFER, user, plain.id, A_TRANSFER, 'proof_action_mismatch');
    const bound = await passkeyProof(user, factor, key, { action: 'transfer', details: A_TRANSFER });
    await refused(TRANSFER, user, bound.id, { ...A_TRANSFER, amount: 120 }, 'proof_action_mismatch');
    await refused(TRANSFER, user, bound.id, { amount: '120.00', currency: 'EUR' }, 'proof_action_mismatch');
    // A proof requested with a number for the amount: the demo's transfer is three strings, so no proof approves that body.
    const numeric = await passkeyProof(user, factor, key, { action: 'transfer', details: { ...A_TRANSFER, amount: 120 } });
    await refused(TRANSFER, user, numeric.id, { ...A_TRANSFER, amount: 120 }, 'proof_action_mismatch');
    // Fields beside the three are not part of the operation, and nothing refuses the request after the proof is spent.
    expect((await call(TRANSFER, user, bound.id, { ...A_TRANSFER, memo: 'rent' })).status).toBe(200);
    expect((await call('/api/v1/account/sensitive-action', user, plain.id)).status).toBe(200);
  });

  it('the emailed code names the transfer in the words of the host (operation.transfer)', async () => {
    const user = freshUser();
    await enrolDummy(h, user, 'right');
    const address = `${user}@example.com`.toLowerCase();
    const auth = await h.auth(user);
    const proofOfDummy = async () => {
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .set(auth)
        .send({ user_config_id: (await h.sql('SELECT id FROM two_factor_user_config WHERE user_id = ?', [user]))[0].id })
        .expect(201);
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(auth)
        .send({ id: requested.body.id, data: { code: 'right' } })
        .expect(200);
      return requested.body.id as string;
    };
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(auth)
      .set('X-Two-Factor-Confirmation', await proofOfDummy())
      .send({ method_config_id: await methodConfigId(h, 'email'), config: { email: address } })
      .expect(201);
    const outbox = async () => (await h.http.get('/api/v1/dev/outbox').query({ to: address }).expect(200)).body as Array<{ text: string }>;
    const code = /\b(\d{6})\b/.exec((await outbox())[0].text)![1];
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(auth)
      .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } })
      .expect(200);
    await h.http
      .post(`${API}/confirmation/request/`)
      .set(auth)
      .send({ user_config_id: created.body.item.id, action: 'transfer', details: A_TRANSFER })
      .expect(201);
    expect((await outbox())[0].text).toMatch(/^Your verification code \d{6} approves: transfer of 120\.00 EUR to ACME Ltd\. /);
    // As if the resend cooldown had run out.
    await h.sql('DELETE FROM two_factor_rate_counter WHERE key = ?', [new SecretBox(TEST_SECRET).hash(`email:cooldown:use:${address}@60`).slice(0, 96)]);
    await h.http
      .post(`${API}/confirmation/request/`)
      .set(auth)
      .set('Accept-Language', 'de')
      .send({ user_config_id: created.body.item.id, action: 'transfer', details: A_TRANSFER })
      .expect(201);
    expect((await outbox())[0].text).toContain('Überweisung von 120.00 EUR an ACME Ltd');
  });

  it('security-key-only: a dummy proof is not allowed, an old passkey proof is too old, a fresh one passes (acr phr); none refused is spent', async () => {
    const user = freshUser();
    const dummy = await enrolDummy(h, user, 'right');
    const auth = await h.auth(user);
    const dummyProof = async () => {
      const requested = await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: dummy }).expect(201);
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(auth)
        .send({ id: requested.body.id, data: { code: 'right' } })
        .expect(200);
      return requested.body.id as string;
    };
    // No passkey yet: nothing the user has qualifies.
    const first = await dummyProof();
    const none = await refused(SECURITY_KEY_ONLY, user, first, {}, 'two_factor_enrollment_required');
    expect(none.body.details.methods.map((m: { method: string }) => m.method)).toEqual(['webauthn']);

    const key = newKey();
    const created = await post('user-config/own/create/', { method_config_id: await methodConfigId(h, 'webauthn'), config: { label: 'key' } }, user, {
      'X-Two-Factor-Confirmation': first,
    });
    expect(created.status).toBe(201);
    const proven = await post(
      'user-config/own/confirm/',
      { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: key.register(created.body.enrollment.creation_options) },
      user,
    );
    expect(proven.status).toBe(200);
    const passkey = created.body.item.id as number;

    const listed = await call(SECURITY_KEY_ONLY, user, undefined);
    expect([listed.status, listed.body.code, listed.body.details.available.map((f: { id: number }) => f.id)]).toEqual([403, 'two_factor_required', [passkey]]);
    const notAllowed = await refused(SECURITY_KEY_ONLY, user, await dummyProof(), {}, 'factor_not_allowed');
    expect(notAllowed.body.details.available.map((f: { id: number; method: string }) => [f.id, f.method])).toEqual([[passkey, 'webauthn']]);

    const old = await passkeyProof(user, passkey, key);
    await h.sql('UPDATE two_factor_confirmation SET updated_at = updated_at - ? WHERE id = ?', [61_000, old.id]);
    const tooOld = await refused(SECURITY_KEY_ONLY, user, old.id, {}, 'proof_too_old');
    expect(tooOld.body.details).toEqual({ max_age_seconds: 60 });
    expect((await call('/api/v1/account/sensitive-action', user, old.id)).status).toBe(200);

    const fresh = await passkeyProof(user, passkey, key);
    const passed = await call(SECURITY_KEY_ONLY, user, fresh.id);
    expect([passed.status, passed.body]).toEqual([200, { status: 'done', method: 'webauthn', amr: ['pwd', 'hwk', 'mfa'], acr: 'phr' }]);
  });

  it("the demo's token says how the user signed in: amr and acr from SignInService.confirm", async () => {
    const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    const before = await login(h, 'bob').expect(200);
    expect(claimsOf(before.body.access_token)).toMatchObject({ amr: ['pwd'], acr: 'sfa' });
    const factor = await enrolDummy(h, 'bob', 'bobs-code');
    const done = await signInWithDummy(h, 'bob', factor, 'bobs-code');
    expect(claimsOf(done.body.access_token)).toMatchObject({ username: 'bob', amr: ['pwd', 'mfa'], acr: 'mfa' });
  });

  it('documents the new 403 codes with examples on the step-up routes and the request body in OpenAPI', async () => {
    const document = (await h.http.get('/docs-json').expect(200)).body;
    const transfer = document.paths['/api/v1/account/transfer'].post;
    const examples = Object.keys(transfer.responses['403'].content['application/json'].examples);
    expect(examples).toEqual(
      expect.arrayContaining(['two_factor_required', 'two_factor_enrollment_required', 'factor_not_allowed', 'proof_too_old', 'proof_action_mismatch']),
    );
    expect(document.paths['/api/v1/account/security-key-only'].post.responses['403']).toBeDefined();
    // The route's own success response stays beside the error responses.
    expect(transfer.responses['200']).toBeDefined();
    expect(transfer.parameters.find((p: { name: string }) => p.name === 'X-Two-Factor-Confirmation').description).toContain('action `transfer`');
    const schemas = document.components.schemas;
    expect(Object.keys(schemas.RequestConfirmationDto.properties)).toEqual(expect.arrayContaining(['action', 'details']));
    expect(Object.keys(schemas.ConfirmationDto.properties)).toEqual(expect.arrayContaining(['action', 'details']));
    expect(schemas.ErrorResponseDto.properties.code.enum).toEqual(expect.arrayContaining(['factor_not_allowed', 'proof_too_old', 'proof_action_mismatch']));
  });
});
