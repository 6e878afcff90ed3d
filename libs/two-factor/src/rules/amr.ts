/**
 * Authentication Method Reference values (RFC 8176) and an authentication context class for a
 * host's session or JWT (docs/guide/step-up-policy.md, "What was used"). The values of a factor
 * come from its method's descriptor (`MethodDescriptor.amr`): the built-in methods say
 * totp, email and backup codes → `otp`; sms → `sms`; webauthn → `hwk` (+ `user` when the method
 * config requires user verification); dummy → `pwd`.
 */

/** What `amrClaims` reads: the `amr` and `phishing_resistant` of a spent proof (`PublicSpentProof`) or a sign-in result. */
export interface AmrSource {
  /** The factor's own RFC 8176 values, e.g. `['otp']`. */
  readonly amr: readonly string[];
  /** Whether the factor resists phishing (WebAuthn). */
  readonly phishing_resistant: boolean;
}

/** The claims for a host's session or token. */
export interface AmrClaims {
  /** RFC 8176 values, each once: the first factor's, the second factor's, then `mfa` when there was a first. */
  amr: string[];
  /**
   * `phr` (OpenID EAP ACR values 1.0: phishing-resistant) when the factor was, else `mfa` when there
   * was a first factor, else `sfa` (the factor alone). A host maps them to its own levels as it likes.
   */
  acr: 'phr' | 'mfa' | 'sfa';
}

/** Options of `amrClaims`. */
export interface AmrOptions {
  /**
   * How the user got the session the factor stepped up, as RFC 8176 values. The module's sign-in
   * starts from a password-verified user, so its default is `['pwd']`; pass `[]` when the factor
   * was the only one (then no `mfa`).
   */
  firstFactor?: readonly string[];
}

/**
 * The `amr` and `acr` claims of an authentication that ended with `source` (a step-up proof on
 * `request.twoFactorConfirmation`, or `SignInService.confirm`'s result).
 * @example
 * const { amr, acr } = amrClaims(request.twoFactorConfirmation); // { amr: ['pwd', 'otp', 'mfa'], acr: 'mfa' }
 */
export function amrClaims(source: AmrSource, options: AmrOptions = {}): AmrClaims {
  const first = options.firstFactor ?? ['pwd'];
  const amr = [...new Set([...first, ...source.amr, ...(first.length > 0 ? ['mfa'] : [])])];
  const acr = source.phishing_resistant ? 'phr' : first.length > 0 ? 'mfa' : 'sfa';
  return { amr, acr };
}
