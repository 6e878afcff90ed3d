/**
 * Lifecycle of a user config or a confirmation (docs/guide/concepts.md). `locked` applies to both:
 * a confirmation after too many wrong codes, a user config after `maxConsecutiveFailures`
 * consecutive failures (until the user enrols it again).
 */
export const Status = {
  New: 'new',
  InProcess: 'in_process',
  Confirmed: 'confirmed',
  Locked: 'locked',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** Every status a user config can have, as the API returns it. */
export const USER_CONFIG_STATUSES: readonly Status[] = [Status.New, Status.InProcess, Status.Confirmed, Status.Locked];
/** Every status a confirmation can have, as the API returns it. */
export const CONFIRMATION_STATUSES: readonly Status[] = [Status.InProcess, Status.Confirmed, Status.Locked];
