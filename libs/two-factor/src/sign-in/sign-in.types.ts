import type { Challenge } from '../confirmer/backend.js';
import type { RememberedDeviceToken } from '../devices/device.service.js';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { RememberedDevice } from '../entities/remembered-device.entity.js';

/** One factor the user can finish signing in with: public facts only. */
export interface SignInFactor {
  /** The user config id, for `SignInService.requestConfirmation`. */
  id: number;
  method: string;
  /** The user's title for it, else the method config's. */
  title: string;
  /** Where a code goes, masked (`a***@example.com`, `+4479*****89`), or null for methods that send nothing. */
  destination: string | null;
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
  /** The remembered device that skipped the step, if one did. */
  device: RememberedDevice | null;
}

/** The user must confirm a factor: hand `token` to the client, and no session yet. */
export interface SignInPending {
  twoFactorRequired: true;
  userId: string;
  /** The pending sign-in's bearer secret: good for this user's second step only, once, until `expiresAt`. */
  token: string;
  expiresAt: Date;
  factors: SignInFactor[];
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
  /** The new remembered device and its token (give the token to the device, once), when asked for. */
  device: RememberedDeviceToken | null;
}

/** A confirmation requested through a pending sign-in. */
export interface SignInChallenge {
  confirmation: ConfirmationState;
  challenge: Challenge;
}
