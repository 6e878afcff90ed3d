import { API } from '../demo-harness.js';
import { confirmedConfirmation } from './factor-requests.js';
import { activeMethodConfigs, attackerKnows, factorsWhere, type AttackerModel } from './model.js';
import type { Headers, World } from './world.js';

/**
 * What the attacker does. They hold the victim's session and password, never a code of
 * the victim's; they know the codes they keyed themselves and those of a lost device.
 * The best proof they can offer: none, a method-level confirmation (the dummy method's
 * global code is public), or a confirmation of a factor whose code they know.
 */
export type AttackerProof = 'none' | 'method-level' | 'own-factor';
export const ATTACKER_PROOFS: AttackerProof[] = ['none', 'method-level', 'own-factor'];

/** The dummy method's global code (the demo's seed): what a method-level confirmation expects. */
const GLOBAL_DUMMY_CODE = 'dummy-method';

export async function attackerProof(world: World, model: AttackerModel, kind: AttackerProof): Promise<Headers> {
  let id: string | null = null;
  if (kind === 'method-level') {
    const methodConfigId = activeMethodConfigs(model)[0];
    if (methodConfigId === undefined) return {};
    const requested = await world.send(
      'attacker requests a method-level confirmation',
      world.http.post(`${API}/confirmation/request/`).set(world.victim).send({ method_config_id: methodConfigId }),
    );
    if (requested.status !== 201) return {};
    const confirmed = await world.send(
      'attacker answers it with the global code',
      world.http
        .post(`${API}/confirmation/confirm/`)
        .set(world.victim)
        .send({ id: requested.body.id, data: { code: GLOBAL_DUMMY_CODE } }),
    );
    if (confirmed.status === 200) id = requested.body.id;
  } else if (kind === 'own-factor') {
    const factor = factorsWhere(model, attackerKnows)[0];
    if (factor) id = await confirmedConfirmation(world, 'attacker', factor, factor.code);
  }
  return id ? { 'X-Two-Factor-Confirmation': id } : {};
}
