import { NO_ENROLLMENT_POLICY, type EnrollmentPolicy, type ResolvedEnrollmentPolicy } from './enrollment-policy.js';
import { acceptLanguage } from '../i18n/accept-language.js';
import type { TwoFactorTranslate } from '../i18n/translate.types.js';

import type { TwoFactorRequest } from '../two-factor-request.js';

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
  /** Consecutive wrong codes on one factor (across all its confirmations) from which a cooldown applies. @default 5 */
  cooldownAfterFailures?: number;
  /** First cooldown, in seconds; it doubles with each further failure. @default 30 */
  cooldownBaseSeconds?: number;
  /** Longest cooldown, in seconds. @default 3600 */
  cooldownMaxSeconds?: number;
  /** Consecutive wrong codes after which a user config is locked until the user enrols it again. @default 100 */
  maxConsecutiveFailures?: number;
  /** Anonymous confirmation requests allowed per client address per hour. @default 30 */
  anonymousRequestsPerIpPerHour?: number;
  /** Codes sent (email, SMS …) per user per hour, across all their factors. @default 10 */
  sendsPerUserPerHour?: number;
  /**
   * Adds the generated code to the `confirmation/request` response, for local development only.
   * Startup fails when it is on and NODE_ENV is `production`. @default false
   */
  debugCodeResponse?: boolean;
  /** Run `purgeExpired()` every this many seconds (0: never; call it from your own scheduler). @default 0 */
  purgeIntervalSeconds?: number;
  /** Rows deleted per statement by `purgeExpired()`, so no statement holds its locks long. @default 1000 */
  purgeBatchSize?: number;
  /** How long active method configs are cached for `requestConfirmation`, in seconds (0: no cache). @default 5 */
  methodConfigCacheSeconds?: number;
  /**
   * PostgreSQL: send the module's statements as named prepared statements, parsed and planned once per
   * connection (on SQLite, better-sqlite3 caches prepared statements itself). Turn off behind a pooler that
   * does not keep prepared statements across transactions (PgBouncer in transaction mode before 1.21, or
   * without `max_prepared_statements`). @default true
   */
  preparedStatements?: boolean;
  /** Reads the current user's id from the request. @default `(req) => req.user?.id` */
  getUserId?: (request: TwoFactorRequest) => string | number | null | undefined;
  /** Reads the client's address from the request. @default `(req) => req.ip` */
  getClientIp?: (request: TwoFactorRequest) => string | undefined;
  /** Lifetime of a pending sign-in (`SignInService.start`) waiting for its second factor, in seconds. @default 300 */
  signInTtlSeconds?: number;
  /** How long a remembered device skips the second step, in seconds (fixed when remembered). @default 2592000 (30 days) */
  rememberDeviceSeconds?: number;
  /** Users who must enrol a factor, for `@RequireTwoFactorEnrollment()`. @default nobody */
  enrollment?: EnrollmentPolicy;
  /**
   * Translates the module's texts (error messages, verbose names, sent codes, validation
   * messages): the text of a catalogue key (`TWO_FACTOR_MESSAGES`) in a language, or
   * undefined for the English default. `i18nTranslator(i18nService)` adapts nestjs-i18n.
   * @default none (English)
   */
  translate?: TwoFactorTranslate;
  /** The language of a request. @default the language `Accept-Language` prefers most */
  language?: (request: TwoFactorRequest) => string | undefined;
  /**
   * At startup, create an active method config with the method's default global config
   * (`MethodDescriptor.defaultGlobalConfig`) for each registered method that has no method
   * config at all, so users can enrol at once. Never changes or re-activates an existing one;
   * safe with several instances starting together. @default true unless NODE_ENV is `production`
   */
  seedMethodConfigs?: boolean;
  /**
   * Self-service recovery for a user who lost every factor (issue 22; docs/guide/recovery.md): started at the
   * second step of sign-in, it notifies every email and SMS factor (and the host's `RecoveryNotifier`)
   * with a cancel code, and opens enrolment of a new factor inside a later pending sign-in only after
   * `waitSeconds`. @default off
   */
  recovery?: RecoveryOptions;
  /** Temporary access codes an admin issues (`POST admin/user/:userId/access-code`). */
  accessCodes?: AccessCodeOptions;
}

