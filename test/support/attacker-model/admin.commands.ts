import { factorsWhere, MAX_METHOD_CONFIGS, pickFrom, type AttackerModel } from './model.js';
import { Step } from './step.js';
import { ADMIN, VICTIM, type World } from './world.js';

/** What the admin does for the victim (helpdesk) and to the site's method configs: no proof of the victim's is asked. */
abstract class AdminStep extends Step {
  readonly actor = 'admin' as const;
}

const userConfigPath = (id: number) => `${ADMIN}/user/${VICTIM.id}/user-config/${id}`;

/** Ends a lockout (aimed at a locked factor when there is one). */
export class AdminUnlocks extends AdminStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.factors.size > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const locked = factorsWhere(model, (_factor, seen) => seen?.status === 'locked');
    const factor = pickFrom(locked.length > 0 ? locked : factorsWhere(model), this.pick)!;
    await world.send(`admin unlocks ${factor.label}`, world.http.post(`${userConfigPath(factor.id)}/unlock/`).set(world.admin));
  }
  toString(): string {
    return `admin unlocks a factor (pick ${this.pick})`;
  }
}

/** Switches a factor off; `lost`: because the device was stolen, so from now on the attacker knows its code. */
export class AdminSwitchesOff extends AdminStep {
  constructor(
    readonly pick: number,
    readonly lost: boolean,
  ) {
    super();
  }
  private targets(model: Readonly<AttackerModel>) {
    return factorsWhere(model as AttackerModel, (_factor, seen) => seen?.is_active === true);
  }
  check(model: Readonly<AttackerModel>): boolean {
    return this.targets(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(this.targets(model), this.pick)!;
    const response = await world.send(
      `admin switches ${factor.label} off${this.lost ? ' (lost device: the thief knows its code)' : ''}`,
      world.http.post(`${userConfigPath(factor.id)}/deactivate/`).set(world.admin),
    );
    if (response.status === 200 && this.lost) factor.lost = true;
  }
  toString(): string {
    return `admin switches a factor off (pick ${this.pick}${this.lost ? ', lost device' : ''})`;
  }
}

export class AdminDeletes extends AdminStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.factors.size > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const factor = pickFrom(factorsWhere(model), this.pick)!;
    await world.send(`admin deletes ${factor.label}`, world.http.delete(`${userConfigPath(factor.id)}/destroy/`).set(world.admin));
  }
  toString(): string {
    return `admin deletes a factor (pick ${this.pick})`;
  }
}

/**
 * The admin's "remove two-factor for a user" (docs/guide/administration.md): afterwards the password alone signs in.
 * Until the route is served, the step only notes that (and the suite's own test of the
 * route fails); once it is, the step runs for real.
 */
export class AdminRemovesTwoFactor extends AdminStep {
  check(): boolean {
    return true;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    if (!world.removeRouteServed) return world.note('    (the route of contract §7 is not served: nothing happens)');
    const response = await world.send(
      'admin removes two-factor for the victim',
      world.http.post(`${ADMIN}/user/${VICTIM.id}/two-factor/remove`).set(world.admin).send({}),
    );
    if (response.status >= 200 && response.status < 300) model.twoFactorOn = false;
  }
  toString(): string {
    return 'admin removes two-factor for the victim';
  }
}

export class AdminCreatesMethodConfig extends AdminStep {
  check(model: Readonly<AttackerModel>): boolean {
    return model.methodConfigs.size < MAX_METHOD_CONFIGS;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    await createMethodConfig(world, model);
  }
  toString(): string {
    return 'admin creates a dummy method config';
  }
}

/** A dummy method config, active, made through the admin API; its id, or null. */
export async function createMethodConfig(world: World, model: AttackerModel): Promise<number | null> {
  const label = `M${++model.counters.methodConfigs}`;
  const response = await world.send(
    `admin creates method config ${label}`,
    world.http
      .post(`${ADMIN}/method-config/create/`)
      .set(world.admin)
      .send({ method: 'dummy', title: `Dummy ${label}`, is_active: true }),
  );
  if (response.status !== 201) return null;
  model.methodConfigs.set(response.body.id, { label, active: true });
  return response.body.id;
}

export class AdminSwitchesMethodConfig extends AdminStep {
  constructor(
    readonly pick: number,
    readonly active: boolean,
  ) {
    super();
  }
  private targets(model: Readonly<AttackerModel>): number[] {
    return [...model.methodConfigs.entries()].filter(([, config]) => config.active !== this.active).map(([id]) => id);
  }
  check(model: Readonly<AttackerModel>): boolean {
    return this.targets(model).length > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const id = pickFrom(this.targets(model), this.pick)!;
    const config = model.methodConfigs.get(id)!;
    const verb = this.active ? 'activate' : 'deactivate';
    const response = await world.send(
      `admin ${verb}s method config ${config.label}`,
      world.http.post(`${ADMIN}/method-config/${id}/${verb}/`).set(world.admin),
    );
    if (response.status === 200) config.active = this.active;
  }
  toString(): string {
    return `admin ${this.active ? 'activates' : 'deactivates'} a method config (pick ${this.pick})`;
  }
}

/** Deletes a method config with cascade: its user configs go with it. */
export class AdminDeletesMethodConfig extends AdminStep {
  constructor(readonly pick: number) {
    super();
  }
  check(model: Readonly<AttackerModel>): boolean {
    return model.methodConfigs.size > 0;
  }
  protected async act(model: AttackerModel, world: World): Promise<void> {
    const id = pickFrom([...model.methodConfigs.keys()], this.pick)!;
    const config = model.methodConfigs.get(id)!;
    const response = await world.send(
      `admin deletes method config ${config.label} with cascade`,
      world.http.delete(`${ADMIN}/method-config/${id}/destroy/?cascade=true`).set(world.admin),
    );
    if (response.status === 204) model.methodConfigs.delete(id);
  }
  toString(): string {
    return `admin deletes a method config with cascade (pick ${this.pick})`;
  }
}
