import { API } from '../demo-harness.js';
import { assertNoPasswordOnlySession } from './invariants.js';
import { pickFrom, victimProvers, type AttackerModel } from './model.js';
import { answerSignIn, deviceTokenOf, listedFactors, passwordStep, requestSignInCode } from './sign-in-requests.js';
import { Violation } from './violation.js';
import { VictimStep } from './victim.commands.js';
import { STEP_UP, type World } from './world.js';

/** The victim's sign-ins: password and code, from a remembered device, and a sign-in code misused as a step-up proof. */

/** The whole sign-in: password, then a code of one of the victim's own listed factors. */
export class VictimSignsIn extends VictimStep {
  constructor(readonly remember: boolean) {
    super();
  }
  check(): boolean {
    return true;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const started = await passwordStep(world, 'victim');
    assertNoPasswordOnlySession(world, model, started, 'victim');
    const listed = listedFactors(started);
    const factor = victimProvers(model).find((candidate) => listed.includes(candidate.id));
    if (!factor) return world.note('    (no listed factor the victim can answer)');
    if (!(await requestSignInCode(world, 'victim', started.body.sign_in_token, factor))) return;
    const done = await answerSignIn(world, 'victim', started.body.sign_in_token, factor.code, this.remember);
    const token = done.status === 200 ? deviceTokenOf(done) : undefined;
    if (!token) return;
    const known = new Set(model.devices.map((device) => device.id));
    const ids = (await world.observeDevices()).filter((id) => !known.has(id));
    if (ids.length !== 1) throw new Violation('model lost track', `remembering one device added ${ids.length} to the list`);
    const label = `D${++model.counters.devices}`;
    model.devices.push({ id: ids[0], token, label, live: true });
    world.note(`    (remembered ${label})`);
  }
  toString(): string {
    return `victim signs in with password and code${this.remember ? ', remembering the device' : ''}`;
  }
}

/** Signs in from a remembered device (live or revoked): only a live one may skip the second step. */
export class VictimSignsInFromDevice extends VictimStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.devices.length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const device = pickFrom(model.devices, this.pick)!;
    world.note(`    (device ${device.label}, ${device.live ? 'live' : 'revoked'} in the model)`);
    const response = await passwordStep(world, 'victim', device.token);
    const skipped = response.status === 200 && typeof response.body.access_token === 'string';
    if (skipped && !device.live && model.twoFactorOn)
      world.fail(new Violation('revocation', `device ${device.label} skipped the second step after a change to a factor`));
    // A device the app no longer trusts is gone for the model too (revoking more than asked is allowed).
    if (!skipped && model.twoFactorOn) device.live = false;
  }
  toString(): string {
    return `victim signs in from a remembered device (pick ${this.pick})`;
  }
}

/**
 * Purpose: a confirmation requested for a sign-in, answered through `confirmation/confirm`
 * with the session, must not pass as a step-up proof (docs/operations/security-model.md, "Purpose": that confirm is a 404).
 */
export class VictimSpendsSignInCodeOnStepUp extends VictimStep {
  check(model: Readonly<AttackerModel>): boolean {
    return victimProvers(model as AttackerModel).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const started = await passwordStep(world, 'victim');
    assertNoPasswordOnlySession(world, model, started, 'victim');
    const listed = listedFactors(started);
    const factor = victimProvers(model).find((candidate) => listed.includes(candidate.id));
    if (!factor) return world.note('    (no listed factor the victim can answer)');
    const id = await requestSignInCode(world, 'victim', started.body.sign_in_token, factor);
    if (!id) return;
    await world.send(
      'victim answers the sign-in code through confirmation/confirm',
      world.http
        .post(`${API}/confirmation/confirm/`)
        .set(world.victim)
        .send({ id, data: { code: factor.code } }),
    );
    const stepUp = await world.send('victim offers it as a step-up proof', world.http.post(STEP_UP).set(world.victim).set('X-Two-Factor-Confirmation', id));
    if (stepUp.status === 200) world.fail(new Violation('purpose', `a confirmation requested for sign-in (of ${factor.label}) passed as a step-up proof`));
  }
  toString(): string {
    return "victim's sign-in code offered as a step-up proof";
  }
}
