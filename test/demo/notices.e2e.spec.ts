import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { API, bootDemo, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, stepUpProof } from '../support/flows.js';
import { signInWithDummy } from '../support/sign-in.js';
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
});