/** The `recovery` option. */
export interface RecoveryOptions {
  /** Turn self-service recovery on. @default false */
  enabled: boolean;
  /** The waiting period: how long the owner has to cancel before a new factor can be enrolled. @default 259200 (72 hours) */
  waitSeconds?: number;
  /** How long enrolment stays open once the wait is over; then the recovery expires. @default 604800 (7 days) */
  openSeconds?: number;
  /** Recoveries a user may start per 24 hours (cancelled ones count). @default 3 */
  startsPerUserPerDay?: number;
  /** Recoveries started per client address per hour, across users. @default 10 */
  startsPerIpPerHour?: number;
}

/** The `accessCodes` option. */
export interface AccessCodeOptions {
  /** The lifetime of a code when the admin names none, in seconds. @default 3600 */
  defaultLifetimeSeconds?: number;
  /** The longest lifetime an admin may give, in seconds. @default 86400 (24 hours) */
  maxLifetimeSeconds?: number;
  /** Access codes a user may try per hour, right or wrong (every pending sign-in of theirs together). @default 10 */
  attemptsPerUserPerHour?: number;
}

/** The `recovery` option with every default filled in. */
export type ResolvedRecoveryOptions = Required<RecoveryOptions>;

/** Options with every default filled in; built once by `resolveTwoFactorOptions`. */
export type ResolvedTwoFactorOptions = Required<Omit<TwoFactorOptions, 'enrollment' | 'recovery' | 'accessCodes'>> & {
  enrollment: ResolvedEnrollmentPolicy;
  recovery: ResolvedRecoveryOptions;
  accessCodes: Required<AccessCodeOptions>;
};

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

function debugCodeResponse(on: boolean): boolean {
  if (on && process.env.NODE_ENV === 'production') {
    throw new Error('[TwoFactorModule] `debugCodeResponse` shows codes in responses and is refused when NODE_ENV=production.');
  }
  return on;
}

/** The default of every numeric and boolean option, as documented on `TwoFactorOptions`. */
export const TWO_FACTOR_DEFAULTS = Object.freeze({
  confirmationTtlSeconds: 600,
  proofTtlSeconds: 300,
  maxAttempts: 5,
  cooldownAfterFailures: 5,
  cooldownBaseSeconds: 30,
  cooldownMaxSeconds: 3600,
  maxConsecutiveFailures: 100,
  anonymousRequestsPerIpPerHour: 30,
  sendsPerUserPerHour: 10,
  debugCodeResponse: false,
  purgeIntervalSeconds: 0,
  purgeBatchSize: 1000,
  methodConfigCacheSeconds: 5,
  preparedStatements: true,
});

