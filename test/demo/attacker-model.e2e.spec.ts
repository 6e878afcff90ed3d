import fc from 'fast-check';
import { attackerModelCommands } from '../support/attacker-model/commands.js';
import { freshSequence } from '../support/attacker-model/sequence.js';
import { REMOVE_TWO_FACTOR_ROUTE, World } from '../support/attacker-model/world.js';
import { bootDemo, TEST_HTTP_ADAPTER, type DemoHarness } from '../support/demo-harness.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/**
 * Sequences per database and run; ATTACKER_MODEL_RUNS changes it. CI runs every suite twice
 * (Express, then Fastify): the 200 run on Express, 50 on Fastify, where only the adapter differs.
 */
const RUNS = Number(process.env.ATTACKER_MODEL_RUNS ?? (TEST_HTTP_ADAPTER === 'fastify' ? 50 : 200));
const MAX_COMMANDS = 30;
/**
 * Replaying a reported counterexample: ATTACKER_MODEL_SEED and ATTACKER_MODEL_PATH (the
 * failure's seed and path), and ATTACKER_MODEL_REPLAY (the replayPath printed in the
 * counterexample's command list) for exactly the shrunk sequence.
 */
const SEED = process.env.ATTACKER_MODEL_SEED === undefined ? undefined : Number(process.env.ATTACKER_MODEL_SEED);
const PATH = process.env.ATTACKER_MODEL_PATH;
const REPLAY = process.env.ATTACKER_MODEL_REPLAY;
/** For a hunt: only these steps, or all but these (class names, comma-separated). CI sets neither. */
const list = (value: string | undefined) => (value ? value.split(',').map((name) => name.trim()) : undefined);
const ONLY = list(process.env.ATTACKER_MODEL_ONLY);
const WITHOUT = list(process.env.ATTACKER_MODEL_WITHOUT);
/** ATTACKER_MODEL_CENSUS=1: every sequence runs to its end and every broken invariant is listed (no shrinking); fails if any broke. */
const CENSUS = process.env.ATTACKER_MODEL_CENSUS === '1';

/**
 * Issue 18 item 3: seeded random sequences of what the victim, the admin and an attacker
 * (the victim's session and password, none of their codes) can do over HTTP against the
 * demo; after every step the invariants of issue 18 item 2 are checked against a small
 * model (test/support/attacker-model/, CONTRIBUTING.md "The attacker model").
 */
describe.each(DATABASE_KINDS)(`attacker model on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let world: World;

  beforeAll(async () => {
    h = await bootDemo(kind, {
      twoFactor: {
        // A lock within reach of one step: 3 wrong codes in a row instead of 100 (a documented option).
        maxConsecutiveFailures: 3,
        // Method config changes seen at once, not after the cache's 5 seconds.
        methodConfigCacheSeconds: 0,
      },
    });
    world = new World(h);
    await world.init();
  });
  afterAll(() => h.close());

  it("serves the admin's remove-two-factor route (docs/reference/rest-api.md; the model's step needs it)", () => {
    expect({ route: REMOVE_TWO_FACTOR_ROUTE, served: world.removeRouteServed }).toEqual({ route: REMOVE_TWO_FACTOR_ROUTE, served: true });
  });

  it(`${RUNS} sequences of up to ${MAX_COMMANDS} steps: no session, step-up or factor for the attacker; no device outlives a change`, async () => {
    const started = Date.now();
    let sequences = 0;
    if (CENSUS) world.census = new Map();
    await fc.assert(
      fc.asyncProperty(attackerModelCommands(MAX_COMMANDS, { replayPath: REPLAY, only: ONLY, without: WITHOUT }), async (steps) => {
        sequences++;
        try {
          await fc.asyncModelRun(() => freshSequence(world), steps);
        } catch (error) {
          // The trace of this very run, with real ids and every answer, follows the violation.
          if (error instanceof Error) error.message = `${error.message}\n  trace:\n${world.trace.join('\n')}`;
          throw error;
        }
      }),
      { numRuns: RUNS, seed: SEED, path: PATH },
    );
    console.info(`attacker model on ${kind}: ${sequences} sequences in ${Math.round((Date.now() - started) / 1000)} s`);
    if (world.census) {
      for (const [invariant, { count, first }] of world.census) console.info(`${invariant}: broken ${count} time(s); the first:\n${first}`);
      expect([...world.census.keys()]).toEqual([]);
    }
  }, 1_800_000);
});
