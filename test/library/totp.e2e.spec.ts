import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { generateSync } from 'otplib';
import { DataSource } from 'typeorm';
import { ConfirmerService, MethodConfig } from 'nestjs-two-factor';
import { API, bootLibrary, freshUser, type LibraryHarness } from '../support/library-harness.js';
import { methodConfigId } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const PERIOD_MS = 30_000;

/** Each request voids the older ones (challenge_seq); this revives them all, so only the replay guard stands between them. */
const REVIVE_ALL =
  'UPDATE two_factor_confirmation SET challenge_seq = (SELECT u.challenge_seq FROM two_factor_user_config u WHERE u.id = ?) WHERE user_config_id = ?';

/** The step an authenticator app on this machine shows now (the server may be one step further by the time it judges). */
const currentStep = () => Math.floor(Date.now() / PERIOD_MS);

/** What an authenticator app learns from scanning the enrolment URI. */
interface App {
  secret: string;
  digits: number;
  algorithm: string;
  codeAt(step: number): string;
}

function scan(otpauthUri: string): App {
  const uri = new URL(otpauthUri);
  const secret = uri.searchParams.get('secret')!;
  const digits = Number(uri.searchParams.get('digits') ?? 6);
  const algorithm = uri.searchParams.get('algorithm') ?? 'SHA1';
  const codeAt = (step: number) =>
    generateSync({ secret, epoch: step * 30, period: 30, digits, algorithm: algorithm.toLowerCase() as 'sha1' | 'sha256' | 'sha512' });
  return { secret, digits, algorithm, codeAt };
}

