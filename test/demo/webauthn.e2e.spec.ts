import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { TwoFactorAuditEvent } from 'nestjs-two-factor';
import { bootDemo, freshUser, type DemoHarness } from '../support/demo-harness.js';
import { LOGIN, pendingSignIn, requestCode } from '../support/sign-in.js';
import { DATABASE_KINDS } from '../support/test-database.js';
import { ORIGIN, WEBAUTHN, webauthnKit } from '../support/webauthn-flows.js';

describe.each(DATABASE_KINDS)(`WebAuthn through HTTP on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  const events: TwoFactorAuditEvent[] = [];

  beforeAll(async () => {
    h = await bootDemo(kind, { webauthn: WEBAUTHN });
    h.app.get(EventEmitter2).onAny((_name: string | string[], event: TwoFactorAuditEvent) => void events.push(event));
  });
  afterAll(() => h.close());

  const { post, enrol, request, confirm, stepUp, newKey } = webauthnKit(() => h);
  const stored = async (id: number) => {
    const [row] = await h.sql('SELECT config, replay_guard, status FROM two_factor_user_config WHERE id = ?', [id]);
    return { config: JSON.parse(row.config), counter: Number(row.replay_guard), status: row.status };
  };
  const sensitive = async (user: string, id: string) =>
    h.http
      .post('/api/v1/account/sensitive-action')
      .set(await h.auth(user))
      .set('X-Two-Factor-Confirmation', id);

  it('enrols: creation options in enrollment, the attestation as data, the credential stored and never shown', async () => {
    const user = freshUser();
    const key = newKey();
    const { id, created } = await enrol(user, key);
    const options = created.body.enrollment.creation_options;
    expect(options).toMatchObject({ rp: { id: WEBAUTHN.rpId, name: 'two-factor demo' }, attestation: 'none', excludeCredentials: [] });
    expect(created.body.item).toMatchObject({ status: 'in_process', config: { label: 'key', transports: [], registered_at: null } });
    expect(JSON.stringify(created.body.item)).not.toContain(options.challenge);

    const after = await stored(id);
    expect(after.status).toBe('confirmed');
    expect(after.config.registration).toBeUndefined();
    expect(after.config.credential).toMatchObject({ id: key.id, transports: ['usb'], aaguid: '00000000-0000-0000-0000-000000000000', backed_up: false });
    expect(after.counter).toBe(key.counter);
    const [item] = (
      await h.http
        .get('/api/v1/auth/2factor/user-config/own/list/')
        .set(await h.auth(user))
        .expect(200)
    ).body;
    expect(item).toMatchObject({
      id,
      is_available: true,
      config: { label: 'key', transports: ['usb'], registered_at: expect.any(String), last_used_at: null },
    });
    expect(JSON.stringify(item)).not.toContain(key.id);
    expect(JSON.stringify(item)).not.toContain(after.config.credential.public_key);
  });

  it('refuses an attestation from another origin with 400 confirmation_failed, and the factor stays unproven', async () => {
    const user = freshUser();
    const created = await post('user-config/own/create/', { method_config_id: await mcId(), config: {} }, user);
    const answer = newKey().register(created.body.enrollment.creation_options, { origin: 'https://phish.example.net' });
    const refused = await post('user-config/own/confirm/', { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: answer }, user);
    expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, 'confirmation_failed', { attempts_left: 4 }]);
    expect((await stored(created.body.item.id)).status).toBe('in_process');
    expect(events.at(-1)).toMatchObject({ name: 'two_factor.confirmation.failed', reason: 'wrong_origin', userConfigId: created.body.item.id });
  });

  it('restarts an unproven registration on update: new options, and the old challenge no longer counts', async () => {
    const user = freshUser();
    const key = newKey();
    const created = await post('user-config/own/create/', { method_config_id: await mcId(), config: {} }, user);
    const updated = await h.http
      .patch(`/api/v1/auth/2factor/user-config/own/${created.body.item.id}/update/`)
      .set(await h.auth(user))
      .send({ config: { label: 'retry' } });
    expect(updated.status).toBe(200);
    const options = updated.body.enrollment.creation_options;
    expect(options.challenge).not.toBe(created.body.enrollment.creation_options.challenge);
    const stale = await post(
      'user-config/own/confirm/',
      { id: created.body.item.id, confirmation_id: updated.body.confirmation_id, data: key.register(created.body.enrollment.creation_options) },
      user,
    );
    expect([stale.status, stale.body.code]).toEqual([400, 'confirmation_failed']);
    const proven = await post(
      'user-config/own/confirm/',
      { id: created.body.item.id, confirmation_id: updated.body.confirmation_id, data: key.register(options) },
      user,
    );
    expect(proven.body).toMatchObject({ status: 'confirmed', config: { label: 'retry', transports: ['usb'] } });
  });

  it('steps up: request options in `challenge`, the assertion confirms, the sensitive action passes once', async () => {
    const user = freshUser();
    const key = newKey();
    const { id } = await enrol(user, key);
    const requested = await request(user, id);
    expect(requested.options).toMatchObject({ rpId: WEBAUTHN.rpId, userVerification: 'preferred', allowCredentials: [{ id: key.id, type: 'public-key' }] });
    expect(Object.keys(requested.body).sort()).toEqual(['action', 'attempts_left', 'challenge', 'details', 'expires_at', 'id', 'is_available', 'status']);
    expect(new Date(requested.body.expires_at).getTime()).toBeLessThanOrEqual(Date.now() + 300_000);
    expect((await confirm(user, requested.id, key.assert(requested.options))).status).toBe(200);
    expect((await stored(id)).counter).toBe(key.counter);
    expect((await stored(id)).config.credential.last_used_at).toEqual(expect.any(String));
    expect((await sensitive(user, requested.id)).status).toBe(200);
    expect((await sensitive(user, requested.id)).body.code).toBe('two_factor_required');
  });

  it('enrols a second authenticator after a step-up with the first, excluding the first; either passes step-up', async () => {
    const user = freshUser();
    const [first, second] = [newKey(), newKey()];
    const a = await enrol(user, first);
    const refused = await post('user-config/own/create/', { method_config_id: await mcId(), config: {} }, user);
    expect([refused.status, refused.body.code]).toEqual([403, 'two_factor_required']);
    const b = await enrol(user, second, { key: first, id: a.id });
    expect(b.created.body.enrollment.creation_options.excludeCredentials).toEqual([{ id: first.id, type: 'public-key', transports: ['usb'] }]);
    expect((await sensitive(user, await stepUp(user, b.id, second))).status).toBe(200);
    expect((await sensitive(user, await stepUp(user, a.id, first))).status).toBe(200);
    // Each user config answers only for its own credential.
    const { id: confirmationId, options } = await request(user, a.id);
    expect((await confirm(user, confirmationId, second.assert(options))).status).toBe(400);
  });

  it('refuses a replayed assertion: on its own confirmation 409, on a new one 400', async () => {
    const user = freshUser();
    const key = newKey();
    const { id } = await enrol(user, key);
    const first = await request(user, id);
    const answer = key.assert(first.options);
    expect((await confirm(user, first.id, answer)).status).toBe(200);
    expect((await confirm(user, first.id, answer)).body.code).toBe('already_confirmed');
    const second = await request(user, id);
    const replayed = await confirm(user, second.id, answer);
    expect([replayed.status, replayed.body.code]).toEqual([400, 'confirmation_failed']);
    expect(events.at(-1)).toMatchObject({ name: 'two_factor.confirmation.failed', reason: 'wrong_challenge' });
  });

  it('refuses an authenticator whose counter went back (a clone) and reports it in an audit event', async () => {
    const user = freshUser();
    const key = newKey();
    const { id } = await enrol(user, key);
    await stepUp(user, id, key);
    await stepUp(user, id, key);
    const before = (await stored(id)).counter;
    const { id: confirmationId, options } = await request(user, id);
    const refused = await confirm(user, confirmationId, key.assert(options, { counter: before - 1 }));
    expect([refused.status, refused.body.code]).toEqual([400, 'confirmation_failed']);
    expect(JSON.stringify(refused.body)).not.toContain('counter');
    expect(events.at(-1)).toMatchObject({ name: 'two_factor.confirmation.failed', reason: 'counter_regressed', userConfigId: id, userId: user });
    expect((await stored(id)).counter).toBe(before);
    // The same counter as the last accepted one is refused too; a higher one passes.
    expect((await confirm(user, confirmationId, key.assert(options, { counter: before }))).status).toBe(400);
    expect((await confirm(user, confirmationId, key.assert(options, { counter: before + 5 }))).status).toBe(200);
    expect((await stored(id)).counter).toBe(before + 5);
  });

  it('lets exactly one of racing answers with the same counter through', async () => {
    const user = freshUser();
    const key = newKey();
    const { id } = await enrol(user, key);
    const { id: confirmationId, options } = await request(user, id);
    const answers = Array.from({ length: 8 }, () => key.assert(options, { counter: 40 }));
    const results = await Promise.all(answers.map((answer) => confirm(user, confirmationId, answer)));
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    expect((await stored(id)).counter).toBe(40);
  });

  it('locks the confirmation after the usual five wrong answers', async () => {
    const user = freshUser();
    const key = newKey();
    const { id } = await enrol(user, key);
    const { id: confirmationId, options } = await request(user, id);
    for (let i = 0; i < 5; i++) expect((await confirm(user, confirmationId, key.assert(options, { origin: 'https://phish.example.net' }))).status).toBe(400);
    const locked = await confirm(user, confirmationId, key.assert(options));
    expect([locked.status, locked.body.code]).toEqual([429, 'confirmation_locked']);
  });

  it('refuses malformed answers as wrong answers (4xx, a stable code), and a method-level request', async () => {
    const user = freshUser();
    const { id } = await enrol(user, newKey());
    const { id: confirmationId } = await request(user, id);
    for (const data of [{}, { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: '!!' } }]) {
      const response = await confirm(user, confirmationId, data);
      expect([response.status, response.body.code]).toEqual([400, 'confirmation_failed']);
    }
    const methodLevel = await post('confirmation/request/', { method_config_id: await mcId() }, user);
    expect([methodLevel.status, methodLevel.body.code]).toEqual([400, 'validation_failed']);
  });

  it('answers with user verification required only when the response carries it', async () => {
    const [row] = await h.sql("SELECT id FROM two_factor_method_config WHERE method = 'webauthn'");
    const now = Date.now();
    // No RETURNING (MySQL has none): the title finds the new row.
    await h.sql(
      'INSERT INTO two_factor_method_config (title, method, config, is_active, is_default, created_at, updated_at) VALUES (?, ?, ?, TRUE, FALSE, ?, ?)',
      ['Strict passkeys', 'webauthn', JSON.stringify({ rp_id: WEBAUTHN.rpId, origins: [ORIGIN], user_verification: 'required' }), now, now],
    );
    const [strict] = await h.sql('SELECT id FROM two_factor_method_config WHERE title = ?', ['Strict passkeys']);
    expect(row).toBeDefined();
    const user = freshUser();
    const key = newKey();
    const { id } = await enrol(user, key, undefined, Number(strict.id));
    const { id: confirmationId, options } = await request(user, id);
    expect(options.userVerification).toBe('required');
    const refused = await confirm(user, confirmationId, key.assert(options, { userVerified: false }));
    expect([refused.status, refused.body.code]).toEqual([400, 'confirmation_failed']);
    expect(events.at(-1)).toMatchObject({ reason: 'user_verification_missing' });
    expect((await confirm(user, confirmationId, key.assert(options))).status).toBe(200);
  });

  it('finishes a sign-in: login/request answers the request options, login/confirm takes the assertion and issues the token', async () => {
    const key = newKey();
    const { id } = await enrol('bob', key);
    const { token, factors } = await pendingSignIn(h, 'bob');
    expect(factors).toEqual([
      {
        id,
        method: 'webauthn',
        title: expect.any(String),
        nickname: null,
        destination: null,
        created_at: expect.any(String),
        last_used_at: expect.any(String),
      },
    ]);
    const requested = (await requestCode(h, token, id).expect(201)).body;
    expect(requested.challenge.request_options).toMatchObject({ rpId: WEBAUTHN.rpId, allowCredentials: [{ id: key.id, type: 'public-key' }] });
    const done = await h.http
      .post(`${LOGIN}/confirm`)
      .send({ sign_in_token: token, data: key.assert(requested.challenge.request_options) })
      .expect(200);
    const profile = await h.http.get('/api/v1/account/profile').set('Authorization', `Bearer ${done.body.access_token}`).expect(200);
    expect(profile.body).toEqual({ id: '2', username: 'bob' });
  });

  const mcId = async () => Number((await h.sql("SELECT id FROM two_factor_method_config WHERE method = 'webauthn' ORDER BY id LIMIT 1"))[0].id);
});
