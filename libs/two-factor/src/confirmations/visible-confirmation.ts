import { NotFoundError } from '../errors/request.errors.js';
import type { ConfirmationStore, JoinedConfirmation } from '../persistence/confirmation.store.js';

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
  const joined = isConfirmationId(id) ? await store.readJoined(id) : undefined;
  if (!joined || (joined.confirmation.user_id !== null && joined.confirmation.user_id !== userId)) throw new NotFoundError('Confirmation');
  return joined;
}
