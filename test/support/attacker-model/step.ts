import type fc from 'fast-check';
import { afterStep, type Actor, type StepContext } from './invariants.js';
import { availableIds, type AttackerModel } from './model.js';
import type { World } from './world.js';

/**
 * One command of the model run: someone does one thing over HTTP, then the
 * invariants are checked. `toString` is what fast-check prints in a counterexample,
 * so it says who does what to which pick (picks resolve to factors at run time:
 * the trace in the error shows which one).
 */
export abstract class Step implements fc.AsyncCommand<AttackerModel, World> {
  abstract readonly actor: Actor;

  /** Whether the step makes sense in this state (fast-check skips it otherwise). */
  abstract check(model: Readonly<AttackerModel>): boolean;

  /** The HTTP calls; returns what the checks after it need to know. */
  protected abstract act(model: AttackerModel, world: World, step: StepContext): Promise<void>;

  abstract toString(): string;

  async run(model: AttackerModel, world: World): Promise<void> {
    world.note(`${this.toString()}`);
    const step: StepContext = {
      actor: this.actor,
      twoFactorOnBefore: model.twoFactorOn,
      availableBefore: new Set(availableIds(model)),
      offIfNoneLeft: false,
    };
    await this.act(model, world, step);
    await afterStep(model, world, step);
  }
}

/** Steps of the attacker run only while the victim has two-factor on: before that, the stolen session is simply the account. */
export abstract class AttackerStep extends Step {
  readonly actor = 'attacker' as const;

  check(model: Readonly<AttackerModel>): boolean {
    return model.twoFactorOn && this.possible(model);
  }

  protected possible(_model: Readonly<AttackerModel>): boolean {
    return true;
  }
}
