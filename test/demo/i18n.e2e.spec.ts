import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { MethodConfigService, TWO_FACTOR_MESSAGES } from 'nestjs-two-factor';
import { DE_MESSAGES } from '../../src/i18n/de.messages.js';
import { API, bootDemo, freshUser, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, requestFor, stepUpIfNeeded } from '../support/flows.js';
import { pendingSignIn, requestCode } from '../support/sign-in.js';
import { DATABASE_KINDS } from '../support/test-database.js';

type Call = ReturnType<DemoHarness['http']['get']>;

/** The demo answers in German for `de` (and `de-CH` …), in English otherwise; codes never change. */
describe.each(DATABASE_KINDS)(`messages in the request language on %s (demo), ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;

  beforeAll(async () => {
    h = await bootDemo(kind);
  });
  afterAll(() => h.close());

  /** The same request in English and in `language`: [english, translated] responses. */
  const both = async (make: () => Call, language = 'de') => [await make().set('Accept-Language', 'en'), await make().set('Accept-Language', language)];
  const outbox = async (to: string) =>
    (await h.http.get('/api/v1/dev/outbox').query({ to }).expect(200)).body as Array<{ to: string; text: string; subject?: string }>;

  it("answers the admin API's field errors in German too, with the same code", async () => {
    const admin = await h.auth('admin');
    const [en, de] = await both(() => h.http.post(`${API}/admin/method-config/create/`).set(admin).send({ method: 'carrier-pigeon' }));
    expect([en.status, en.body.code, de.status, de.body.code]).toEqual([400, 'validation_failed', 400, 'validation_failed']);
    const field = (body: { details: { fields: Array<{ field: string; message: string }> } }) =>
      body.details.fields.find((item) => item.field === 'method')?.message;
    expect(field(en.body)).toMatch(/^method "carrier-pigeon" is not registered; registered: /);
    expect(field(de.body)).toMatch(/^Die Methode „carrier-pigeon“ ist nicht registriert; registriert: /);
  });

  it('names the methods in German in the admin API too', async () => {
    const admin = await h.auth('admin');
    const [en, de] = await both(() => h.http.get(`${API}/admin/method/list/`).set(admin));
    const email = (body: Array<{ key: string; verbose_name: string }>) => body.find((method) => method.key === 'email')?.verbose_name;
    expect(email(en.body)).toBe(TWO_FACTOR_MESSAGES['method.email.verbose_name']);
    expect(email(de.body)).toBe(DE_MESSAGES['method.email.verbose_name']);
    const [, configs] = await both(() => h.http.get(`${API}/admin/method-config/list/`).set(admin));
    expect(configs.body.find((config: { method: string }) => config.method === 'email').verbose_name).toBe(DE_MESSAGES['method.email.verbose_name']);
  });

  it('answers errors in German with the same status and code as in English', async () => {
    const auth = await h.auth(freshUser());
    const cases: Array<[() => Call, string, string]> = [
      [() => h.http.get(`${API}/user-config/own/list/`), 'unauthenticated', 'Anmeldung erforderlich.'],
      [() => h.http.get(`${API}/confirmation/${randomUUID()}/check/`).set(auth), 'not_found', 'Bestätigung nicht gefunden.'],
      [() => h.http.post(`${API}/confirmation/request/`).set(auth).send({}), 'empty_config', 'Gib method_config_id oder user_config_id an.'],
      [() => h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: 999999 }), 'not_found', 'Benutzerkonfiguration nicht gefunden.'],
    ];
    for (const [make, code, german] of cases) {
      const [en, de] = await both(make);
      expect([en.status, en.body.code]).toEqual([de.status, code]);
      expect(de.body.code).toBe(code);
      expect(de.body.message).toBe(german);
      expect(en.body.message).not.toBe(german);
    }
  });

  it('says a wrong code in German, attempts_left unchanged in meaning', async () => {
    const user = freshUser();
    const auth = await h.auth(user);
    const factor = await enrolDummy(h, user, 'right-code');
    const id = await requestFor(h, user, factor);
    const [en, de] = await both(() =>
      h.http
        .post(`${API}/confirmation/confirm/`)
        .set(auth)
        .send({ id, data: { code: 'wrong' } }),
    );
    expect([en.status, en.body.code, en.body.message]).toEqual([400, 'confirmation_failed', 'Confirmation failed.']);
    expect([de.status, de.body.code, de.body.message]).toEqual([400, 'confirmation_failed', 'Bestätigung fehlgeschlagen.']);
    expect(de.body.details.attempts_left).toBe(en.body.details.attempts_left - 1);
  });

  it('answers a host route’s step-up guard in German too (the guard’s error reaches the filter as its cause)', async () => {
    const user = freshUser();
    await enrolDummy(h, user);
    const auth = await h.auth(user);
    const [en, de] = await both(() => h.http.post('/api/v1/account/sensitive-action').set(auth).send({}));
    expect([en.status, en.body.code, de.status, de.body.code]).toEqual([403, 'two_factor_required', 403, 'two_factor_required']);
    expect(en.body.message).toBe('Confirm one of your factors and send the confirmation id in the X-Two-Factor-Confirmation header.');
    expect(de.body.message).toBe('Bestätige einen deiner Faktoren und sende die Bestätigungs-ID im Header X-Two-Factor-Confirmation.');
    expect(de.body.details).toEqual(en.body.details);
  });

  it('translates validation messages field by field, the fields and codes the same', async () => {
    const auth = await h.auth(freshUser());
    const [en, de] = await both(() => h.http.post(`${API}/confirmation/request/`).set(auth).send({ method_config_id: 'one', extra: 1 }));
    expect([en.status, en.body.code, de.status, de.body.code]).toEqual([400, 'validation_failed', 400, 'validation_failed']);
    expect(de.body.message).toBe('Die Eingabe ist ungültig.');
    expect(de.body.details.fields.map((f: { field: string }) => f.field)).toEqual(en.body.details.fields.map((f: { field: string }) => f.field));
    expect(en.body.details.fields).toContainEqual({ field: 'method_config_id', message: 'method_config_id must be an integer number' });
    expect(de.body.details.fields).toContainEqual({ field: 'method_config_id', message: 'method_config_id muss eine ganze Zahl sein' });
    expect(de.body.details.fields).toContainEqual({ field: 'extra', message: 'Das Feld extra ist nicht erlaubt' });
  });

  it('gives verbose names in German; titles and everything else as they are', async () => {
    const [en, de] = await both(() => h.http.get(`${API}/method-config/list/active/`));
    const names = (body: Array<{ method: string; verbose_name: string }>) => Object.fromEntries(body.map((item) => [item.method, item.verbose_name]));
    expect(names(en.body)).toMatchObject({ email: 'Email code', sms: 'SMS code', totp: 'Authenticator app' });
    expect(names(de.body)).toMatchObject({ email: 'Code per E-Mail', sms: 'Code per SMS', totp: 'Authenticator-App' });
    expect(de.body.map((item: { id: number }) => item.id)).toEqual(en.body.map((item: { id: number }) => item.id));
  });

  it('takes the base language of a regional one and the most preferred language of the header', async () => {
    for (const header of ['de-CH', 'fr;q=0.4, de;q=0.9', 'DE']) {
      const response = await h.http.get(`${API}/user-config/own/list/`).set('Accept-Language', header);
      expect([response.status, response.body.code, response.body.message]).toEqual([401, 'unauthenticated', 'Anmeldung erforderlich.']);
    }
  });

  it('falls back to English for a language the demo does not have, and without the header', async () => {
    for (const header of ['fr', 'xx-YY', '*', undefined]) {
      const call = h.http.get(`${API}/user-config/own/list/`);
      const response = await (header === undefined ? call : call.set('Accept-Language', header));
      expect([response.status, response.body.code, response.body.message]).toEqual([401, 'unauthenticated', 'Authentication required.']);
    }
  });

  it('falls back to English for a key the German table lacks, the rest still German', async () => {
    // The demo's table has no text for a string past the input limits: that field message stays English.
    expect(DE_MESSAGES['validation.too_long']).toBeUndefined();
    const auth = await h.auth(freshUser());
    const body = { id: randomUUID(), data: { code: 'x'.repeat(4097) } };
    const [en, de] = await both(() => h.http.post(`${API}/confirmation/confirm/`).set(auth).send(body));
    expect([en.status, en.body.code, de.status, de.body.code]).toEqual([400, 'validation_failed', 400, 'validation_failed']);
    const english = { field: 'body.data.code', message: 'body.data.code is longer than 4096 characters' };
    expect(en.body.details.fields).toEqual([english]);
    expect(de.body.details.fields).toEqual([english]);
    expect(de.body.message).toBe('Die Eingabe ist ungültig.');
  });

  it('sends the enrolment code by email in German, the admin’s own subject kept', async () => {
    const user = freshUser();
    const auth = await h.auth(user);
    const address = `de.${randomBytes(4).toString('hex')}@example.com`;
    await h.http
      .post(`${API}/user-config/own/create/`)
      .set(auth)
      .set('Accept-Language', 'de-DE')
      .send({ method_config_id: await methodConfigId(h, 'email'), config: { email: address } })
      .expect(201);
    const [message] = await outbox(address);
    expect(message.text).toMatch(/^Dein Bestätigungscode lautet \d{6}\. Er läuft in 10 Minuten ab\./);
    // The demo's method config sets its own subject: an admin's text wins over the catalogue's.
    expect(message.subject).toBe('Your demo verification code');
  });

  it('sends the enrolment code by email in English for an English request', async () => {
    const address = `en.${randomBytes(4).toString('hex')}@example.com`;
    await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(freshUser()))
      .set('Accept-Language', 'en-GB')
      .send({ method_config_id: await methodConfigId(h, 'email'), config: { email: address } })
      .expect(201);
    const [message] = await outbox(address);
    expect(message.text).toMatch(/^Your verification code is \d{6}\. It expires in 10 minutes\./);
  });

  it('texts the sign-in code by SMS in German when the second step is asked for in German', async () => {
    const phone = `+4474001${String(randomBytes(2).readUInt16BE() % 100000).padStart(5, '0')}`;
    const auth = await h.auth('bob');
    // An SMS method config of its own without the resend cooldown, so the sign-in may text the same number again at once.
    const smsConfig = await h.app.get(MethodConfigService).create({ method: 'sms', config: { ttl_seconds: 300, resend_cooldown_seconds: 0 } });
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(auth)
      .set(await stepUpIfNeeded(h, 'bob'))
      .send({ method_config_id: smsConfig.id, config: { phone } })
      .expect(201);
    const [enrolment] = await outbox(phone);
    // Asked for without Accept-Language: English.
    expect(enrolment.text).toBe(TWO_FACTOR_MESSAGES['sent_code.sms.text'].replace('{code}', /\d{6}/.exec(enrolment.text)![0]).replace('{minutes}', '5'));
    const code = /\d{6}/.exec(enrolment.text)![0];
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(auth)
      .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } })
      .expect(200);

    const { token } = await pendingSignIn(h, 'bob');
    await requestCode(h, token, created.body.item.id).set('Accept-Language', 'de').expect(201);
    const [signIn] = await outbox(phone);
    expect(signIn.text).toMatch(/^Dein Bestätigungscode lautet \d{6}\. Er läuft in 5 Minuten ab\.$/);
  });
});
