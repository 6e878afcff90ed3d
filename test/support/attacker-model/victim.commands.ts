import { API } from '../demo-harness.js';
import { confirmFactor, createFactor, deleteFactor, rekeyFactor, updateFactor, victimProof } from './factor-requests.js';
import type { StepContext } from './invariants.js';
import { activeMethodConfigs, factorsWhere, MAX_FACTORS, pickFrom, victimKnows, victimProvers, type AttackerModel } from './model.js';
import { Step } from './step.js';
import { STEP_UP, type World } from './world.js';

/** What the victim does: they know their own codes, so they send a proof wherever they can make one. */
export abstract class VictimStep extends Step {
  readonly actor = 'victim' as const;
}

export class VictimEnrols extends VictimStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.factors.size < MAX_FACTORS && activeMethodConfigs(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    await createFactor(world, model, 'victim', pickFrom(activeMethodConfigs(model), this.pick)!, await victimProof(world, model));
  }
  toString(): string {
    return `victim enrols a factor (method config pick ${this.pick})`;
  }
}

/** Proves a value the victim keyed, with the confirmation its create or re-key issued. */
export class VictimConfirms extends VictimStep {
  constructor(readonly pick: number) {
    super();
  }
  private targets(model: Readonly<AttackerModel>) {
    return factorsWhere(model as AttackerModel, (factor) => victimKnows(factor) && factor.pendingConfirmation !== null);
  }
  check(model: Readonly<AttackerModel>): boolean {
    return this.targets(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(this.targets(model), this.pick)!;
    const proof = await victimProof(world, model);
    if ((await confirmFactor(world, 'victim', factor, factor.pendingConfirmation!, proof)).status === 200) factor.pendingConfirmation = null;
  }
  toString(): string {
    return `victim confirms a pending factor (pick ${this.pick})`;
  }
}

export class VictimRekeys extends VictimStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.factors.size > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(factorsWhere(model), this.pick)!;
    await rekeyFactor(world, model, 'victim', factor, await victimProof(world, model));
  }
  toString(): string {
    return `victim re-keys a factor (pick ${this.pick})`;
  }
}

/** Switches a factor off, or back on (never a lost one: the thief holds it). */
export class VictimSwitches extends VictimStep {
  constructor(
    readonly pick: number,
    readonly active: boolean,
  ) {
    super();
  }
  private targets(model: Readonly<AttackerModel>) {
    return factorsWhere(model as AttackerModel, (factor, seen) => seen !== undefined && seen.is_active !== this.active && !(this.active && factor.lost));
  }
  check(model: Readonly<AttackerModel>): boolean {
    return this.targets(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World, step: StepContext): Promise<void> {
    const factor = pickFrom(this.targets(model), this.pick)!;
    const proof = await victimProof(world, model);
    const response = await updateFactor(world, 'victim', factor, { is_active: this.active }, proof);
    // Switching off the last available factor with a proof: read as the victim turning two-factor off (the lenient reading).
    if (response.status === 200 && !this.active && Object.keys(proof).length > 0) step.offIfNoneLeft = true;
  }
  toString(): string {
    return `victim switches a factor ${this.active ? 'on' : 'off'} (pick ${this.pick})`;
  }
}

export class VictimDeletes extends VictimStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.factors.size > 0;
  }
  protected async act(model: AttackerModel, world: World, step: StepContext): Promise<void> {
    const factor = pickFrom(factorsWhere(model), this.pick)!;
    const proof = await victimProof(world, model);
    // Removing the last factor with a proof turns two-factor off (issue 18, "No fallback").
    if ((await deleteFactor(world, 'victim', factor, proof)).status === 204 && Object.keys(proof).length > 0) step.offIfNoneLeft = true;
  }
  toString(): string {
    return `victim deletes a factor (pick ${this.pick})`;
  }
}

export class VictimMakesDefault extends VictimStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.factors.size > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(factorsWhere(model), this.pick)!;
    await updateFactor(world, 'victim', factor, { is_default: true }, await victimProof(world, model));
  }
  toString(): string {
    return `victim makes a factor the default (pick ${this.pick})`;
  }
}

export class VictimRevokesDevice extends VictimStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.devices.some((device) => device.live);
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const device = pickFrom(
      model.devices.filter((candidate) => candidate.live),
      this.pick,
    )!;
    const response = await world.send(`victim revokes ${device.label}`, world.http.delete(`${API}/device/own/${device.id}/destroy/`).set(world.victim));
    if (response.status === 204) device.live = false;
  }
  toString(): string {
    return `victim revokes a remembered device (pick ${this.pick})`;
  }
}

export class VictimRevokesAllDevices extends VictimStep {
  check(model: Readonly<AttackerModel>): boolean {
    return model.devices.some((device) => device.live);
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const response = await world.send('victim revokes every remembered device', world.http.post(`${API}/device/own/revoke-all/`).set(world.victim));
    if (response.status === 200) for (const device of model.devices) device.live = false;
  }
  toString(): string {
    return 'victim revokes all remembered devices';
  }
}

/** A step-up on the demo's sensitive action with a proof of the victim's own. */
export class VictimStepsUp extends VictimStep {
  check(model: Readonly<AttackerModel>): boolean {
    return victimProvers(model as AttackerModel).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    await world.send(
      'victim calls the sensitive action',
      world.http
        .post(STEP_UP)
        .set(world.victim)
        .set(await victimProof(world, model)),
    );
  }
  toString(): string {
    return 'victim steps up on the sensitive action';
  }
}
