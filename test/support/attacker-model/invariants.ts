import type { Response } from 'supertest';
import { attackerKnows, availableIds, revokeDevices, type AttackerModel, type ObservedFactor } from './model.js';
import { Violation } from './violation.js';
import type { World } from './world.js';

/** Who took a step: the attacker's steps carry no proof of the victim's, and are judged for it. */
export type Actor = 'victim' | 'attacker' | 'admin';

/** What a step leaves for the checks after it. */
export interface StepContext {
  actor: Actor;
  twoFactorOnBefore: boolean;
  availableBefore: Set<number>;
  /** The victim removed or switched off a factor with a proof: two-factor goes off if no factor is left available. */
  offIfNoneLeft: boolean;
}

/**
 * The changes to factors the rows show: deletion, switching off or on, and every
 * status move except proving a new value (in_process → confirmed). A config change
 * (re-key) is invisible here: the step that made it revokes devices itself.
 */
export function factorChanges(model: AttackerModel, before: Map<number, ObservedFactor>, after: Map<number, ObservedFactor>): string[] {
  const label = (id: number) => model.factors.get(id)?.label ?? `#${id}`;
  const changes: string[] = [];
  for (const [id, was] of before) {
    const now = after.get(id);
    if (!now) changes.push(`${label(id)} deleted`);
    else if (was.is_active !== now.is_active) changes.push(`${label(id)} switched ${now.is_active ? 'on' : 'off'}`);
    else if (was.status !== now.status && !(now.status === 'confirmed' && (was.status === 'in_process' || was.status === 'new')))
      changes.push(`${label(id)} ${was.status} → ${now.status}`);
  }
  return changes;
}

/**
 * After every step: read the victim's factors and devices, bring the model up to
 * date, and check the invariants that hold whatever the step was.
 * - Attacker factor: no available factor answers to a code the attacker knows.
 * - Proof: an attacker's step (no proof of the victim's) makes no factor available and
 *   takes none away, except by locking it with wrong codes.
 * - Revocation: no remembered device outlives a change to any factor.
 */
export async function afterStep(model: AttackerModel, world: World, step: StepContext): Promise<void> {
  const observed = await world.observeFactors();
  const changes = factorChanges(model, model.observed, observed);
  if (changes.length > 0) {
    world.note(`    (factors changed: ${changes.join(', ')}: every device remembered before must be gone)`);
    revokeDevices(model);
  }
  model.observed = observed;
  for (const id of [...model.factors.keys()]) if (!observed.has(id)) model.factors.delete(id);

  const available = availableIds(model);
  for (const id of available) {
    const factor = model.factors.get(id);
    if (!factor) throw new Violation('model lost track', `factor #${id} is available but no step of the model created it`);
    if (attackerKnows(factor))
      world.fail(
        new Violation(
          'attacker factor',
          `${factor.label} answers to a code the attacker knows (${factor.lost ? 'a lost device' : 'keyed by the attacker'}) and is available`,
        ),
      );
  }

  if (step.actor === 'attacker' && step.twoFactorOnBefore) {
    const now = new Set(available);
    for (const id of now)
      if (!step.availableBefore.has(id))
        world.fail(new Violation('proof', `${model.factors.get(id)?.label} became available through an attacker's request without a proof`));
    for (const id of step.availableBefore)
      if (!now.has(id) && observed.get(id)?.status !== 'locked')
        world.fail(new Violation('proof', `${model.factors.get(id)?.label ?? `#${id}`} stopped being available through an attacker's request without a proof`));
  }

  if (step.offIfNoneLeft && available.length === 0) model.twoFactorOn = false;
  if (available.length > 0) model.twoFactorOn = true;

  // Devices appear only through a sign-in step, which adds them to the model: none known, none to list.
  const devices = model.devices.length > 0 ? await world.observeDevices() : [];
  for (const id of devices) {
    const device = model.devices.find((candidate) => candidate.id === id);
    if (!device) throw new Violation('model lost track', `device ${id} exists but the victim never remembered it`);
    if (!device.live) world.fail(new Violation('revocation', `device ${device.label} outlived a change to a factor`));
  }
  world.note(world.summary(model));
}

/** A password step answered with a session while the victim has two-factor on, without a remembered device. */
export function assertNoPasswordOnlySession(world: World, model: AttackerModel, response: Response, who: string): void {
  if (response.status === 200 && typeof response.body?.access_token === 'string' && model.twoFactorOn)
    world.fail(new Violation('no fallback', `${who}: the password alone gave a session while the victim has two-factor on`));
}
