import { ConfirmerService } from 'nestjs-two-factor';
import { bootLibrary, freshUser, type LibraryHarness } from '../../../test/support/library-harness.js';
import { enrolDummy, methodConfigId } from '../../../test/support/flows.js';
import { DATABASE_KINDS } from '../../../test/support/test-database.js';

/**
 * `check` answers whether a confirmation is a usable proof now: its own state, and its factor and method
 * config as they are at the time of the check, not as they were when it was confirmed. The check reads
 * them with its own statement (ConfirmationStore.readForCheck), so each fact it relies on is tested here.
 */
describe.each(DATABASE_KINDS)('check: a proof as its factor is now, on %s', (kind) => {
  let h: LibraryHarness;
  let confirmer: ConfirmerService;
  beforeAll(async () => {
    h = await bootLibrary(kind);
    confirmer = h.app.get(ConfirmerService);
  });
  afterAll(() => h.close());

  /** A confirmed proof of a fresh user's dummy factor. */
  async function proof(): Promise<{ user: string; factor: number; id: string }> {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'proof-code');
    const { id } = await confirmer.requestConfirmation({ userId: user, userConfigId: factor });
    await confirmer.confirm({ userId: user, id, data: { code: 'proof-code' } });
    return { user, factor, id };
  }
  const available = async ({ user, id }: { user: string; id: string }) => (await confirmer.check({ userId: user, id })).available;

  it('a confirmed proof of an active, confirmed factor is available, and to its owner only', async () => {
    const p = await proof();
    expect(await available(p)).toBe(true);
    expect(await confirmer.check({ userId: freshUser(), id: p.id })).toEqual({ available: false, confirmation: null });
  });

  it('is not available once its factor is switched off, and again once it is back on', async () => {
    const p = await proof();
    await h.sql('UPDATE two_factor_user_config SET is_active = ? WHERE id = ?', [false, p.factor]);
    expect(await available(p)).toBe(false);
    await h.sql('UPDATE two_factor_user_config SET is_active = ? WHERE id = ?', [true, p.factor]);
    expect(await available(p)).toBe(true);
  });

  it.each(['locked', 'in_process'])('is not available once its factor is %s', async (status) => {
    const p = await proof();
    await h.sql('UPDATE two_factor_user_config SET status = ? WHERE id = ?', [status, p.factor]);
    expect(await available(p)).toBe(false);
  });

  it('is not available once its method config is switched off (last: the method stays off for this file)', async () => {
    const p = await proof();
    await h.sql('UPDATE two_factor_method_config SET is_active = ? WHERE id = ?', [false, await methodConfigId(h, 'dummy')]);
    expect(await available(p)).toBe(false);
  });
});
