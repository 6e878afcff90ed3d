/** Lifecycle of a user config or a confirmation (contract §2). `locked` applies to confirmations only. */
export const Status = {
  New: 'new',
  InProcess: 'in_process',
  Confirmed: 'confirmed',
  Locked: 'locked',
} as const;
export type Status = (typeof Status)[keyof typeof Status];
