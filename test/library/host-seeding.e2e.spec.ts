import { MethodConfigService } from 'nestjs-two-factor';
import { bootHostWiring } from '../support/host-wiring-harness.js';
import { API, type AppHarness, TEST_HTTP_ADAPTER } from '../support/harness.js';
import { enrolDummy } from '../support/flows.js';
import { createTestDatabase, DATABASE_KINDS, isServerDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Issue 19, item 4: registered methods seeded as active method configs with their default global
 * config (`seedMethodConfigs`, on outside production), once across instances, never over an admin's.
 */
describe.each(DATABASE_KINDS)(`seeding method configs on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  const rowsPerMethod = async (h: AppHarness): Promise<Record<string, number>> => {
    const rows = await h.sql('SELECT method, COUNT(*) AS n FROM two_factor_method_config GROUP BY method');
    return Object.fromEntries(rows.map((row: { method: string; n: unknown }) => [row.method, Number(row.n)]));
  };

  it('a fresh app offers every method that has a default at once, and users can enrol', async () => {
    const h = await bootHostWiring(kind, { isGlobal: false });
    try {
      const listed = await h.http.get(`${API}/method-config/list/active/`).expect(200);
      // WebAuthn needs the host's relying party: never seeded.
      expect(listed.body.map((item: { method: string }) => item.method).sort()).toEqual(['dummy', 'email', 'totp']);
      const [totp] = await h.sql("SELECT title, config, is_active, is_default FROM two_factor_method_config WHERE method = 'totp'");
      expect(totp.title).toBe('');
      expect(JSON.parse(totp.config)).toMatchObject({ digits: 6, period: 30 });
      expect(Boolean(totp.is_active)).toBe(true);
      expect(Boolean(totp.is_default)).toBe(false);
      await enrolDummy(h, 'u-first', 'first-code');
    } finally {
      await h.close();
    }
  });

  it('is off with seedMethodConfigs: false', async () => {
    const h = await bootHostWiring(kind, { isGlobal: false, twoFactor: { seedMethodConfigs: false } });
    try {
      expect((await h.http.get(`${API}/method-config/list/active/`).expect(200)).body).toEqual([]);
    } finally {
      await h.close();
    }
  });

  describe('with several instances on one database', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(kind);
    });
    afterAll(() => db.drop());

    it('instances starting at once seed each method once', async () => {
      // Two instances in one process cannot write one SQLite file at once (better-sqlite3 waits for its lock
      // synchronously, blocking the event loop that would release it; see security.e2e.spec.ts): there they
      // start one after the other and race inside one instance; on PostgreSQL and MySQL they start and race together.
      const boot = () => bootHostWiring(kind, { isGlobal: false }, db);
      const apps = isServerDatabase(kind) ? await Promise.all([boot(), boot(), boot()]) : [await boot(), await boot()];
      try {
        expect(await rowsPerMethod(apps[0])).toEqual({ dummy: 1, email: 1, totp: 1 });
        // Racing seeders: one row, one winner.
        await apps[0].sql("DELETE FROM two_factor_method_config WHERE method = 'totp'");
        const seeders = (isServerDatabase(kind) ? apps : apps.slice(0, 1)).map((h) => h.app.get(MethodConfigService));
        const results = await Promise.all(Array.from({ length: 16 }, (_, i) => seeders[i % seeders.length].seedDefault('totp')));
        expect(results.filter((result) => result !== null)).toHaveLength(1);
        expect(await rowsPerMethod(apps[0])).toEqual({ dummy: 1, email: 1, totp: 1 });
      } finally {
        for (const h of apps) await h.close();
      }
    });

    it('never changes, re-activates or duplicates what an admin made', async () => {
      const first = await bootHostWiring(kind, { isGlobal: false }, db);
      const service = first.app.get(MethodConfigService);
      const dummy = (await service.list()).find((config) => config.method === 'dummy')!;
      await service.update(dummy.id, { title: 'Admin title', config: { code: 'admin-code' }, isActive: false });
      await first.close();
      const second = await bootHostWiring(kind, { isGlobal: false }, db);
      try {
        const dummies = (await second.app.get(MethodConfigService).list()).filter((config) => config.method === 'dummy');
        expect(dummies).toHaveLength(1);
        expect(dummies[0]).toMatchObject({ id: dummy.id, title: 'Admin title', config: { code: 'admin-code' }, is_active: false });
        const listed = await second.http.get(`${API}/method-config/list/active/`).expect(200);
        expect(listed.body.map((item: { method: string }) => item.method)).not.toContain('dummy');
      } finally {
        await second.close();
      }
    });
  });
});
