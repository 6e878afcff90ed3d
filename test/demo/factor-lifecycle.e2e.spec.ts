import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { UserConfigService, type TwoFactorAuditEvent } from 'nestjs-two-factor';
import { API, bootDemo, freshUser, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, requestFor, stepUpProof } from '../support/flows.js';
import { deviceCookieOf, login, pendingSignIn, requestCode, signInWithDummy } from '../support/sign-in.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const ADMIN = `${API}/admin`;
/** The demo's alice: a real password sign-in. */
const ALICE = '1';

/**
 * Issue 18: one lifecycle of a user's factors. Through HTTP, as a stolen session
 * (bearer token, no code of the victim's factors), an admin and the user would.
 */
describe.each(DATABASE_KINDS)(`factor lifecycle on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let admin: Record<string, string>;
  const events: TwoFactorAuditEvent[] = [];

  beforeAll(async () => {
    h = await bootDemo(kind, { twoFactor: { anonymousRequestsPerIpPerHour: 10_000 } });
    h.app.get(EventEmitter2).on('two_factor.**', (event: TwoFactorAuditEvent) => events.push(event));
    // Tokens taken while alice and admin have no factor (the harness keeps them).
    admin = await h.auth('admin');
    await h.auth('alice');
    await h.auth('bob');
  });
  afterAll(() => h.close());

  /** Alice starts each test with no factor, device, pending sign-in, or two-factor. */
  beforeEach(async () => {
    for (const table of ['two_factor_confirmation', 'two_factor_device', 'two_factor_sign_in', 'two_factor_enabled_user']) {
      await h.sql(`DELETE FROM ${table} WHERE user_id = ?`, [ALICE]);
    }
    await h.sql("DELETE FROM two_factor_failure_counter WHERE key LIKE 'uc:%'");
    await h.sql('DELETE FROM two_factor_user_config WHERE user_id = ?', [ALICE]);
    events.length = 0;
  });

  const row = async (id: number) =>
    (await h.sql('SELECT status, config, is_active, is_default, challenge_seq FROM two_factor_user_config WHERE id = ?', [id]))[0] as
      { status: string; config: string; is_active: unknown; is_default: unknown; challenge_seq: unknown } | undefined;
  /** The user's PUT update of factor `id`, expected to answer `status`. */
  const put = async (user: string, id: number, body: object, status: number, headers: Record<string, string> = {}) =>
    h.http
      .put(`${API}/user-config/own/${id}/update/`)
      .set(await h.auth(user))
      .set(headers)
      .send(body)
      .expect(status);

  /** Drives the factor to the 100-failure lockout through the real confirm path (the counter starts at 99). */
  async function lockOut(user: string, factor: number): Promise<void> {
    await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 99, 0)', [`uc:${factor}`]);
    const id = await requestFor(h, user, factor);
    // A proven factor's code is a step-up confirmation; an unproven one's an enrolment confirmation, answered on its own path.
    const proven = (await row(factor))!.status === 'confirmed';
    await h.http
      .post(proven ? `${API}/confirmation/confirm/` : `${API}/user-config/own/confirm/`)
      .set(await h.auth(user))
      .send(proven ? { id, data: { code: 'wrong' } } : { id: factor, confirmation_id: id, data: { code: 'wrong' } })
      .expect(400);
    expect((await row(factor))!.status).toBe('locked');
  }

  /** Enrols `user` in `methodConfig` with a dummy `code`, with a proof when needed, and confirms it. */
  async function enrolIn(user: string, methodConfig: number, code: string): Promise<number> {
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(user))
      .set(await stepUpProof(h, user))
      .send({ method_config_id: methodConfig, config: { code } })
      .expect(201);
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(await h.auth(user))
      .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } })
      .expect(200);
    return created.body.item.id;
  }

  /** A second factor left `in_process` (created with a proof, never confirmed). */
  async function abandonedEnrolment(user: string): Promise<number> {
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(user))
      .set(await stepUpProof(h, user))
      .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'users-own-code' } })
      .expect(201);
    return created.body.item.id;
  }

  /** What the password alone gives alice (with `device`, if any): a session, the second step, or a refusal. */
  async function passwordAlone(device?: string): Promise<'session' | 'second_step' | string> {
    const response = await login(h, 'alice', device);
    if (response.status === 200) return typeof response.body.access_token === 'string' ? 'session' : 'second_step';
    return `${response.status} ${response.body.code}`;
  }

  it("host code gets the user's factors from UserConfigService as the user may see them: never the stored config", async () => {
    const service = h.app.get(UserConfigService);
    const user = freshUser();
    const created = await service.create(user, { methodConfigId: await methodConfigId(h, 'dummy'), config: { code: 'host-secret-code' } });
    const [stored] = await h.sql('SELECT config FROM two_factor_user_config WHERE id = ?', [created.item.id]);
    const hash = String(JSON.parse(stored.config).code_hash).split(':').pop()!;
    expect(created).toEqual({
      item: expect.objectContaining({
        id: created.item.id,
        status: 'in_process',
        is_available: false,
        method_config: expect.objectContaining({ method: 'dummy' }),
      }),
      confirmationId: expect.any(String),
      enrollment: null,
    });
    for (const result of [created, await service.list(user), await service.findOwn(user, created.item.id)]) {
      const text = JSON.stringify(result);
      expect(text).not.toContain(hash);
      expect(text).not.toContain('host-secret-code');
      expect(text).not.toContain('code_hash');
    }
  });

  describe('proof: a stolen session makes no factor usable', () => {
    it('re-keying an in_process factor without a proof is 403 two_factor_required and changes nothing', async () => {
      const user = freshUser();
      await enrolDummy(h, user, 'real-code');
      const pending = await abandonedEnrolment(user);
      const before = await row(pending);
      const refused = await put(user, pending, { config: { code: 'attacker-code' } }, 403);
      expect(refused.body.code).toBe('two_factor_required');
      expect(await row(pending)).toEqual(before);
    });

    it('re-keying a locked factor without a proof is refused — also when it is the only factor — and it stays locked', async () => {
      const user = freshUser();
      const only = await enrolDummy(h, user, 'real-code');
      await lockOut(user, only);
      const before = await row(only);
      expect((await put(user, only, { config: { code: 'attacker-code' } }, 403)).body.code).toBe('two_factor_required');
      expect(await row(only)).toEqual(before);
      // Nor can a new factor be added: two-factor is on, and no factor is left to prove with.
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(await h.auth(user))
        .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'attacker-code' } });
      expect([created.status, created.body.code]).toEqual([403, 'two_factor_required']);
    });

    it('switching a factor back on and making one the default need a proof; with one they pass', async () => {
      const user = freshUser();
      await enrolDummy(h, user, 'first-code');
      const second = await enrolDummy(h, user, 'second-code');
      await put(user, second, { is_active: false }, 200, await stepUpProof(h, user));
      expect((await put(user, second, { is_active: true }, 403)).body.code).toBe('two_factor_required');
      expect(Boolean((await row(second))!.is_active)).toBe(false);
      expect((await put(user, second, { is_default: true }, 403)).body.code).toBe('two_factor_required');
      expect(Boolean((await row(second))!.is_default)).toBe(false);
      await put(user, second, { is_active: true, is_default: true }, 200, await stepUpProof(h, user));
      expect(await row(second)).toMatchObject({ status: 'confirmed' });
    });

    it('a factor enrolled before two-factor went on (without a proof) needs a proof to be confirmed once another is available', async () => {
      const user = freshUser();
      const dummy = await methodConfigId(h, 'dummy');
      const create = async (code: string) =>
        (
          await h.http
            .post(`${API}/user-config/own/create/`)
            .set(await h.auth(user))
            .send({ method_config_id: dummy, config: { code } })
            .expect(201)
        ).body;
      const planted = await create('planted-code');
      const real = await create('real-code');
      const confirm = async (made: { item: { id: number }; confirmation_id: string }, code: string, headers: Record<string, string> = {}) =>
        h.http
          .post(`${API}/user-config/own/confirm/`)
          .set(await h.auth(user))
          .set(headers)
          .send({ id: made.item.id, confirmation_id: made.confirmation_id, data: { code } });
      expect((await confirm(real, 'real-code')).status).toBe(200);
      const refused = await confirm(planted, 'planted-code');
      expect([refused.status, refused.body.code]).toEqual([403, 'two_factor_required']);
      expect((await row(planted.item.id))!.status).toBe('in_process');
      const proof = await requestFor(h, user, real.item.id);
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(await h.auth(user))
        .send({ id: proof, data: { code: 'real-code' } })
        .expect(200);
      expect((await confirm(planted, 'planted-code', { 'X-Two-Factor-Confirmation': proof })).status).toBe(200);
    });

    it('a title alone needs no proof', async () => {
      const user = freshUser();
      const factor = await enrolDummy(h, user, 'code');
      expect((await put(user, factor, { title: 'My phone' }, 200)).body.item.title).toBe('My phone');
    });
  });

  describe('no fallback: once two-factor is on, the password alone never signs in', () => {
    it('after a lock and an admin unlock: the factor is confirmed again, and the password alone is still only the first step', async () => {
      const factor = await enrolDummy(h, 'alice', 'alice-code');
      await lockOut('alice', factor);
      expect(await passwordAlone()).toBe('403 factor_locked');
      const unlocked = (await h.http.post(`${ADMIN}/user/${ALICE}/user-config/${factor}/unlock/`).set(admin).expect(200)).body;
      expect(unlocked).toMatchObject({ id: factor, status: 'confirmed', is_available: true, consecutive_failures: 0 });
      expect(await passwordAlone()).toBe('second_step');
      await signInWithDummy(h, 'alice', factor, 'alice-code');
    });

    it('an unlocked factor that had never been proven comes back in_process, and the password alone is refused', async () => {
      await enrolDummy(h, 'alice', 'alice-code');
      const pending = await abandonedEnrolment('alice');
      await lockOut('alice', pending);
      await h.http.post(`${ADMIN}/user/${ALICE}/user-config/${pending}/unlock/`).set(admin).expect(200);
      expect((await row(pending))!.status).toBe('in_process');
    });

    it("during the user's own re-key: refused until the new config is proven, then the second step again", async () => {
      const factor = await enrolDummy(h, 'alice', 'alice-code');
      const rekeyed = (await put('alice', factor, { config: { code: 'new-code' } }, 200, await stepUpProof(h, 'alice'))).body;
      expect(rekeyed.item.status).toBe('in_process');
      expect(await passwordAlone()).toBe('403 factor_locked');
      await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(await h.auth('alice'))
        .send({ id: factor, confirmation_id: rekeyed.confirmation_id, data: { code: 'new-code' } })
        .expect(200);
      expect(await passwordAlone()).toBe('second_step');
    });

    it('after an admin switches off or deletes the only factor (a lost device)', async () => {
      const first = await enrolDummy(h, 'alice', 'alice-code');
      await h.http.post(`${ADMIN}/user/${ALICE}/user-config/${first}/deactivate/`).set(admin).expect(200);
      expect(await passwordAlone()).toBe('403 factor_locked');
      await h.http.delete(`${ADMIN}/user/${ALICE}/user-config/${first}/destroy/`).set(admin).expect(204);
      expect(await passwordAlone()).toBe('403 factor_locked');
    });

    it('the user removing their last factor with a proof turns two-factor off', async () => {
      const factor = await enrolDummy(h, 'alice', 'alice-code');
      await h.http
        .delete(`${API}/user-config/own/${factor}/destroy/`)
        .set(await h.auth('alice'))
        .set(await stepUpProof(h, 'alice'))
        .expect(204);
      expect(await passwordAlone()).toBe('session');
    });

    it('admin "remove two-factor": audited, a notice to the user, and the only admin action that puts the user on the password alone', async () => {
      await enrolDummy(h, 'alice', 'alice-code');
      await enrolDummy(h, 'alice', 'other-code');
      const device = deviceCookieOf(
        await signInWithDummy(
          h,
          'alice',
          (await h.sql('SELECT MIN(id) AS id FROM two_factor_user_config WHERE user_id = ?', [ALICE]))[0].id,
          'alice-code',
          true,
        ),
      )!;
      events.length = 0;
      expect(
        (
          await h.http
            .post(`${ADMIN}/user/${ALICE}/two-factor/remove/`)
            .set(await h.auth('bob'))
            .expect(403)
        ).body.code,
      ).toBe('admin_required');
      expect(await passwordAlone()).toBe('second_step');
      const removed = await h.http.post(`${ADMIN}/user/${ALICE}/two-factor/remove`).set(admin).expect(200);
      expect(removed.body).toEqual({ user_id: ALICE, removed_factors: 2 });
      expect(events.filter((event) => event.name.startsWith('two_factor.admin.'))).toEqual([
        expect.objectContaining({ name: 'two_factor.admin.two_factor.removed', adminId: '3', userId: ALICE, count: 2 }),
      ]);
      expect(await h.sql('SELECT id FROM two_factor_user_config WHERE user_id = ?', [ALICE])).toEqual([]);
      expect(await h.sql('SELECT id FROM two_factor_device WHERE user_id = ?', [ALICE])).toEqual([]);
      expect(await passwordAlone(device)).toBe('session');
      const [notice] = (await h.http.get('/api/v1/dev/outbox').query({ to: 'alice@example.com' }).expect(200)).body;
      expect(notice.subject).toBe('Two-factor: An administrator removed two-factor sign-in from your account');
    });
  });

  describe('revocation: every change of a factor revokes remembered devices and pending sign-ins', () => {
    /** A change of factor `b` (alice also has `a`); `prepare` runs before the device is remembered. */
    interface Change {
      prepare?: (f: Factors) => Promise<void>;
      act: (f: Factors) => Promise<void>;
    }
    interface Factors {
      a: number;
      b: number;
      methodConfig: number;
    }
    const proofFor = () => stepUpProof(h, 'alice');
    /** An unused proof of factor `b` (confirmed, not spent), or null while `b` is not available. */
    async function provenProof(b: number): Promise<string | null> {
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await h.auth('alice'))
        .send({ user_config_id: b });
      if (requested.status !== 201) return null;
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .set(await h.auth('alice'))
        .send({ id: requested.body.id, data: { code: 'b-code' } })
        .expect(200);
      return requested.body.id;
    }
    const changes: Array<[string, Change]> = [
      ['admin deactivate', { act: async ({ b }) => void (await h.http.post(`${ADMIN}/user/${ALICE}/user-config/${b}/deactivate/`).set(admin).expect(200)) }],
      ['admin delete', { act: async ({ b }) => void (await h.http.delete(`${ADMIN}/user/${ALICE}/user-config/${b}/destroy/`).set(admin).expect(204)) }],
      [
        'method config deactivate',
        { act: async ({ methodConfig }) => void (await h.http.post(`${ADMIN}/method-config/${methodConfig}/deactivate/`).set(admin).expect(200)) },
      ],
      [
        'method config cascade delete',
        { act: async ({ methodConfig }) => void (await h.http.delete(`${ADMIN}/method-config/${methodConfig}/destroy/?cascade=true`).set(admin).expect(204)) },
      ],
      [
        'user re-key, even after proving it again',
        {
          act: async ({ b }) => {
            const rekeyed = (await put('alice', b, { config: { code: 'b-new' } }, 200, await proofFor())).body;
            await h.http
              .post(`${API}/user-config/own/confirm/`)
              .set(await h.auth('alice'))
              .send({ id: b, confirmation_id: rekeyed.confirmation_id, data: { code: 'b-new' } })
              .expect(200);
          },
        },
      ],
      [
        'user re-activation',
        {
          prepare: async ({ b }) => void (await put('alice', b, { is_active: false }, 200, await proofFor())),
          act: async ({ b }) => void (await put('alice', b, { is_active: true }, 200, await proofFor())),
        },
      ],
      ['lock (100 failures)', { act: async ({ b }) => lockOut('alice', b) }],
      [
        'admin unlock',
        {
          prepare: async ({ b }) => lockOut('alice', b),
          act: async ({ b }) => void (await h.http.post(`${ADMIN}/user/${ALICE}/user-config/${b}/unlock/`).set(admin).expect(200)),
        },
      ],
      [
        'user delete',
        {
          act: async ({ b }) =>
            void (await h.http
              .delete(`${API}/user-config/own/${b}/destroy/`)
              .set(await h.auth('alice'))
              .set(await proofFor())
              .expect(204)),
        },
      ],
    ];

    it.each(changes)('%s', async (_name, change) => {
      const a = await enrolDummy(h, 'alice', 'a-code');
      const created = await h.http
        .post(`${ADMIN}/method-config/create/`)
        .set(admin)
        .send({ method: 'dummy', title: `lifecycle ${Math.random()}` })
        .expect(201);
      const factors = { a, b: await enrolIn('alice', created.body.id, 'b-code'), methodConfig: created.body.id as number };
      await change.prepare?.(factors);
      const device = deviceCookieOf(await signInWithDummy(h, 'alice', a, 'a-code', true))!;
      expect(await passwordAlone(device)).toBe('session');
      const { token } = await pendingSignIn(h, 'alice');
      const proof = await provenProof(factors.b);

      await change.act(factors);

      expect(await passwordAlone(device)).not.toBe('session');
      expect((await requestCode(h, token, a)).body.code).toBe('sign_in_invalid');
      // The changed factor's unused proofs are void: gone.
      if (proof)
        await h.http
          .get(`${API}/confirmation/${proof}/check/`)
          .set(await h.auth('alice'))
          .expect(404);
      await h.http.delete(`${ADMIN}/method-config/${factors.methodConfig}/destroy/?cascade=true`).set(admin);
    });
  });
});
