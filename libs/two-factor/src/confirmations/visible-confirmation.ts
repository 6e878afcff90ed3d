import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import { NotFoundError } from '../errors/request.errors.js';
import type { ConfirmationStore, JoinedConfirmation } from '../persistence/confirmation.store.js';
import type { CheckedConfirmation } from '../persistence/joined-confirmation.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can name a confirmation at all (a malformed one is answered like a missing one). */
export function isConfirmationId(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}

/**
 * The confirmation `id` as `userId` may see it: their own, or an anonymous one
 * (a bearer capability). Someone else's is "not found", exactly like a missing one.
 * @throws NotFoundError
 */
export async function readVisible(store: ConfirmationStore, id: string, userId: string | null): Promise<JoinedConfirmation> {
  return visible(isConfirmationId(id) ? await store.readJoined(id) : undefined, id, userId);
}

/** `readVisible` for `check`: the same rule, on the narrower read a check needs. @throws NotFoundError */
export async function readVisibleForCheck(store: ConfirmationStore, id: string, userId: string | null): Promise<CheckedConfirmation> {
  return visible(isConfirmationId(id) ? await store.readForCheck(id) : undefined, id, userId);
}

/**
 * The same rule for a confirmation already read with another row (a sign-in's second step reads its
 * pending sign-in and the confirmation attached to it in one statement): the row must be the one `id`
 * names, and `userId`'s own or anonymous. @throws NotFoundError
 */
export function visible<T extends { confirmation: Pick<ConfirmationState, 'id' | 'user_id'> }>(
  joined: T | null | undefined,
  id: string,
  userId: string | null,
): T {
  if (!joined || !isConfirmationId(id) || joined.confirmation.id !== id.toLowerCase()) throw new NotFoundError('Confirmation');
  if (joined.confirmation.user_id !== null && joined.confirmation.user_id !== userId) throw new NotFoundError('Confirmation');
  return joined;
}
