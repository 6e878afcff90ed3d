import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { randomInt } from 'node:crypto';
import { bootLibrary, type LibraryHarness } from '../support/library-harness.js';
import { methodConfigId } from '../support/flows.js';
import { sentCodeKit, standalone } from '../support/sent-codes.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** Limits loose enough that tests only meet the one they test: the counters are shared by the whole suite. */
const ROOMY = { resend_cooldown_seconds: 0, max_sends_per_number_per_day: 1000, max_sends_per_prefix_per_day: 1000 };

/** A random valid UK mobile number (+44 740x … +44 744x), in E.164. */
const ukMobile = () => `+4474${randomInt(5)}${String(randomInt(10_000_000)).padStart(7, '0')}`;

describe.each(DATABASE_KINDS)(`SMS codes on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;

  beforeAll(async () => {
    h = await bootLibrary(kind);
  });
  afterAll(() => h.close());

  const {
    seen,
    freshUser,
    sql,
    methodConfig: smsConfig,
    outbox,
    latestCode,
    post,
    enrol,
    request,
    confirm,
    race,
    storedStates,
  } = sentCodeKit(() => h, kind, 'sms', ROOMY);

  it('enrols a number in E.164: the code goes to the outbox only, is stored hashed, and confirms the factor', async () => {
    const auth = await freshUser();
    const phone = ukMobile();
    const written = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
    const created = await enrol(auth, { phone: written }, await methodConfigId(h, 'sms'));
    expect(created.status).toBe(201);
    expect(created.body.item).toMatchObject({ status: 'in_process', config: { phone: `${phone.slice(0, 5)}******${phone.slice(-2)}` } });

    const [message, ...older] = await outbox(phone);
    expect(older).toHaveLength(0);
    expect(message).toMatchObject({ channel: 'sms', to: phone });
    expect(message.subject).toBeUndefined();
    const code = await latestCode(phone);
    expect(code).toMatch(/^[0-9]{6}$/);

    const [row] = await sql('SELECT state, expires_at FROM two_factor_confirmation WHERE id = ?', [created.body.confirmation_id]);
    const state = typeof row.state === 'string' ? JSON.parse(row.state) : row.state;
    expect(JSON.stringify(state)).not.toContain(code);
    expect(state).toMatchObject({ digits: 6, to: phone, code_hash: expect.any(String) });
    // The demo seeds ttl_seconds 300 for SMS.
    expect(Number(row.expires_at)).toBeLessThanOrEqual(Date.now() + 300_000);

    const confirmed = await post('user-config/own/confirm/', { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } }, auth);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', is_available: true });
    expect(seen.join('\n')).not.toMatch(standalone(code));
    expect(seen.join('\n')).not.toContain(String(state.code_hash).split(':')[1]);
    expect(seen.join('\n')).not.toContain(phone);
  });

  it('reads national numbers with default_country', async () => {
    const auth = await freshUser();
    const phone = ukMobile();
    const created = await enrol(auth, { phone: `0${phone.slice(3)}` }, await smsConfig({ default_country: 'GB' }));
    expect(created.status).toBe(201);
    expect(await outbox(phone)).toHaveLength(1);
  });

  it.each([
    ['not a number', 'abc'],
    ['too short', '+4474'],
    ['national without default_country', '07400123456'],
    ['other scripts’ digits', '+٤٤٧٤٠٠١٢٣٤٥٦'],
    ['trailing text', '+447400123456 ext 1'],
    ['premium rate', '+449098790000'],
  ])('refuses a number that is %s, and sends nothing', async (_label, phone) => {
    const response = await enrol(await freshUser(), { phone }, await smsConfig());
    expect([response.status, response.body.code]).toEqual([400, 'validation_failed']);
    expect(response.body.details.fields[0].field).toBe('config.phone');
    expect(await outbox(phone)).toHaveLength(0);
  });

  it('refuses numbers outside allowed_countries, on enrolment and on method-level requests', async () => {
    const mcId = await smsConfig({ allowed_countries: ['fr'] });
    const phone = ukMobile();
    const enrolled = await enrol(await freshUser(), { phone }, mcId);
    expect([enrolled.status, enrolled.body.code]).toEqual([400, 'validation_failed']);
    const requested = await request({ method_config_id: mcId, data: { phone } }, await freshUser());
    expect([requested.status, requested.body.code]).toEqual([400, 'validation_failed']);
    expect(await outbox(phone)).toHaveLength(0);
    const french = `+3361${String(randomInt(10_000_000)).padStart(7, '0')}`;
    expect((await request({ method_config_id: mcId, data: { phone: french } }, await freshUser())).status).toBe(201);
    expect(await outbox(french)).toHaveLength(1);
  });

  it('answers a wrong code with 400 confirmation_failed, refuses other spellings, then accepts the right code once', async () => {
    const auth = await freshUser();
    const phone = ukMobile();
    const requested = await request({ method_config_id: await smsConfig(), data: { phone } }, auth);
    expect(requested.status).toBe(201);
    const code = await latestCode(phone);
    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await confirm(requested.body.id, wrong, auth);
    expect(refused.body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 4 } });
    for (const spelling of [`${code.slice(0, 3)} ${code.slice(3)}`, `${code}0`, Number(code)]) {
      expect((await confirm(requested.body.id, spelling, auth)).body.code).toBe('confirmation_failed');
    }
    expect((await confirm(requested.body.id, code, auth)).status).toBe(200);
    const replay = await confirm(requested.body.id, code, auth);
    expect([replay.status, replay.body.code]).toEqual([409, 'already_confirmed']);
  });

  it('refuses an expired code with 410', async () => {
    const auth = await freshUser();
    const phone = ukMobile();
    const requested = await request({ method_config_id: await smsConfig(), data: { phone } }, auth);
    const code = await latestCode(phone);
    await sql('UPDATE two_factor_confirmation SET expires_at = ? WHERE id = ?', [Date.now() - 1000, requested.body.id]);
    const expired = await confirm(requested.body.id, code, auth);
    expect([expired.status, expired.body.code]).toEqual([410, 'confirmation_expired']);
  });

  it('resends to the enrolled number: the older code stops working', async () => {
    const auth = await freshUser();
    const phone = ukMobile();
    const created = await enrol(auth, { phone }, await smsConfig());
    const first = await latestCode(phone);
    const resent = await request({ user_config_id: created.body.item.id }, auth);
    expect(resent.status).toBe(201);
    const second = await latestCode(phone);
    expect(await outbox(phone)).toHaveLength(2);
    // Enrolment codes are confirmed through user-config/own/confirm (issue 18, "Purpose").
    const stale = await post(
      'user-config/own/confirm/',
      { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: first } },
      auth,
    );
    expect([stale.status, stale.body.code]).toEqual([410, 'confirmation_expired']);
    const fresh = await post('user-config/own/confirm/', { id: created.body.item.id, confirmation_id: resent.body.id, data: { code: second } }, auth);
    expect(fresh.status).toBe(200);
  });

  it('caps sends per number per day: 429 rate_limited with Retry-After, and nothing sent', async () => {
    const mcId = await smsConfig({ max_sends_per_number_per_day: 2 });
    const phone = ukMobile();
    for (let i = 0; i < 2; i++) expect((await request({ method_config_id: mcId, data: { phone } }, await freshUser())).status).toBe(201);
    // Another spelling of the same number is the same number.
    const capped = await request({ method_config_id: mcId, data: { phone: `${phone.slice(0, 3)} ${phone.slice(3)}` } }, await freshUser());
    expect([capped.status, capped.body.code]).toEqual([429, 'rate_limited']);
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(3600);
    expect(Number(capped.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    expect(await outbox(phone)).toHaveLength(2);
  });

  it('caps sends per number range per day (SMS pumping walks through a range)', async () => {
    const mcId = await smsConfig({ max_sends_per_prefix_per_day: 2, prefix_digits: 4 });
    // French mobiles +33 7[3-9]xy zzzzz: calling code and four national digits make the range. The
    // counters are shared by the suite, so no other test sends to +33 7 (one sends to +33 61…).
    const range = `+337${3 + randomInt(7)}${randomInt(10)}${randomInt(10)}`;
    const base = randomInt(99_997);
    const numbers = [0, 1, 2].map((i) => `${range}${String(base + i).padStart(5, '0')}`);
    for (const phone of numbers.slice(0, 2)) expect((await request({ method_config_id: mcId, data: { phone } }, await freshUser())).status).toBe(201);
    const refused = await request({ method_config_id: mcId, data: { phone: numbers[2] } }, await freshUser());
    expect([refused.status, refused.body.code]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await outbox(numbers[2])).toHaveLength(0);
  });

  it('enforces the resend cooldown per number', async () => {
    const auth = await freshUser();
    const phone = ukMobile();
    const created = await enrol(auth, { phone }, await smsConfig({ resend_cooldown_seconds: 60 }));
    expect(created.status).toBe(201);
    const refused = await request({ user_config_id: created.body.item.id }, auth);
    expect([refused.status, refused.body.code]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await outbox(phone)).toHaveLength(1);
  });

  it('verifies a number anonymously (method level)', async () => {
    const mcId = await smsConfig();
    const phone = ukMobile();
    const requested = await request({ method_config_id: mcId, data: { phone } });
    expect(requested.status).toBe(201);
    const confirmed = await confirm(requested.body.id, await latestCode(phone));
    expect(confirmed.body).toMatchObject({ status: 'confirmed', is_available: true });
    for (const data of [undefined, {}, { phone: 'nope' }, { email: 'ann@example.com' }]) {
      const refused = await request({ method_config_id: mcId, ...(data ? { data } : {}) });
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    }
    expect(await outbox(phone)).toHaveLength(1);
  });

  it('lets exactly one of 30 parallel confirms with the right code win', async () => {
    const auth = await freshUser();
    const phone = ukMobile();
    const requested = await request({ method_config_id: await smsConfig(), data: { phone } }, auth);
    const code = await latestCode(phone);
    const statuses = await race(requested.body.id, code, auth);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 409)).toBe(true);
  });

  it('keeps codes out of every response and plaintext codes out of every stored row', async () => {
    const sent = (await h.http.get('/api/v1/dev/outbox').expect(200)).body as Array<{ text: string }>;
    const codes = sent.map((message) => /\b(\d{6,10})\b/.exec(message.text)![1]);
    expect(codes.length).toBeGreaterThan(8);
    const states = await storedStates();
    const responses = seen.join('\n');
    for (const code of codes) {
      expect(responses).not.toMatch(standalone(code));
      for (const state of states) expect(state).not.toContain(`"${code}"`);
    }
  });
});
