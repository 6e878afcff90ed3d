import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { API, bootDemo, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, stepUpProof } from '../support/flows.js';
import { confirmCode, pendingSignIn, requestCode, signInWithDummy } from '../support/sign-in.js';
import { DATABASE_KINDS } from '../support/test-database.js';

type Message = { to: string; subject?: string; text: string };

describe.each(DATABASE_KINDS)(`notices by email on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  const notices = async (): Promise<Message[]> =>
    ((await h.http.get('/api/v1/dev/outbox').query({ to: 'alice@example.com' }).expect(200)).body as Message[]).filter((message) =>
      message.subject?.startsWith('Two-factor: '),
    );

  beforeAll(async () => {
    h = await bootDemo(kind);
  });
  afterAll(() => h.close());

  it('adding a factor sends the user a notice (no code in it)', async () => {
    await enrolDummy(h, 'alice', 'notice-code-1');
    const [newest] = await notices();
    expect(newest.subject).toBe('Two-factor: A second factor was added to your account');
    expect(newest.text).toContain('(dummy)');
    expect(newest.text).not.toContain('notice-code-1');
  });

  it('removing a factor sends a notice', async () => {
    const extra = await enrolDummy(h, 'alice', 'notice-code-2');
    await h.http
      .delete(`${API}/user-config/own/${extra}/destroy/`)
      .set(await h.auth('alice'))
      .set(await stepUpProof(h, 'alice'))
      .expect(204);
    expect((await notices())[0].subject).toBe('Two-factor: A second factor was removed from your account');
  });

  it('remembering a device sends a notice; a sign-in without it does not', async () => {
    const [factor] = (
      await h.http
        .get(`${API}/user-config/own/list/`)
        .set(await h.auth('alice'))
        .expect(200)
    ).body;
    const before = (await notices()).length;
    await signInWithDummy(h, 'alice', factor.id, 'notice-code-1');
    expect(await notices()).toHaveLength(before);
    await signInWithDummy(h, 'alice', factor.id, 'notice-code-1', true);
    const after = await notices();
    expect(after).toHaveLength(before + 1);
    expect(after[0].subject).toBe('Two-factor: A device was remembered for sign-in');
  });

  it('a rename sends nothing', async () => {
    const [factor] = (
      await h.http
        .get(`${API}/user-config/own/list/`)
        .set(await h.auth('alice'))
        .expect(200)
    ).body;
    const before = (await notices()).length;
    await h.http
      .patch(`${API}/user-config/own/${factor.id}/update/`)
      .set(await h.auth('alice'))
      .send({ title: 'renamed' })
      .expect(200);
    expect(await notices()).toHaveLength(before);
  });

  it('backup codes running low: the sign-in or step-up that leaves 2 mails once; a new set warns again', async () => {
    // bob signs in with his password while he has no factor; the harness keeps that token.
    const auth = await h.auth('bob');
    const lowNotices = async () =>
      ((await h.http.get('/api/v1/dev/outbox').query({ to: 'bob@example.com' }).expect(200)).body as Message[]).filter(
        (message) => message.subject === 'Two-factor: Your backup codes are running low',
      );
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(auth)
      .send({ method_config_id: await methodConfigId(h, 'backup_codes'), config: {} })
      .expect(201);
    const id = created.body.item.id as number;
    const codes = created.body.enrollment.codes as string[];
    const total = codes.length;
    // Every code but the last three unspent already: the next uses leave 2, 1 and 0.
    const spent = total - 3;
    await h.sql('UPDATE two_factor_user_config SET replay_guard = ? WHERE id = ?', [2 ** spent - 1, id]);
    const signIn = async (code: string) => {
      const { token } = await pendingSignIn(h, 'bob');
      await requestCode(h, token, id).expect(201);
      return (await confirmCode(h, token, code).expect(200)).body;
    };
    const stepUp = async (code: string) => {
      const requested = await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: id }).expect(201);
      const confirmed = await h.http.post(`${API}/confirmation/confirm/`).set(auth).send({ id: requested.body.id, data: { code } }).expect(200);
      return { ...confirmed.body, proofId: requested.body.id as string };
    };

    expect(await signIn(codes[spent])).toMatchObject({ access_token: expect.any(String), remaining: 2 });
    expect(await lowNotices()).toHaveLength(1);
    const [notice] = await lowNotices();
    expect(notice.text).toContain('Only 2 backup codes are left');
    for (const code of codes) expect(notice.text).not.toContain(code);
    const proof = await stepUp(codes[spent + 1]);
    expect(proof.remaining).toBe(1);
    expect(await lowNotices()).toHaveLength(1);

    // A new set (with the proof just made), brought down to 3 again: the use that leaves 2 warns anew.
    const regenerated = await h.http
      .patch(`${API}/user-config/own/${id}/update/`)
      .set(auth)
      .set({ 'X-Two-Factor-Confirmation': proof.proofId })
      .send({ config: { regenerate: true } })
      .expect(200);
    const fresh = regenerated.body.enrollment.codes as string[];
    await h.sql('UPDATE two_factor_user_config SET replay_guard = ? WHERE id = ?', [2 ** spent - 1, id]);
    expect((await stepUp(fresh[spent])).remaining).toBe(2);
    expect(await lowNotices()).toHaveLength(2);
    expect((await signIn(fresh[spent + 1])).remaining).toBe(1);
    expect((await signIn(fresh[spent + 2])).remaining).toBe(0);
    expect(await lowNotices()).toHaveLength(2);
  });
});
