import type { TwoFactorRequest } from '../two-factor-request.js';

/**
 * Which users must have a second factor (option `enrollment`). The guard of
 * `@RequireTwoFactorEnrollment()` asks `required` on every guarded request.
 * @example
 * enrollment: { required: (userId) => admins.has(userId) ? admins.promotedAt(userId) : null, gracePeriodSeconds: 7 * 86400 }
 */
export interface EnrollmentPolicy {
  /**
   * Since when `userId` must have a factor: the grace period runs from that
   * instant. Return null (or false) when the user need not have one.
   */
  required: (userId: string, request?: TwoFactorRequest) => Date | null | false | undefined | Promise<Date | null | false | undefined>;
  /** Seconds after the requirement began during which the user may still go on without a factor. @default 0 */
  gracePeriodSeconds?: number;
  /** Method keys that meet the requirement (and are listed in `details.methods`). @default every registered method */
  methods?: string[];
}

/** The policy with its defaults filled in; `required` answers null for everyone when no policy is set. */
export type ResolvedEnrollmentPolicy = Required<Omit<EnrollmentPolicy, 'methods'>> & { methods: string[] | null };

export const NO_ENROLLMENT_POLICY: ResolvedEnrollmentPolicy = { required: () => null, gracePeriodSeconds: 0, methods: null };
