/**
 * The attacker model's state: what the test knows, not what the app says. Who keyed
 * each factor (so whose codes it answers to), whether the user has two-factor on,
 * which remembered devices may still exist. The app's rows are read after every step
 * (`Observed`) and judged against it (see invariants.ts).
 */

/** Who can answer a factor's codes: the victim keyed it, or the attacker did. */
export type Keyer = 'victim' | 'attacker';

/** One of the victim's factors (a dummy user config), by its real id. */
export interface FactorRecord {
  id: number;
  /** F1, F2 … in the order of creation within one sequence: what the trace prints. */
  label: string;
  methodConfigId: number;
  /** Who chose the code the factor holds now (the last successful create or re-key). */
  keyedBy: Keyer;
  code: string;
  /** An admin switched it off as a lost device: the thief (the attacker) holds it and knows its code. */
  lost: boolean;
  /** The confirmation the last create or re-key issued, for whoever keyed it to prove it with. */
  pendingConfirmation: string | null;
}

/** A device the victim remembered at a sign-in; `live` turns false at the first change to any factor. */
export interface DeviceRecord {
  id: string;
  token: string;
  label: string;
  live: boolean;
}

/** A factor as the admin API lists it after a step. */
export interface ObservedFactor {
  id: number;
  status: string;
  is_active: boolean;
  is_available: boolean;
  method_config_id: number;
}

export interface AttackerModel {
  factors: Map<number, FactorRecord>;
  devices: DeviceRecord[];
  /** Active or not, the dummy method configs the admin made in this sequence (real ids). */
  methodConfigs: Map<number, { label: string; active: boolean }>;
  /**
   * Two-factor is on for the victim: set once they have an available factor, cleared only
   * by the victim removing (or switching off) their last available factor with a proof, or
   * by the admin's "remove two-factor". While on, the password alone never signs in.
   */
  twoFactorOn: boolean;
  /** The factors as the app listed them after the last step. */
  observed: Map<number, ObservedFactor>;
  /** Factors created so far (for labels) and codes handed out (each code is new). */
  counters: { factors: number; codes: number; devices: number; methodConfigs: number };
}

export function emptyModel(): AttackerModel {
  return {
    factors: new Map(),
    devices: [],
    methodConfigs: new Map(),
    twoFactorOn: false,
    observed: new Map(),
    counters: { factors: 0, codes: 0, devices: 0, methodConfigs: 0 },
  };
}

/** A fresh code of `keyer`'s: the attacker's never equal the victim's. */
export function newCode(model: AttackerModel, keyer: Keyer): string {
  return `${keyer}-code-${++model.counters.codes}`;
}

export function attackerKnows(factor: FactorRecord): boolean {
  return factor.keyedBy === 'attacker' || factor.lost;
}

export function victimKnows(factor: FactorRecord): boolean {
  return factor.keyedBy === 'victim';
}

/** The factors the app lists as available now. */
export function availableIds(model: AttackerModel): number[] {
  return [...model.observed.values()].filter((factor) => factor.is_available).map((factor) => factor.id);
}

/** The victim's own available factors: the ones they can prove a step-up or a sign-in with. */
export function victimProvers(model: AttackerModel): FactorRecord[] {
  return availableIds(model)
    .map((id) => model.factors.get(id))
    .filter((factor): factor is FactorRecord => factor !== undefined && victimKnows(factor));
}

/** `list[pick % length]`, or undefined for an empty list: commands draw a number and aim at what exists then. */
export function pickFrom<T>(list: T[], pick: number): T | undefined {
  return list.length === 0 ? undefined : list[pick % list.length];
}

/** The factors in creation order, optionally only those `filter` keeps. */
export function factorsWhere(model: AttackerModel, filter: (factor: FactorRecord, seen: ObservedFactor | undefined) => boolean = () => true): FactorRecord[] {
  return [...model.factors.values()].filter((factor) => filter(factor, model.observed.get(factor.id)));
}

/** Every device remembered so far stops being trusted: a factor changed. */
export function revokeDevices(model: AttackerModel): void {
  for (const device of model.devices) device.live = false;
}

/** Factors in one sequence, all told: enough for every interleaving, few enough that picks hit. */
export const MAX_FACTORS = 4;
export const MAX_METHOD_CONFIGS = 3;

/** The ids of the active dummy method configs, in creation order. */
export function activeMethodConfigs(model: AttackerModel): number[] {
  return [...model.methodConfigs.entries()].filter(([, config]) => config.active).map(([id]) => id);
}
