/** The request as the module sees it: whatever the host's HTTP adapter gives (Express or Fastify). */
export type TwoFactorRequest = Record<string, any>;

/**
 * Runtime options of `TwoFactorModule`, given to `forRoot` or returned by the
 * `forRootAsync` factory. Every field but `secret` has a default.
 */
export interface TwoFactorOptions {
  /**
   * Key material (at least 32 characters) for hashing codes and encrypting seeds.
   * Keep it out of the database and out of source control.
   */
  secret: string;
  /** Older secrets still accepted, so a key can be rotated without voiding stored seeds. @default [] */
  previousSecrets?: string[];
  /** Lifetime of a pending confirmation, in seconds. Codes that are *sent* never live longer than 600. @default 600 */
  confirmationTtlSeconds?: number;
  /** How long a confirmed confirmation stays usable as a proof before `use`, in seconds. @default 300 */
  proofTtlSeconds?: number;
  /** Wrong codes allowed per confirmation; the next attempt is refused even with the right code. @default 5 */
  maxAttempts?: number;
  /** How long active method configs are cached for `requestConfirmation`, in seconds (0: no cache). @default 5 */
  methodConfigCacheSeconds?: number;
  /** Reads the current user's id from the request. @default `(req) => req.user?.id` */
  getUserId?: (request: TwoFactorRequest) => string | number | null | undefined;
  /** Reads the client's address from the request. @default `(req) => req.ip` */
  getClientIp?: (request: TwoFactorRequest) => string | undefined;
}

/** Options with every default filled in; built once by `resolveTwoFactorOptions`. */
export type ResolvedTwoFactorOptions = Required<TwoFactorOptions>;

/** Sent codes may not outlive this (NIST SP 800-63B §5.1.3.2). */
export const MAX_SENT_CODE_TTL_SECONDS = 600;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`[TwoFactorModule] option \`${name}\` must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  return value === 0 ? 0 : positiveInteger(name, value);
}

/** Merges the defaults into `options` and checks each value. */
export function resolveTwoFactorOptions(options: TwoFactorOptions): ResolvedTwoFactorOptions {
  return {
    secret: options.secret,
    previousSecrets: options.previousSecrets ?? [],
    confirmationTtlSeconds: positiveInteger('confirmationTtlSeconds', options.confirmationTtlSeconds ?? 600),
    proofTtlSeconds: positiveInteger('proofTtlSeconds', options.proofTtlSeconds ?? 300),
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? 5),
    methodConfigCacheSeconds: nonNegativeInteger('methodConfigCacheSeconds', options.methodConfigCacheSeconds ?? 5),
    getUserId: options.getUserId ?? ((request) => request.user?.id),
    getClientIp: options.getClientIp ?? ((request) => request.ip),
  };
}