/** A code that is none of the codes of the steps around now. */
function wrongCode(app: App, step: number): string {
  const near = new Set([-2, -1, 0, 1, 2, 3].map((offset) => app.codeAt(step + offset)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(app.digits, '0');
    if (!near.has(candidate)) return candidate;
  }
}

describe.each(DATABASE_KINDS)(`TOTP on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;
  let db: DataSource;
  let totpConfigId: number;

  const query = (sql: string, params: unknown[] = []) => h.sql(sql, params);

  beforeAll(async () => {
    h = await bootLibrary(kind);
    db = h.app.get(DataSource);
    totpConfigId = await methodConfigId(h, 'totp');
  });
  afterAll(() => h.close());

  /** Every test signs in as a user of its own, so no factor, failure count or step-up rule carries over. */
  let auth: Record<string, string>;
  let user: string;
  beforeEach(async () => {
    user = freshUser();
    auth = await h.auth(user);
  });

  const create = (body: object) => h.http.post(`${API}/user-config/own/create/`).set(auth).send(body);
  const confirmConfig = (id: number, confirmationId: string, code: unknown) =>
    h.http.post(`${API}/user-config/own/confirm/`).set(auth).send({ id, confirmation_id: confirmationId, data: { code } });
  const request = async (userConfigId: number): Promise<string> =>
    (await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: userConfigId }).expect(201)).body.id;
  const confirm = (id: string, code: unknown) => h.http.post(`${API}/confirmation/confirm/`).set(auth).send({ id, data: { code } });
  /** A confirmed confirmation of the factor, as the step-up proof that changing a confirmed factor asks for. */
  const proof = async (userConfigId: number, code: string) => {
    const id = await request(userConfigId);
    await confirm(id, code).expect(200);
    return { 'X-Two-Factor-Confirmation': id };
  };

  /** Enrols the test's user (not yet confirmed) and scans the QR code's URI. */
  async function enrol(methodConfig = totpConfigId, config: object = {}) {
    const created = await create({ method_config_id: methodConfig, config }).expect(201);
    return {
      created,
      id: created.body.item.id as number,
      confirmationId: created.body.confirmation_id as string,
      app: scan(created.body.enrollment.otpauth_uri),
    };
  }

  /** Enrols and confirms with the current step's code; that step is then spent. */
  async function enrolConfirmed() {
    const enrolled = await enrol();
    const step = currentStep();
    await confirmConfig(enrolled.id, enrolled.confirmationId, enrolled.app.codeAt(step)).expect(200);
    return { ...enrolled, step };
  }

  describe('enrolment', () => {
    it('is offered with its user-config schema, and never its global config', async () => {
      const response = await h.http.get(`${API}/method-config/list/active/`).expect(200);
      const item = response.body.find((entry: { id: number }) => entry.id === totpConfigId);
      expect(item).toMatchObject({ method: 'totp', verbose_name: 'Authenticator app' });
      expect(Object.keys(item.config_schema.properties).sort()).toEqual(['label', 'regenerate']);
      expect(response.text).not.toContain('two-factor demo');
    });

    it('returns the otpauth URI and QR code once, then never again', async () => {
      const { created, id, confirmationId, app } = await enrol(totpConfigId, { label: 'alice@example.com' });
      expect(created.body.item).toMatchObject({
        status: 'in_process',
        is_available: false,
        config: { label: 'alice@example.com', digits: 6, algorithm: 'SHA1', period: 30 },
      });
      expect(created.body.confirmation_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Object.keys(created.body.enrollment).sort()).toEqual(['otpauth_uri', 'qr_code']);
      const uri = new URL(created.body.enrollment.otpauth_uri);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.host).toBe('totp');
      expect(decodeURIComponent(uri.pathname)).toBe('/two-factor demo:alice@example.com');
      expect(uri.searchParams.get('issuer')).toBe('two-factor demo');
      expect(app.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(created.body.enrollment.qr_code).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(created.body.enrollment.qr_code.split(',')[1], 'base64').subarray(1, 4).toString('ascii')).toBe('PNG');

      const later: string[] = [];
      const keep = <R extends { text: string; headers: object }>(response: R): R => {
        later.push(response.text, JSON.stringify(response.headers));
        return response;
      };
      const confirmed = keep(await confirmConfig(id, confirmationId, app.codeAt(currentStep())).expect(200));
      expect(confirmed.body).toMatchObject({ id, status: 'confirmed', is_available: true });
      expect(confirmed.body).not.toHaveProperty('enrollment');
      const list = keep(await h.http.get(`${API}/user-config/own/list/`).set(auth).expect(200));
      expect(list.body.find((item: { id: number }) => item.id === id).config).toEqual({ label: 'alice@example.com', digits: 6, algorithm: 'SHA1', period: 30 });
      const renamed = keep(await h.http.put(`${API}/user-config/own/${id}/update/`).set(auth).send({ title: 'phone' }).expect(200));
      expect(renamed.body).toMatchObject({ confirmation_id: null, enrollment: null, item: { title: 'phone', status: 'confirmed' } });
      const stepUp = await proof(id, app.codeAt(currentStep() + 1));
      const relabelled = keep(
        await h.http
          .patch(`${API}/user-config/own/${id}/update/`)
          .set(auth)
          .set(stepUp)
          .send({ config: { label: 'work' } })
          .expect(200),
      );
      expect(relabelled.body).toMatchObject({ confirmation_id: null, enrollment: null, item: { status: 'confirmed', config: { label: 'work' } } });
      const requested = keep(await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: id }).expect(201));
      keep(await h.http.get(`${API}/confirmation/${requested.body.id}/check/`).set(auth).expect(200));

      const seedHex = Buffer.from(base32Decode(app.secret)).toString('hex');
      const [row] = await query('SELECT config FROM two_factor_user_config WHERE id = ?', [id]);
      const sealed = JSON.parse(row.config).seed as string;
      for (const text of later) {
        for (const secret of [app.secret, seedHex, sealed, 'otpauth', 'data:image']) expect(text).not.toContain(secret);
      }
    });

    it('stores the seed only encrypted: no plaintext seed in any row', async () => {
      const { id, app } = await enrol();
      const seedHex = Buffer.from(base32Decode(app.secret)).toString('hex');
      const [row] = await query('SELECT config FROM two_factor_user_config WHERE id = ?', [id]);
      expect(JSON.parse(row.config).seed).toMatch(/^v1\.[0-9a-f]{8}\./);
      const everything = JSON.stringify([
        await query('SELECT * FROM two_factor_user_config'),
        await query('SELECT * FROM two_factor_confirmation'),
        await query('SELECT * FROM two_factor_method_config'),
      ]);
      for (const secret of [app.secret, seedHex, seedHex.toUpperCase(), Buffer.from(seedHex, 'hex').toString('base64')])
        expect(everything).not.toContain(secret);
    });

    it('refuses a confirmation that names only the method config: there is no shared seed', async () => {
      const response = await h.http.post(`${API}/confirmation/request/`).set(auth).send({ method_config_id: totpConfigId }).expect(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'user_config_id' }] } });
    });

    it('issues a new seed on regenerate, to be confirmed again; the old seed stops working', async () => {
      const { id, app: old, step: enrolledAt } = await enrolConfirmed();
      const stepUp = await proof(id, old.codeAt(enrolledAt + 1));
      const regenerated = await h.http
        .put(`${API}/user-config/own/${id}/update/`)
        .set(auth)
        .set(stepUp)
        .send({ config: { regenerate: true } })
        .expect(200);
      expect(regenerated.body.item.status).toBe('in_process');
      expect(regenerated.body.confirmation_id).toMatch(/^[0-9a-f-]{36}$/);
      const app = scan(regenerated.body.enrollment.otpauth_uri);
      expect(app.secret).not.toBe(old.secret);
      const step = currentStep();
      const refused = await confirmConfig(id, regenerated.body.confirmation_id, old.codeAt(step)).expect(400);
      expect(refused.body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 4 } });
      // The new seed's steps start unspent, even the step the old seed last used.
      await confirmConfig(id, regenerated.body.confirmation_id, app.codeAt(step)).expect(200);
      const list = await h.http.get(`${API}/user-config/own/list/`).set(auth).expect(200);
      expect(list.text).not.toContain(app.secret);
      expect(list.text).not.toContain('otpauth');
    });

    it("enrols with the method config's digits and algorithm: 8 digits, SHA-256", async () => {
      const now = new Date();
      const inserted = await db.getRepository(MethodConfig).insert({
        title: 'Authenticator (8 digits)',
        method: 'totp',
        config: { issuer: 'ACME', digits: 8, algorithm: 'SHA256', window: 1, period: 30 },
        is_active: true,
        is_default: false,
        created_at: now,
        updated_at: now,
      });
      const { created, id, confirmationId, app } = await enrol(inserted.identifiers[0].id);
      expect(app).toMatchObject({ digits: 8, algorithm: 'SHA256' });
      expect(created.body.item.config).toMatchObject({ digits: 8, algorithm: 'SHA256' });
      expect(decodeURIComponent(new URL(created.body.enrollment.otpauth_uri).pathname)).toMatch(/^\/ACME:/);
      const code = app.codeAt(currentStep());
      expect(code).toMatch(/^[0-9]{8}$/);
      await confirmConfig(id, confirmationId, code.slice(2)).expect(400);
      await confirmConfig(id, confirmationId, code).expect(200);
    });
  });

  describe('confirm', () => {
    it('accepts the next step, and refuses the same step twice and an older step', async () => {
      const { id, app, step } = await enrolConfirmed();
      const first = await request(id);
      const replayed = await confirm(first, app.codeAt(step)).expect(400);
      expect(replayed.body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 4 } });
      await confirm(first, app.codeAt(step + 1)).expect(200);

      const second = await request(id);
      expect((await confirm(second, app.codeAt(step + 1)).expect(400)).body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 4 } });
      expect((await confirm(second, app.codeAt(step)).expect(400)).body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 3 } });
      const [row] = await query('SELECT replay_guard FROM two_factor_user_config WHERE id = ?', [id]);
      expect(Number(row.replay_guard)).toBe(step + 1);
    });

    it('answers a wrong code with 400 confirmation_failed and the attempts left', async () => {
      const { id, app, step } = await enrolConfirmed();
      const confirmationId = await request(id);
      const response = await confirm(confirmationId, wrongCode(app, step)).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'confirmation_failed', details: { attempts_left: 4 } });
      expect(response.text).not.toContain(app.codeAt(step + 1));
      await confirm(confirmationId, app.codeAt(step + 1)).expect(200);
    });

    it('refuses other spellings of the right code, without spending its step', async () => {
      const { id, app, step } = await enrolConfirmed();
      const confirmationId = await request(id);
      const code = app.codeAt(step + 1);
      const spellings = [
        ` ${code}`,
        `${code.slice(0, 3)} ${code.slice(3)}`,
        `0${code}`,
        String.fromCodePoint(...[...code].map((digit) => 0xff10 + Number(digit))),
      ];
      for (const [index, spelling] of spellings.entries()) {
        const response = await confirm(confirmationId, spelling).expect(400);
        expect(response.body).toMatchObject({ code: 'confirmation_failed', details: { attempts_left: 4 - index } });
      }
      await confirm(confirmationId, app.codeAt(step + 1)).expect(200);
    });

    it('locks the confirmation after 5 wrong codes: then even the right code gets 429', async () => {
      const { id, app, step } = await enrolConfirmed();
      const confirmationId = await request(id);
      for (let left = 4; left >= 0; left--) {
        const response = await confirm(confirmationId, wrongCode(app, step)).expect(400);
        expect(response.body.details.attempts_left).toBe(left);
      }
      await confirm(confirmationId, app.codeAt(step + 1)).expect(429);
    });

    it('refuses an expired confirmation with 410, and the step stays unspent', async () => {
      const { id, app, step } = await enrolConfirmed();
      const expired = await request(id);
      await query('UPDATE two_factor_confirmation SET expires_at = ? WHERE id = ?', [Date.now() - 1000, expired]);
      expect((await confirm(expired, app.codeAt(step + 1)).expect(410)).body).toMatchObject({ code: 'confirmation_expired' });
      await confirm(await request(id), app.codeAt(step + 1)).expect(200);
    });
  });

  describe('single use under races', () => {
    it('30 parallel confirms of the right code on one confirmation: exactly one succeeds', async () => {
      const { id, app, step } = await enrolConfirmed();
      const confirmationId = await request(id);
      const responses = await Promise.all(Array.from({ length: 30 }, () => confirm(confirmationId, app.codeAt(step + 1))));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      for (const status of statuses) expect(status).toBeLessThan(500);
    });

    it('30 parallel confirms of one code on 30 live confirmations: the time step is claimed once', async () => {
      const { id, app, step } = await enrolConfirmed();
      const confirmations: string[] = [];
      for (let i = 0; i < 30; i++) confirmations.push(await request(id));
      // Each request voids the older ones (challenge_seq); revive them all, so only the replay guard stands between them.
      await query(
        'UPDATE two_factor_confirmation SET challenge_seq = (SELECT u.challenge_seq FROM two_factor_user_config u WHERE u.id = ?) WHERE user_config_id = ?',
        [id, id],
      );
      const responses = await Promise.all(confirmations.map((confirmationId) => confirm(confirmationId, app.codeAt(step + 1))));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      // The losers are wrong answers; after a few, the factor's failure cooldown answers for them.
      for (const response of responses.filter((r) => r.status !== 200)) {
        expect([`400 confirmation_failed`, `429 rate_limited`]).toContain(`${response.status} ${response.body.code}`);
      }
      const [row] = await query('SELECT replay_guard FROM two_factor_user_config WHERE id = ?', [id]);
      expect(Number(row.replay_guard)).toBe(step + 1);
    });

    it('the same race straight through ConfirmerService (every read before any write, so it bites on SQLite too): one success', async () => {
      const { id, app, step } = await enrolConfirmed();
      const confirmations: string[] = [];
      for (let i = 0; i < 30; i++) confirmations.push(await request(id));
      await query(REVIVE_ALL, [id, id]);
      const confirmer = h.app.get(ConfirmerService);
      const code = app.codeAt(step + 1);
      const outcomes = await Promise.allSettled(confirmations.map((confirmationId) => confirmer.confirm({ id: confirmationId, userId: user, data: { code } })));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const [row] = await query('SELECT replay_guard FROM two_factor_user_config WHERE id = ?', [id]);
      expect(Number(row.replay_guard)).toBe(step + 1);
    });
  });
});

/** RFC 4648 base32, so the test reads the seed from the URI without the code under test. */
function base32Decode(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = bits.match(/.{8}/g) ?? [];
  return new Uint8Array(bytes.map((byte) => parseInt(byte, 2)));
}
