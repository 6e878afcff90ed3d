import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FACTOR_TRANSITIONS, needsProof, type FactorTransition } from './factor-lifecycle.js';

/** The table as issue 18 asks for it, written out by hand: a change to FACTOR_TRANSITIONS must change this too. */
const EXPECTED: Record<FactorTransition, [by: string, proof: string, revokes: boolean, event: string | null]> = {
  enrol: ['user', 'protected', true, 'two_factor.user_config.created'],
  confirm: ['user', 'unvouched', true, 'two_factor.user_config.confirmed'],
  rekey: ['user', 'protected', true, 'two_factor.user_config.changed'],
  activate: ['user', 'protected', true, 'two_factor.user_config.changed'],
  deactivate: ['user', 'protected', true, 'two_factor.user_config.changed'],
  set_default: ['user', 'protected', true, 'two_factor.user_config.changed'],
  rename: ['user', 'never', false, 'two_factor.user_config.changed'],
  remove: ['user', 'unproven-free', true, 'two_factor.user_config.deleted'],
  lock: ['engine', 'never', true, 'two_factor.user_config.disabled'],
  record_use: ['engine', 'never', false, null],
  admin_unlock: ['admin', 'never', true, 'two_factor.admin.user_config.unlocked'],
  admin_deactivate: ['admin', 'never', true, 'two_factor.admin.user_config.deactivated'],
  admin_remove: ['admin', 'never', true, 'two_factor.admin.user_config.deleted'],
  admin_remove_two_factor: ['admin', 'never', true, 'two_factor.admin.two_factor.removed'],
  method_config_deactivate: ['admin', 'never', true, 'two_factor.admin.method_config.deactivated'],
  method_config_cascade_delete: ['admin', 'never', true, 'two_factor.admin.method_config.deleted'],
  // Issue 22: enrolment inside a pending sign-in that a recovery or an access code opened; the pending sign-in is the authorisation.
  recovery_enrol: ['user', 'never', false, 'two_factor.user_config.created'],
  recovery_complete: ['user', 'never', true, 'two_factor.recovery.completed'],
};

describe('the factor lifecycle table', () => {
  it('lists every transition, with its proof, revocation and audit event', () => {
    const actual = Object.fromEntries(Object.entries(FACTOR_TRANSITIONS).map(([name, rule]) => [name, [rule.by, rule.proof, rule.revokes, rule.event]]));
    expect(actual).toEqual(EXPECTED);
  });

  it('every change that can make a factor usable needs a proof from a protected user', () => {
    for (const transition of ['enrol', 'rekey', 'activate', 'set_default'] as const) {
      expect(needsProof(transition, { protectedUser: true, factorProven: false })).toBe(true);
      expect(needsProof(transition, { protectedUser: true, factorProven: true })).toBe(true);
      // Before the first factor is confirmed there is nothing to prove with.
      expect(needsProof(transition, { protectedUser: false, factorProven: false })).toBe(false);
    }
  });

  it('removing an unproven factor (an abandoned enrolment) needs no proof; a proven one does', () => {
    expect(needsProof('remove', { protectedUser: true, factorProven: false })).toBe(false);
    expect(needsProof('remove', { protectedUser: true, factorProven: true })).toBe(true);
    expect(needsProof('remove', { protectedUser: false, factorProven: true })).toBe(false);
  });

  it('confirming needs a proof only for a config set before two-factor went on (then without one)', () => {
    expect(needsProof('confirm', { protectedUser: true, factorProven: false, configVouched: false })).toBe(true);
    expect(needsProof('confirm', { protectedUser: true, factorProven: false, configVouched: true })).toBe(false);
    expect(needsProof('confirm', { protectedUser: false, factorProven: false, configVouched: false })).toBe(false);
  });

  it('admins and the engine never need the user’s proof; a title never does', () => {
    for (const [name, rule] of Object.entries(FACTOR_TRANSITIONS)) {
      if (rule.by === 'user' && name !== 'rename') continue;
      expect(needsProof(name as FactorTransition, { protectedUser: true, factorProven: true })).toBe(false);
    }
  });
});

/** Every library source file but specs and migrations. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('no code outside the lifecycle writes a factor', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const files = sources(root).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8').replace(/\s+/g, ' ') }));

  it('INSERT and DELETE on two_factor_user_config live in persistence/factor.store.ts only', () => {
    const writers = files.filter((file) => /(INSERT INTO|DELETE FROM) two_factor_user_config\b/.test(file.text)).map((file) => file.path);
    expect(writers).toEqual(['persistence/factor.store.ts']);
  });

  // last_used_at: the single-use claim records a right answer's use in its own statement (no statement more).
  it('an UPDATE elsewhere moves only the engine’s counters (challenge_seq, replay_guard, last_used_at), never status, config or a flag', () => {
    for (const file of files.filter((candidate) => candidate.path !== 'persistence/factor.store.ts')) {
      for (const match of file.text.matchAll(/UPDATE two_factor_user_config SET (.*?) WHERE/g)) {
        const columns = match[1].split(',').map((assignment) => assignment.trim().split(/\s*=/)[0]);
        expect({ file: file.path, columns: columns.filter((column) => !['challenge_seq', 'replay_guard', 'last_used_at'].includes(column)) }).toEqual({
          file: file.path,
          columns: [],
        });
      }
    }
  });

  // Who may import the factor store is held by libs/two-factor/test/architecture.spec.ts (it resolves every import).
});
