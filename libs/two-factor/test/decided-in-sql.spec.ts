import { ConfirmerService } from 'nestjs-two-factor';
import { ConfirmationStore } from '../src/persistence/confirmation.store.js';
import { SignInStore } from '../src/persistence/sign-in.store.js';
import { SqlRunner } from '../src/persistence/sql-runner.js';
import { bootLibrary, freshUser, type LibraryHarness } from '../../../test/support/library-harness.js';
import { enrolDummy, requestFor } from '../../../test/support/flows.js';
import { DATABASE_KINDS } from '../../../test/support/test-database.js';

/**
 * Each rule is checked twice: by the read that explains a refusal, and by the
 * conditional statement that decides. Here the row changes between the two (a
 * race, made deterministic), so only the statement stands between the answer and
 * a wrong outcome: weakening the SQL form of a rule fails these tests.
 */
describe.each(DATABASE_KINDS)('the statement decides, not the read, on %s', (kind) => {
  let h: LibraryHarness;
  let confirmer: ConfirmerService;
  let store: ConfirmationStore;
  let readJoined: ConfirmationStore['readJoined'];

  beforeAll(async () => {
    h = await bootLibrary(kind);
    confirmer = h.app.get(ConfirmerService);
    store = h.app.get(ConfirmationStore);
    readJoined = store.readJoined.bind(store);
  });
  afterEach(() => {
    store.readJoined = readJoined;
  });
  afterAll(() => h.close());

  /** Runs `meanwhile` once, right after the next read of a confirmation, before the statement that acts on it. */
  const betweenReadAndWrite = (meanwhile: () => Promise<unknown>) => {
    let done = false;
    store.readJoined = async (id) => {
      const read = await readJoined(id);
      if (!done) {
        done = true;
        await meanwhile();
      }
      return read;
    };
  };
  const outcome = (work: Promise<unknown>) =>
    work.then(
      () => 'confirmed',
      (error: { code?: string }) => error.code ?? String(error),
    );
  const row = async (id: string) => (await h.sql('SELECT status, attempts FROM two_factor_confirmation WHERE id = ?', [id]))[0];
  const failures = async (factor: number) => {
    const [counter] = await h.sql('SELECT count FROM two_factor_failure_counter WHERE key = ?', [`uc:${factor}`]);
    return counter ? Number(counter.count) : 0;
  };

  it('newest: a code replaced by a new challenge after the read does not confirm', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    const old = await requestFor(h, user, factor);
    betweenReadAndWrite(() => confirmer.requestConfirmation({ userId: user, userConfigId: factor }));
    expect(await outcome(confirmer.confirm({ id: old, userId: user, data: { code: 'right' } }))).toBe('confirmation_expired');
    expect(await row(old)).toMatchObject({ status: 'in_process' });
  });

  it('unexpired: a confirmation that expires after the read does not confirm', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    const id = await requestFor(h, user, factor);
    betweenReadAndWrite(() => h.sql('UPDATE two_factor_confirmation SET expires_at = ? WHERE id = ?', [Date.now() - 1000, id]));
    expect(await outcome(confirmer.confirm({ id, userId: user, data: { code: 'right' } }))).toBe('confirmation_expired');
    expect(await row(id)).toMatchObject({ status: 'in_process' });
  });

  it('attempts left: a confirmation that runs out of attempts after the read does not confirm', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    const id = await requestFor(h, user, factor);
    // The attempts run out without the status moving: only `attempts < max_attempts` in the statement refuses.
    betweenReadAndWrite(() => h.sql('UPDATE two_factor_confirmation SET attempts = max_attempts WHERE id = ?', [id]));
    expect(await outcome(confirmer.confirm({ id, userId: user, data: { code: 'right' } }))).toBe('confirmation_locked');
    expect(await row(id)).toMatchObject({ status: 'in_process' });
  });

  it('open: a wrong answer to a confirmation that expired after the read is not judged and counts nowhere', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    const id = await requestFor(h, user, factor);
    betweenReadAndWrite(() => h.sql('UPDATE two_factor_confirmation SET expires_at = ? WHERE id = ?', [Date.now() - 1000, id]));
    expect(await outcome(confirmer.confirm({ id, userId: user, data: { code: 'wrong' } }))).toBe('confirmation_expired');
    expect(await row(id)).toMatchObject({ attempts: 0 });
    expect(await failures(factor)).toBe(0);
  });

  it('the failure window: a wrong answer whose window another guess took after the read is not judged', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 5, 0)', [`uc:${factor}`]);
    const id = await requestFor(h, user, factor);
    betweenReadAndWrite(() => h.sql('UPDATE two_factor_failure_counter SET count = 6, last_failed_at = ? WHERE key = ?', [Date.now(), `uc:${factor}`]));
    expect(await outcome(confirmer.confirm({ id, userId: user, data: { code: 'wrong' } }))).toBe('rate_limited');
    expect(await row(id)).toMatchObject({ attempts: 0 });
    expect(await failures(factor)).toBe(6);
  });

  it('the failure window: a right answer whose window another guess took after the read does not confirm', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 5, 0)', [`uc:${factor}`]);
    const id = await requestFor(h, user, factor);
    betweenReadAndWrite(() => h.sql('UPDATE two_factor_failure_counter SET count = 6, last_failed_at = ? WHERE key = ?', [Date.now(), `uc:${factor}`]));
    expect(await outcome(confirmer.confirm({ id, userId: user, data: { code: 'right' } }))).toBe('rate_limited');
    expect(await row(id)).toMatchObject({ status: 'in_process' });
    expect(await failures(factor)).toBe(6);
  });
  it('purpose: a right answer to a confirmation issued for another path (changed after the read) does not confirm', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    const id = await requestFor(h, user, factor);
    betweenReadAndWrite(() => h.sql(`UPDATE two_factor_confirmation SET purpose = 'sign_in' WHERE id = ?`, [id]));
    expect(await outcome(confirmer.confirm({ id, userId: user, data: { code: 'right' } }))).toBe('not_found');
    expect(await row(id)).toMatchObject({ status: 'in_process' });
  });

  it('purpose: a wrong answer to a confirmation issued for another path (changed after the read) is not judged and counts nowhere', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    const id = await requestFor(h, user, factor);
    betweenReadAndWrite(() => h.sql(`UPDATE two_factor_confirmation SET purpose = 'enrollment' WHERE id = ?`, [id]));
    expect(await outcome(confirmer.confirm({ id, userId: user, data: { code: 'wrong' } }))).toBe('not_found');
    expect(await row(id)).toMatchObject({ attempts: 0 });
    expect(await failures(factor)).toBe(0);
  });

  it('proof: only a step-up confirmation is spent by use, whatever its status', async () => {
    const user = freshUser();
    const factor = await enrolDummy(h, user, 'right');
    for (const purpose of ['sign_in', 'enrollment']) {
      const id = await requestFor(h, user, factor);
      await confirmer.confirm({ id, userId: user, data: { code: 'right' } });
      await h.sql('UPDATE two_factor_confirmation SET purpose = ? WHERE id = ?', [purpose, id]);
      expect((await confirmer.use({ id, userId: user, requireFactor: true })).used).toBe(false);
      expect(await row(id)).toMatchObject({ status: 'confirmed' });
    }
  });

  describe('sign-in completion: the claim decides the spend and the recovery cancel', () => {
    /** A pending sign-in of `user` waiting for a fresh confirmation of `factor`, and a running recovery of the user. */
    const pendingWithRecovery = async (user: string, factor: number) => {
      const id = await requestFor(h, user, factor);
      const token = `token-${user}`;
      const now = Date.now();
      await h.sql('INSERT INTO two_factor_sign_in (token_hash, user_id, confirmation_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?)', [
        token,
        user,
        id,
        now + 60_000,
        now,
      ]);
      await h.sql('INSERT INTO two_factor_recovery (id, user_id, cancel_hash, not_before, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        `recovery-${user}`,
        user,
        `cancel-${user}`,
        now + 60_000,
        now + 120_000,
        now,
      ]);
      return { id, token };
    };
    const complete = (token: string, id: string, factor: number, user: string) =>
      h.app.get(SqlRunner).transaction((manager) => h.app.get(SignInStore).complete(token, id, factor, user, Date.now(), manager));
    const left = async (user: string, id: string) => ({
      confirmations: (await h.sql('SELECT id FROM two_factor_confirmation WHERE id = ?', [id])).length,
      signIns: (await h.sql('SELECT token_hash FROM two_factor_sign_in WHERE user_id = ?', [user])).length,
      recoveries: (await h.sql('SELECT id FROM two_factor_recovery WHERE user_id = ?', [user])).length,
    });

    it('a claim that loses (the factor switched off meanwhile) spends no confirmation and cancels no recovery', async () => {
      const user = freshUser();
      const factor = await enrolDummy(h, user, 'right');
      const { id, token } = await pendingWithRecovery(user, factor);
      await h.sql('UPDATE two_factor_user_config SET is_active = FALSE WHERE id = ?', [factor]);
      expect(await complete(token, id, factor, user)).toBeNull();
      expect(await left(user, id)).toEqual({ confirmations: 1, signIns: 1, recoveries: 1 });
    });

    it('a claim that wins spends the confirmation and cancels the recovery, and says which', async () => {
      const user = freshUser();
      const factor = await enrolDummy(h, user, 'right');
      const { id, token } = await pendingWithRecovery(user, factor);
      expect(await complete(token, id, factor, user)).toEqual({ cancelled: expect.objectContaining({ id: `recovery-${user}`, user_id: user }) });
      expect(await left(user, id)).toEqual({ confirmations: 0, signIns: 0, recoveries: 0 });
      const again = await pendingWithRecovery(user, factor);
      await h.sql('DELETE FROM two_factor_recovery WHERE user_id = ?', [user]);
      expect(await complete(again.token, again.id, factor, user)).toEqual({ cancelled: null });
    });
  });
});