/** Merges the defaults into `options` and checks each value. */
export function resolveTwoFactorOptions(options: TwoFactorOptions): ResolvedTwoFactorOptions {
  const d = TWO_FACTOR_DEFAULTS;
  return {
    secret: options.secret,
    previousSecrets: options.previousSecrets ?? [],
    confirmationTtlSeconds: positiveInteger('confirmationTtlSeconds', options.confirmationTtlSeconds ?? d.confirmationTtlSeconds),
    proofTtlSeconds: positiveInteger('proofTtlSeconds', options.proofTtlSeconds ?? d.proofTtlSeconds),
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? d.maxAttempts),
    cooldownAfterFailures: positiveInteger('cooldownAfterFailures', options.cooldownAfterFailures ?? d.cooldownAfterFailures),
    cooldownBaseSeconds: positiveInteger('cooldownBaseSeconds', options.cooldownBaseSeconds ?? d.cooldownBaseSeconds),
    cooldownMaxSeconds: positiveInteger('cooldownMaxSeconds', options.cooldownMaxSeconds ?? d.cooldownMaxSeconds),
    maxConsecutiveFailures: positiveInteger('maxConsecutiveFailures', options.maxConsecutiveFailures ?? d.maxConsecutiveFailures),
    anonymousRequestsPerIpPerHour: positiveInteger('anonymousRequestsPerIpPerHour', options.anonymousRequestsPerIpPerHour ?? d.anonymousRequestsPerIpPerHour),
    sendsPerUserPerHour: positiveInteger('sendsPerUserPerHour', options.sendsPerUserPerHour ?? d.sendsPerUserPerHour),
    debugCodeResponse: debugCodeResponse(options.debugCodeResponse ?? d.debugCodeResponse),
    purgeIntervalSeconds: nonNegativeInteger('purgeIntervalSeconds', options.purgeIntervalSeconds ?? d.purgeIntervalSeconds),
    purgeBatchSize: positiveInteger('purgeBatchSize', options.purgeBatchSize ?? d.purgeBatchSize),
    methodConfigCacheSeconds: nonNegativeInteger('methodConfigCacheSeconds', options.methodConfigCacheSeconds ?? d.methodConfigCacheSeconds),
    preparedStatements: options.preparedStatements ?? d.preparedStatements,
    getUserId: options.getUserId ?? ((request) => request.user?.id),
    getClientIp: options.getClientIp ?? ((request) => request.ip),
    translate: options.translate ?? (() => undefined),
    language: options.language ?? acceptLanguage,
    signInTtlSeconds: positiveInteger('signInTtlSeconds', options.signInTtlSeconds ?? 300),
    rememberDeviceSeconds: positiveInteger('rememberDeviceSeconds', options.rememberDeviceSeconds ?? 30 * 86400),
    seedMethodConfigs: options.seedMethodConfigs ?? process.env.NODE_ENV !== 'production',
    enrollment: options.enrollment
      ? {
          required: options.enrollment.required,
          gracePeriodSeconds: nonNegativeInteger('enrollment.gracePeriodSeconds', options.enrollment.gracePeriodSeconds ?? 0),
          methods: options.enrollment.methods ?? null,
        }
      : NO_ENROLLMENT_POLICY,
    recovery: {
      enabled: options.recovery?.enabled === true,
      waitSeconds: nonNegativeInteger('recovery.waitSeconds', options.recovery?.waitSeconds ?? 72 * 3600),
      openSeconds: positiveInteger('recovery.openSeconds', options.recovery?.openSeconds ?? 7 * 86400),
      startsPerUserPerDay: positiveInteger('recovery.startsPerUserPerDay', options.recovery?.startsPerUserPerDay ?? 3),
      startsPerIpPerHour: positiveInteger('recovery.startsPerIpPerHour', options.recovery?.startsPerIpPerHour ?? 10),
    },
    accessCodes: accessCodeOptions(options.accessCodes ?? {}),
  };
}

function accessCodeOptions(options: AccessCodeOptions): Required<AccessCodeOptions> {
  const maxLifetimeSeconds = positiveInteger('accessCodes.maxLifetimeSeconds', options.maxLifetimeSeconds ?? 86400);
  const defaultLifetimeSeconds = positiveInteger('accessCodes.defaultLifetimeSeconds', options.defaultLifetimeSeconds ?? Math.min(3600, maxLifetimeSeconds));
  if (defaultLifetimeSeconds > maxLifetimeSeconds) {
    throw new Error('[TwoFactorModule] option `accessCodes.defaultLifetimeSeconds` must not exceed `accessCodes.maxLifetimeSeconds`.');
  }
  return {
    defaultLifetimeSeconds,
    maxLifetimeSeconds,
    attemptsPerUserPerHour: positiveInteger('accessCodes.attemptsPerUserPerHour', options.attemptsPerUserPerHour ?? 10),
  };
}
