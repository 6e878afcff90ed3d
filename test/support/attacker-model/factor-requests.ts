import type { Response } from 'supertest';
import { API } from '../demo-harness.js';
import { newCode, revokeDevices, victimProvers, type AttackerModel, type FactorRecord, type Keyer } from './model.js';
import type { Headers, World } from './world.js';

/** The user-config routes as the victim's session calls them (the attacker sends the same session). */

/** Enrols a dummy factor keyed with a new code of `keyer`'s; the model learns it when the app created it. */
export async function createFactor(world: World, model: AttackerModel, keyer: Keyer, methodConfigId: number, proof: Headers): Promise<FactorRecord | null> {
  const code = newCode(model, keyer);
  const response = await world.send(
    `${keyer} creates a factor of method config ${model.methodConfigs.get(methodConfigId)?.label}${proofNote(proof)}`,
    world.http.post(`${API}/user-config/own/create/`).set(world.victim).set(proof).send({ method_config_id: methodConfigId, config: { code } }),
  );
  if (response.status !== 201) return null;
  const factor: FactorRecord = {
    id: response.body.item.id,
    label: `F${++model.counters.factors}`,
    methodConfigId,
    keyedBy: keyer,
    code,
    lost: false,
    pendingConfirmation: response.body.confirmation_id ?? null,
  };
  model.factors.set(factor.id, factor);
  world.note(`    (${factor.label} is #${factor.id}, keyed by the ${keyer})`);
  return factor;
}

/**
 * Proves a factor's pending value with its code (`user-config/own/confirm`), with a step-up
 * proof beside it when the caller has one (issue 18 may ask for one to confirm a re-keyed factor).
 */
export function confirmFactor(world: World, who: Keyer, factor: FactorRecord, confirmationId: string, proof: Headers = {}): Promise<Response> {
  return world.send(
    `${who} confirms ${factor.label} with its code${proofNote(proof)}`,
    world.http
      .post(`${API}/user-config/own/confirm/`)
      .set(world.victim)
      .set(proof)
      .send({ id: factor.id, confirmation_id: confirmationId, data: { code: factor.code } }),
  );
}

/** Changes a factor (`user-config/own/:id/update`); a `config` re-keys it. */
export function updateFactor(world: World, who: Keyer, factor: FactorRecord, body: Record<string, unknown>, proof: Headers): Promise<Response> {
  const what = Object.keys(body).join(', ');
  return world.send(
    `${who} updates ${factor.label} (${what})${proofNote(proof)}`,
    world.http.put(`${API}/user-config/own/${factor.id}/update/`).set(world.victim).set(proof).send(body),
  );
}

/** Re-keys a factor with a new code of `who`'s; on success the model follows (and no device may survive it). */
export async function rekeyFactor(world: World, model: AttackerModel, who: Keyer, factor: FactorRecord, proof: Headers): Promise<Response> {
  const code = newCode(model, who);
  const response = await updateFactor(world, who, factor, { config: { code } }, proof);
  if (response.status === 200) {
    Object.assign(factor, { keyedBy: who, code, lost: false, pendingConfirmation: response.body.confirmation_id ?? null });
    // A config change is invisible in the admin listing: the model marks the change itself.
    revokeDevices(model);
  }
  return response;
}

export function deleteFactor(world: World, who: Keyer, factor: FactorRecord, proof: Headers): Promise<Response> {
  return world.send(
    `${who} deletes ${factor.label}${proofNote(proof)}`,
    world.http.delete(`${API}/user-config/own/${factor.id}/destroy/`).set(world.victim).set(proof),
  );
}

/** Requests a user-bound confirmation of `factor` with the victim's session and answers it with `code`; its id when confirmed. */
export async function confirmedConfirmation(world: World, who: Keyer, factor: FactorRecord, code: string): Promise<string | null> {
  const requested = await world.send(
    `${who} requests a confirmation of ${factor.label}`,
    world.http.post(`${API}/confirmation/request/`).set(world.victim).send({ user_config_id: factor.id }),
  );
  if (requested.status !== 201) return null;
  const confirmed = await world.send(
    `${who} answers it`,
    world.http.post(`${API}/confirmation/confirm/`).set(world.victim).send({ id: requested.body.id, data: { code } }),
  );
  return confirmed.status === 200 ? requested.body.id : null;
}

function proofNote(proof: Headers): string {
  return Object.keys(proof).length > 0 ? ' with a proof' : ' without a proof';
}

/**
 * A step-up proof of the victim's: a confirmed confirmation of one of their own
 * available factors, or no header when they have none (the app then decides).
 */
export async function victimProof(world: World, model: AttackerModel): Promise<Headers> {
  const factor = victimProvers(model)[0];
  if (!factor) return {};
  const id = await confirmedConfirmation(world, 'victim', factor, factor.code);
  return id ? { 'X-Two-Factor-Confirmation': id } : {};
}
