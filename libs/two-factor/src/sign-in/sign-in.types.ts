import type { PublicConfirmation, PublicDevice } from '../public-api/public-views.js';

/** One factor the user can finish signing in with: public facts only. */
export interface SignInFactor {
  /** The user config id, for `SignInService.requestConfirmation`. */
  id: number;
  method: string;
  /** The user's title for it, else the method config's. */
  title: string;
  /** The name the user gave the factor (its own `title`), or null when they gave none. */
  nickname: string | null;
  /** Where a code goes, masked (`a***@example.com`, `+4479*****89`), or null for methods that send nothing. */
  destination: string | null;
  /** When the user enrolled it (ISO 8601; the REST API's name and form, as every factor list has it). */
  created_at: string;
  /** When it last gave a right answer (a sign-in, a step-up, its enrolment's proof), ISO 8601; null when never. */
  last_used_at: string | null;
}

/** Input of `SignInService.start`. */
export interface StartSignInInput {
  /** The token of a device the user chose to remember (cookie or header): skips the second step when valid. */
  deviceToken?: unknown;
  clientIp?: string;
}

/** The password was right and the user has no factor, or a remembered device vouches: issue the session. */
export interface SignInComplete {
  twoFactorRequired: false;
  userId: string;
  /** The remembered device that skipped the step, if one did (never its token or the token's hash). */
  device: PublicDevice | null;
}

/** The user must confirm a factor: hand `token` to the client, and no session yet. */
export interface SignInPending {
  twoFactorRequired: true;
  userId: string;
  /** The pending sign-in's bearer secret: good for this user's second step only, once, until `expiresAt`. */
  token: string;
  expiresAt: Date;
  /** Empty only when no factor is available but a recovery whose wait is over, or an unused access code, may open enrolment. */
  factors: SignInFactor[];
  /** The user's running recovery (issue 22), or null: when it opens enrolment, and whether it has. */
  recovery: { id: string; notBefore: Date; enrollmentOpen: boolean } | null;
}

export type SignInStart = SignInComplete | SignInPending;

/** Input of `SignInService.confirm`. */
export interface ConfirmSignInInput {
  /** What the user typed, e.g. `{ code: '123456' }`. */
  data: Record<string, unknown>;
  /** Opt in to "remember this device". @default false */
  rememberDevice?: boolean;
  /** Shown in the user's device list; the user agent, say. */
  deviceLabel?: string;
  clientIp?: string;
}

/** A completed second step: the host issues the session now. */
export interface SignInConfirmed {
  userId: string;
  /** The new remembered device and its token (give the token to the device, once: e.g. an HttpOnly cookie), when asked for. */
  device: { device: PublicDevice; token: string } | null;
  /** Only when a backup code signed the user in: how many codes of the set are left (warn the user when few are). */
  remaining?: number;
}

/**
 * A confirmation requested through a pending sign-in: its public view with the challenge's
 * public part (masked destination, WebAuthn options). Safe to return to the client as it is:
 * never the code, its hash, the unmasked address or a debug code.
 */
export type SignInChallenge = PublicConfirmation;

/** A recovery just started (`SignInService.startRecovery`): enrolment opens at `notBefore`, unless the owner cancels. */
export interface RecoveryStarted {
  recoveryId: string;
  notBefore: Date;
}

/** How the enrolment of a pending sign-in was opened (issue 22). */
export type EnrollmentOpening = 'recovery' | 'access_code';

/** A pending sign-in's enrolment, opened (`SignInService.useAccessCode`). */
export interface SignInEnrollmentOpen {
  openedBy: EnrollmentOpening;
  /** The pending sign-in's new end: enrol and confirm before it. */
  expiresAt: Date;
}

/** Input of `SignInService.enrol`: as `user-config/own/create/`. */
export interface EnrolInSignInInput {
  methodConfigId: number;
  config: unknown;
  title?: string;
  clientIp?: string;
  language?: string;
}

/** Input of `SignInService.confirmEnrollment`: the new factor, its enrolment confirmation and the code. */
export interface ConfirmEnrollmentInput extends ConfirmSignInInput {
  /** The user config `enrol` answered. */
  userConfigId: number;
  /** The enrolment confirmation `enrol` answered. */
  confirmationId: string;
}
