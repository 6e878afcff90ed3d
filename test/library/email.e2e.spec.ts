import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { randomBytes } from 'node:crypto';
import { API, bootLibrary, type LibraryHarness } from '../support/library-harness.js';
import { methodConfigId } from '../support/flows.js';
import { sentCodeKit, standalone } from '../support/sent-codes.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** Limits loose enough that tests only meet the one they test: the counters are shared by the whole suite. */
const ROOMY = { resend_cooldown_seconds: 0, max_sends_per_destination_per_hour: 1000 };

describe.each(DATABASE_KINDS)(`email codes on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;

  beforeAll(async () => {
    h = await bootLibrary(kind);
  });
  afterAll(() => h.close());

  const address = (label: string) => `${label}.${randomBytes(4).toString('hex')}@example.com`;
  const {
    seen,
    record,
    freshUser,
    sql,
    methodConfig: emailConfig,
    outbox,
    latestCode,
    post,
    enrol,
    request,
    confirm,
    race,
    storedStates,
  } = sentCodeKit(() => h, kind, 'email', ROOMY);

  const stateOf = async (confirmationId: string): Promise<Record<string, unknown>> => {
    const [row] = await sql('SELECT state FROM two_factor_confirmation WHERE id = ?', [confirmationId]);
    return typeof row.state === 'string' ? JSON.parse(row.state) : row.state;
  };

  it('enrols an address: the code goes to the outbox only, is stored hashed, and confirms the factor', async () => {
    const auth = await freshUser();
    const typed = `  Ann.${randomBytes(3).toString('hex')}@Example.COM `;
    const normalised = typed.trim().replace('@Example.COM', '@example.com');
    const created = await enrol(auth, { email: typed }, await methodConfigId(h, 'email'));
    expect(created.status).toBe(201);
    expect(created.body.item).toMatchObject({ status: 'in_process', config: { email: 'A***@example.com' } });
    expect(created.body.enrollment).toBeNull();

    const [message, ...older] = await outbox(normalised);
    expect(older).toHaveLength(0);
    expect(message).toMatchObject({ to: normalised, subject: 'Your demo verification code' });
    const code = await latestCode(normalised);
    expect(code).toMatch(/^[0-9]{6}$/);

    const state = await stateOf(created.body.confirmation_id);
    expect(JSON.stringify(state)).not.toContain(code);
    expect(state).toMatchObject({ digits: 6, to: normalised });
    expect(typeof state.code_hash).toBe('string');

    const confirmed = await post('user-config/own/confirm/', { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } }, auth);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', is_available: true, config: { email: 'A***@example.com' } });
    expect(seen.join('\n')).not.toMatch(standalone(code));
    expect(seen.join('\n')).not.toContain(String(state.code_hash).split(':')[1]);
  });

  it('refuses an invalid address and sends nothing', async () => {
    const mcId = await emailConfig();
    const response = await enrol(await freshUser(), { email: 'not an address' }, mcId);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed', details: { fields: [expect.objectContaining({ field: 'config.email' })] } });
    expect(await outbox('not an address')).toHaveLength(0);
  });

  it('answers a wrong code with 400 confirmation_failed and the attempts left; the right code still works', async () => {
    const to = address('wrong');
    const requested = await request({ method_config_id: await emailConfig(), data: { email: to } });
    expect(requested.status).toBe(201);
    // The public challenge says where the code went, masked; never the code.
    expect(requested.body.challenge).toEqual({ destination: `w***@example.com` });
    const code = await latestCode(to);
    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await confirm(requested.body.id, wrong);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 4 } });
    expect((await confirm(requested.body.id, code)).status).toBe(200);
  });

  it('accepts one spelling of a code only: padded, longer, non-ASCII or numeric forms all count as wrong', async () => {
    const to = address('spelling');
    const requested = await request({ method_config_id: await emailConfig(), data: { email: to } });
    const code = await latestCode(to);
    const fullWidth = [...code].map((digit) => String.fromCharCode(0xff10 + Number(digit))).join('');
    for (const spelling of [` ${code}`, `${code} `, `1${code}`, fullWidth]) {
      const response = await confirm(requested.body.id, spelling);
      expect([response.status, response.body.code]).toEqual([400, 'confirmation_failed']);
    }
    expect((await confirm(requested.body.id, code)).status).toBe(200);
  });

  it('refuses a replay of a used code', async () => {
    const to = address('replay');
    const requested = await request({ method_config_id: await emailConfig(), data: { email: to } });
    const code = await latestCode(to);
    expect((await confirm(requested.body.id, code)).status).toBe(200);
    const again = await confirm(requested.body.id, code);
    expect([again.status, again.body.code]).toEqual([409, 'already_confirmed']);
  });

  it('caps the lifetime at ttl_seconds and refuses an expired code with 410', async () => {
    const to = address('expiry');
    const before = Date.now();
    const requested = await request({ method_config_id: await emailConfig({ ttl_seconds: 120 }), data: { email: to } });
    const expiresAt = Date.parse(requested.body.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 119_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
    const code = await latestCode(to);
    await sql('UPDATE two_factor_confirmation SET expires_at = ? WHERE id = ?', [Date.now() - 1000, requested.body.id]);
    const expired = await confirm(requested.body.id, code);
    expect([expired.status, expired.body.code]).toEqual([410, 'confirmation_expired']);
  });

  it('resends to the enrolled address: the older code stops working', async () => {
    const auth = await freshUser();
    const to = address('resend');
    const mcId = await emailConfig();
    const created = await enrol(auth, { email: to }, mcId);
    const first = await latestCode(to);
    const elsewhere = address('elsewhere');
    const resent = await request({ user_config_id: created.body.item.id, data: { email: elsewhere } }, auth);
    expect(resent.status).toBe(201);
    const second = await latestCode(to);
    expect(await outbox(to)).toHaveLength(2);
    // A user-bound code goes to the enrolled address, whatever `data` says.
    expect(await outbox(elsewhere)).toHaveLength(0);

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

  it('sends the code for a changed address to the new address only, and keeps it unproven until confirmed', async () => {
    const auth = await freshUser();
    const [oldAddress, newAddress] = [address('old'), address('new')];
    const mcId = await emailConfig();
    const created = await enrol(auth, { email: oldAddress }, mcId);
    await post(
      'user-config/own/confirm/',
      { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: await latestCode(oldAddress) } },
      auth,
    );

    // Changing a confirmed factor needs a fresh proof: a code sent to the current address.
    const proof = await request({ user_config_id: created.body.item.id }, auth);
    expect((await confirm(proof.body.id, await latestCode(oldAddress), auth)).status).toBe(200);

    const updated = record(
      await h.http
        .put(`${API}/user-config/own/${created.body.item.id}/update/`)
        .set({ ...auth, 'X-Two-Factor-Confirmation': proof.body.id })
        .send({ config: { email: newAddress } }),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.item).toMatchObject({ status: 'in_process', config: { email: 'n***@example.com' } });
    expect(await outbox(oldAddress)).toHaveLength(2);
    const confirmed = await post(
      'user-config/own/confirm/',
      { id: created.body.item.id, confirmation_id: updated.body.confirmation_id, data: { code: await latestCode(newAddress) } },
      auth,
    );
    expect(confirmed.body).toMatchObject({ status: 'confirmed' });
  });

  it('caps sends per address: the next request is 429 rate_limited with Retry-After, and nothing is sent', async () => {
    const to = address('capped');
    const mcId = await emailConfig({ max_sends_per_destination_per_hour: 2 });
    for (let i = 0; i < 2; i++) expect((await request({ method_config_id: mcId, data: { email: to } })).status).toBe(201);
    const refused = await request({ method_config_id: mcId, data: { email: to.toUpperCase() } });
    expect([refused.status, refused.body.code]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(await outbox(to)).toHaveLength(2);

    // An enrolment of the capped address is refused before the factor is even written.
    const auth = await freshUser();
    const enrolled = await enrol(auth, { email: to }, mcId);
    expect(enrolled.status).toBe(429);
    expect(record(await h.http.get(`${API}/user-config/own/list/`).set(auth).expect(200)).body).toEqual([]);
    expect(await outbox(to)).toHaveLength(2);
  });

  it('enforces the resend cooldown per address', async () => {
    const auth = await freshUser();
    const to = address('cooldown');
    const created = await enrol(auth, { email: to }, await emailConfig({ resend_cooldown_seconds: 60 }));
    expect(created.status).toBe(201);
    const refused = await request({ user_config_id: created.body.item.id }, auth);
    expect([refused.status, refused.body.code]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await outbox(to)).toHaveLength(1);
  });

  it('verifies an address anonymously (method level), e.g. before sign-up', async () => {
    const to = address('signup');
    const mcId = await emailConfig();
    const requested = await request({ method_config_id: mcId, data: { email: to } });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ status: 'in_process', attempts_left: 5 });
    const confirmed = await confirm(requested.body.id, await latestCode(to));
    expect(confirmed.body).toMatchObject({ status: 'confirmed', is_available: true });
    expect(await stateOf(requested.body.id)).toMatchObject({ to });

    for (const data of [undefined, {}, { email: 'nope' }, { email: to, extra: 1 }]) {
      const refused = await request({ method_config_id: mcId, ...(data ? { data } : {}) });
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    }
    expect(await outbox(to)).toHaveLength(1);
  });

  it('lets exactly one of 30 parallel confirms with the right code win', async () => {
    const auth = await freshUser();
    const to = address('race');
    const requested = await request({ method_config_id: await emailConfig(), data: { email: to } }, auth);
    const code = await latestCode(to);
    const statuses = await race(requested.body.id, code, auth);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 409)).toBe(true);
  });

  it('keeps codes out of every response and plaintext codes out of every stored row', async () => {
    const sent = (await h.http.get('/api/v1/dev/outbox').expect(200)).body as Array<{ text: string }>;
    const codes = sent.map((message) => /\b(\d{6,10})\b/.exec(message.text)![1]);
    expect(codes.length).toBeGreaterThan(10);
    const states = await storedStates();
    const hashes = states.map((state) => (JSON.parse(state).code_hash as string | undefined)?.split(':')[1]).filter(Boolean) as string[];
    expect(hashes.length).toBeGreaterThan(0);
    const responses = seen.join('\n');
    for (const code of codes) {
      expect(responses).not.toMatch(standalone(code));
      for (const state of states) expect(state).not.toContain(`"${code}"`);
    }
    for (const hash of hashes) expect(responses).not.toContain(hash);
  });
});
