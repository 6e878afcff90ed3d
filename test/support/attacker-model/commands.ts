import fc from 'fast-check';
import {
  AdminCreatesMethodConfig,
  AdminDeletes,
  AdminDeletesMethodConfig,
  AdminRemovesTwoFactor,
  AdminSwitchesMethodConfig,
  AdminSwitchesOff,
  AdminUnlocks,
} from './admin.commands.js';
import { ATTACKER_PROOFS } from './attacker-proof.js';
import {
  AttackerConfirms,
  AttackerDeletes,
  AttackerEnrols,
  AttackerGuesses,
  AttackerMakesDefault,
  AttackerRekeys,
  AttackerSignsIn,
  AttackerStepsUp,
  AttackerSwitches,
  AttackerTriesRecovery,
} from './attacker.commands.js';
import type { Step } from './step.js';
import {
  VictimConfirms,
  VictimDeletes,
  VictimEnrols,
  VictimMakesDefault,
  VictimRekeys,
  VictimRevokesAllDevices,
  VictimRevokesDevice,
  VictimStepsUp,
  VictimSwitches,
} from './victim.commands.js';
import { VictimSignsIn, VictimSignsInFromDevice, VictimSpendsSignInCodeOnStepUp } from './victim-sign-in.commands.js';

const pick = fc.nat({ max: 7 });
const proof = fc.constantFrom(...ATTACKER_PROOFS);

/**
 * Every step a sequence may take, with a weight: the attacker's steps most often, since
 * each bypass needs one of theirs after the victim's or the admin's set the scene.
 */
const STEPS: Record<string, [weight: number, step: fc.Arbitrary<Step>]> = {
  VictimEnrols: [3, pick.map((p) => new VictimEnrols(p))],
  VictimConfirms: [3, pick.map((p) => new VictimConfirms(p))],
  VictimRekeys: [2, pick.map((p) => new VictimRekeys(p))],
  VictimSwitches: [2, fc.tuple(pick, fc.boolean()).map(([p, active]) => new VictimSwitches(p, active))],
  VictimDeletes: [2, pick.map((p) => new VictimDeletes(p))],
  VictimMakesDefault: [1, pick.map((p) => new VictimMakesDefault(p))],
  VictimSignsIn: [3, fc.boolean().map((remember) => new VictimSignsIn(remember))],
  VictimSignsInFromDevice: [2, pick.map((p) => new VictimSignsInFromDevice(p))],
  VictimRevokesDevice: [1, pick.map((p) => new VictimRevokesDevice(p))],
  VictimRevokesAllDevices: [1, fc.constant(new VictimRevokesAllDevices())],
  VictimStepsUp: [1, fc.constant(new VictimStepsUp())],
  VictimSpendsSignInCodeOnStepUp: [1, fc.constant(new VictimSpendsSignInCodeOnStepUp())],

  AttackerEnrols: [3, fc.tuple(pick, proof).map(([p, k]) => new AttackerEnrols(p, k))],
  AttackerRekeys: [4, fc.tuple(pick, proof).map(([p, k]) => new AttackerRekeys(p, k))],
  AttackerConfirms: [4, fc.tuple(pick, fc.boolean(), proof).map(([p, fresh, k]) => new AttackerConfirms(p, fresh, k))],
  AttackerSwitches: [3, fc.tuple(pick, fc.boolean(), proof).map(([p, active, k]) => new AttackerSwitches(p, active, k))],
  AttackerDeletes: [2, fc.tuple(pick, proof).map(([p, k]) => new AttackerDeletes(p, k))],
  AttackerMakesDefault: [1, fc.tuple(pick, proof).map(([p, k]) => new AttackerMakesDefault(p, k))],
  AttackerGuesses: [4, fc.tuple(pick, fc.integer({ min: 1, max: 3 }), fc.boolean()).map(([p, count, viaSignIn]) => new AttackerGuesses(p, count, viaSignIn))],
  AttackerSignsIn: [4, fc.constant(new AttackerSignsIn())],
  AttackerStepsUp: [2, proof.map((k) => new AttackerStepsUp(k))],
  AttackerTriesRecovery: [1, pick.map((p) => new AttackerTriesRecovery(p))],

  AdminUnlocks: [3, pick.map((p) => new AdminUnlocks(p))],
  AdminSwitchesOff: [2, fc.tuple(pick, fc.boolean()).map(([p, lost]) => new AdminSwitchesOff(p, lost))],
  AdminDeletes: [2, pick.map((p) => new AdminDeletes(p))],
  AdminRemovesTwoFactor: [1, fc.constant(new AdminRemovesTwoFactor())],
  AdminCreatesMethodConfig: [1, fc.constant(new AdminCreatesMethodConfig())],
  AdminSwitchesMethodConfig: [1, fc.tuple(pick, fc.boolean()).map(([p, active]) => new AdminSwitchesMethodConfig(p, active))],
  AdminDeletesMethodConfig: [1, pick.map((p) => new AdminDeletesMethodConfig(p))],
};

/**
 * The arbitrary of command sequences (fast-check's model-based testing), at most
 * `maxCommands` long. `only` / `without` (class names) narrow the steps for a hunt
 * (ATTACKER_MODEL_ONLY / ATTACKER_MODEL_WITHOUT); CI uses them all.
 */
export function attackerModelCommands(maxCommands: number, options: { replayPath?: string; only?: string[]; without?: string[] } = {}) {
  const names = Object.keys(STEPS).filter((name) => (!options.only || options.only.includes(name)) && !options.without?.includes(name));
  const unknown = [...(options.only ?? []), ...(options.without ?? [])].filter((name) => !(name in STEPS));
  if (unknown.length > 0 || names.length === 0) throw new Error(`no such steps: ${unknown.join(', ')} (known: ${Object.keys(STEPS).join(', ')})`);
  const weighted = names.flatMap((name) => Array.from({ length: STEPS[name][0] }, () => STEPS[name][1]));
  // size 'max': lengths spread up to maxCommands (fast-check's default size keeps them under ~10).
  return fc.commands(weighted, { maxCommands, size: 'max', replayPath: options.replayPath });
}
