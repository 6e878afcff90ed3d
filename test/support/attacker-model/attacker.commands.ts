import { API } from '../demo-harness.js';
import { attackerProof, type AttackerProof } from './attacker-proof.js';
import { confirmFactor, createFactor, deleteFactor, rekeyFactor, updateFactor } from './factor-requests.js';
import { assertNoPasswordOnlySession } from './invariants.js';
import { activeMethodConfigs, attackerKnows, factorsWhere, MAX_FACTORS, pickFrom, type AttackerModel } from './model.js';
import { answerSignIn, listedFactors, passwordStep, requestSignInCode } from './sign-in-requests.js';
import { AttackerStep } from './step.js';
import { Violation } from './violation.js';
import { LOGIN, STEP_UP, type World } from './world.js';

/** What the attacker does: see attacker-proof.ts for what they know and the proofs they can make. */

export class AttackerEnrols extends AttackerStep {
  constructor(
    readonly pick: number,
    readonly proof: AttackerProof,
  ) {
    super();
  }
  protected possible(model: Readonly<AttackerModel>): boolean {
    return model.factors.size < MAX_FACTORS && activeMethodConfigs(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    await createFactor(world, model, 'attacker', pickFrom(activeMethodConfigs(model), this.pick)!, await attackerProof(world, model, this.proof));
  }
  toString(): string {
    return `attacker enrols a factor of their own (method config pick ${this.pick}, proof: ${this.proof})`;
  }
}

/** Re-keys any factor (pending, locked, switched off or confirmed) to a code of the attacker's. */
export class AttackerRekeys extends AttackerStep {
  constructor(
    readonly pick: number,
    readonly proof: AttackerProof,
  ) {
    super();
  }
  protected possible(model: Readonly<AttackerModel>): boolean {
    return model.factors.size > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(factorsWhere(model), this.pick)!;
    await rekeyFactor(world, model, 'attacker', factor, await attackerProof(world, model, this.proof));
  }
  toString(): string {
    return `attacker re-keys a factor to their own code (pick ${this.pick}, proof: ${this.proof})`;
  }
}

/** Proves a factor the attacker keyed: with the confirmation their change issued, or a freshly requested one. */
export class AttackerConfirms extends AttackerStep {
  constructor(
    readonly pick: number,
    readonly fresh: boolean,
    readonly proof: AttackerProof,
  ) {
    super();
  }
  private targets(model: Readonly<AttackerModel>) {
    return factorsWhere(model as AttackerModel, (factor) => factor.keyedBy === 'attacker');
  }
  protected possible(model: Readonly<AttackerModel>): boolean {
    return this.targets(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(this.targets(model), this.pick)!;
    let confirmationId = this.fresh ? null : factor.pendingConfirmation;
    if (confirmationId === null) {
      const requested = await world.send(
        `attacker requests a confirmation of ${factor.label}`,
        world.http.post(`${API}/confirmation/request/`).set(world.victim).send({ user_config_id: factor.id }),
      );
      if (requested.status !== 201) return;
      confirmationId = requested.body.id as string;
    }
    await confirmFactor(world, 'attacker', factor, confirmationId, await attackerProof(world, model, this.proof));
  }
  toString(): string {
    return `attacker confirms a factor they keyed (pick ${this.pick}, ${this.fresh ? 'fresh confirmation' : 'the one their change issued'}, proof: ${this.proof})`;
  }
}

/** Switches a factor off or back on: a lost device switched back on is the thief's way in. */
export class AttackerSwitches extends AttackerStep {
  constructor(
    readonly pick: number,
    readonly active: boolean,
    readonly proof: AttackerProof,
  ) {
    super();
  }
  private targets(model: Readonly<AttackerModel>) {
    return factorsWhere(model as AttackerModel, (_factor, seen) => seen !== undefined && seen.is_active !== this.active);
  }
  protected possible(model: Readonly<AttackerModel>): boolean {
    return this.targets(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(this.targets(model), this.pick)!;
    await updateFactor(world, 'attacker', factor, { is_active: this.active }, await attackerProof(world, model, this.proof));
  }
  toString(): string {
    return `attacker switches a factor ${this.active ? 'on' : 'off'} (pick ${this.pick}, proof: ${this.proof})`;
  }
}

export class AttackerDeletes extends AttackerStep {
  constructor(
    readonly pick: number,
    readonly proof: AttackerProof,
  ) {
    super();
  }
  protected possible(model: Readonly<AttackerModel>): boolean {
    return model.factors.size > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(factorsWhere(model), this.pick)!;
    await deleteFactor(world, 'attacker', factor, await attackerProof(world, model, this.proof));
  }
  toString(): string {
    return `attacker deletes a factor (pick ${this.pick}, proof: ${this.proof})`;
  }
}

export class AttackerMakesDefault extends AttackerStep {
  constructor(
    readonly pick: number,
    readonly proof: AttackerProof,
  ) {
    super();
  }
  protected possible(model: Readonly<AttackerModel>): boolean {
    return model.factors.size > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(factorsWhere(model), this.pick)!;
    await updateFactor(world, 'attacker', factor, { is_default: true }, await attackerProof(world, model, this.proof));
  }
  toString(): string {
    return `attacker makes a factor the default (pick ${this.pick}, proof: ${this.proof})`;
  }
}

/**
 * Wrong codes against a factor, through a confirmation of the session or through a
 * pending sign-in: `maxConsecutiveFailures` in a row lock it (the suite lowers that option).
 */
export class AttackerGuesses extends AttackerStep {
  constructor(
    readonly pick: number,
    readonly count: number,
    readonly viaSignIn: boolean,
  ) {
    super();
  }
  private targets(model: Readonly<AttackerModel>) {
    return factorsWhere(model as AttackerModel, (_factor, seen) => seen !== undefined && seen.status !== 'locked');
  }
  protected possible(model: Readonly<AttackerModel>): boolean {
    return this.targets(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(this.targets(model), this.pick)!;
    let answer: (code: string) => Promise<unknown>;
    if (this.viaSignIn) {
      const started = await passwordStep(world, 'attacker');
      assertNoPasswordOnlySession(world, model, started, 'attacker');
      if (!listedFactors(started).includes(factor.id)) return world.note(`    (${factor.label} is not listed in a pending sign-in)`);
      if (!(await requestSignInCode(world, 'attacker', started.body.sign_in_token, factor))) return;
      answer = (code) => answerSignIn(world, 'attacker', started.body.sign_in_token, code);
    } else {
      const requested = await world.send(
        `attacker requests a confirmation of ${factor.label}`,
        world.http.post(`${API}/confirmation/request/`).set(world.victim).send({ user_config_id: factor.id }),
      );
      if (requested.status !== 201) return;
      answer = (code) =>
        world.send(
          'attacker answers it wrongly',
          world.http.post(`${API}/confirmation/confirm/`).set(world.victim).send({ id: requested.body.id, data: { code } }),
        );
    }
    for (let i = 0; i < this.count; i++) await answer(`wrong-guess-${i}`);
  }
  toString(): string {
    return `attacker sends ${this.count} wrong code(s) against a factor (pick ${this.pick}, ${this.viaSignIn ? 'through a pending sign-in' : 'through a confirmation'})`;
  }
}

/** The password, then any listed factor whose code the attacker knows: never a session while the victim has two-factor on. */
export class AttackerSignsIn extends AttackerStep {
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const started = await passwordStep(world, 'attacker');
    assertNoPasswordOnlySession(world, model, started, 'attacker');
    for (const id of listedFactors(started)) {
      const factor = model.factors.get(id);
      if (!factor || !attackerKnows(factor)) continue;
      if (!(await requestSignInCode(world, 'attacker', started.body.sign_in_token, factor))) continue;
      const done = await answerSignIn(world, 'attacker', started.body.sign_in_token, factor.code);
      if (done.status === 200) world.fail(new Violation('no fallback', `the attacker got a session with ${factor.label}, a factor that answers to them`));
    }
  }
  toString(): string {
    return 'attacker signs in with the stolen password';
  }
}

/**
 * Issue 22: with the password, the attacker starts a recovery and at once tries to enrol a factor of theirs
 * inside the pending sign-in, and to prove it. The wait (72 hours) never passes in a sequence, so nothing may
 * open: an enrolment or a session here is a fallback to the password alone.
 */
export class AttackerTriesRecovery extends AttackerStep {
  constructor(readonly pick: number) {
    super();
  }
  protected possible(model: Readonly<AttackerModel>): boolean {
    return activeMethodConfigs(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const started = await passwordStep(world, 'attacker');
    assertNoPasswordOnlySession(world, model, started, 'attacker');
    const token = started.body?.sign_in_token;
    if (typeof token !== 'string') return;
    await world.send('attacker starts a recovery', world.http.post(`${LOGIN}/recovery/start`).send({ sign_in_token: token }));
    const methodConfigId = pickFrom(activeMethodConfigs(model), this.pick)!;
    const enrolled = await world.send(
      'attacker enrols a factor inside the pending sign-in',
      world.http.post(`${LOGIN}/enrollment`).send({ sign_in_token: token, method_config_id: methodConfigId, config: { code: 'attacker-recovery' } }),
    );
    if (enrolled.status !== 201) return;
    world.fail(new Violation('no fallback', 'the attacker enrolled a factor inside a pending sign-in no recovery or access code opened'));
    const done = await world.send(
      'attacker proves it',
      world.http.post(`${LOGIN}/enrollment/confirm`).send({
        sign_in_token: token,
        id: enrolled.body.item.id,
        confirmation_id: enrolled.body.confirmation_id,
        data: { code: 'attacker-recovery' },
      }),
    );
    if (done.status === 200) world.fail(new Violation('no fallback', 'the attacker got a session through a recovery that never waited'));
  }
  toString(): string {
    return `attacker starts a recovery and tries to enrol at once (method config pick ${this.pick})`;
  }
}

/** The sensitive action with the best proof the attacker has: it must never pass. */
export class AttackerStepsUp extends AttackerStep {
  constructor(readonly proof: AttackerProof) {
    super();
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const response = await world.send(
      'attacker calls the sensitive action',
      world.http
        .post(STEP_UP)
        .set(world.victim)
        .set(await attackerProof(world, model, this.proof)),
    );
    if (response.status === 200) world.fail(new Violation('step-up', `the attacker passed a step-up (proof: ${this.proof})`));
  }
  toString(): string {
    return `attacker steps up on the sensitive action (proof: ${this.proof})`;
  }
}
