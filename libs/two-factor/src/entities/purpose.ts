/**
 * What a confirmation was requested for (issue 18, "Purpose"), fixed when it is
 * issued and stored with it. It can be confirmed and spent only on its own path:
 * - `enrollment`: proving a new or re-keyed factor (`user-config/own/create`,
 *   `update`, or `confirmation/request` for a factor not yet confirmed); confirmed
 *   only by `user-config/own/confirm`, which spends it.
 * - `sign_in`: the second step of a sign-in (`SignInService`); confirmed only by
 *   `SignInService.confirm`, which spends it.
 * - `step_up`: everything else (`confirmation/request`, `ConfirmerService` by
 *   default); confirmed by `confirmation/confirm`, and the only kind that is a
 *   proof for `use` (`@RequireTwoFactor()`, proofs for factor changes).
 */
export const ConfirmationPurpose = {
  Enrollment: 'enrollment',
  SignIn: 'sign_in',
  StepUp: 'step_up',
} as const;
export type ConfirmationPurpose = (typeof ConfirmationPurpose)[keyof typeof ConfirmationPurpose];

export const CONFIRMATION_PURPOSES: readonly ConfirmationPurpose[] = Object.values(ConfirmationPurpose);
