import type { Type } from '@nestjs/common';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { TwoFactorBackend } from './backend.js';

/** A JSON schema object, as shown to clients and admins. */
export type JsonSchema = Record<string, unknown>;

/**
 * Defines a method (a kind of second factor): its key, the backend that does the
 * work, and the DTO classes (class-validator) its configs are validated into.
 */
export interface MethodDescriptor<G extends object = object, U extends object = object> {
  /** Unique registry key, e.g. `totp`. Stored in `MethodConfig.method`. */
  readonly key: string;
  /** Human-readable name, e.g. "Authenticator app". */
  readonly verboseName: string;
  /** Backend class; resolved through Nest's injector, so it may inject the host app's providers. */
  readonly backend: Type<TwoFactorBackend<G, U>>;
  /** DTO of `MethodConfig.config` (site-wide, admin-only). */
  readonly globalConfigDto?: Type<G>;
  /** DTO of what a user submits as `config` when enrolling or changing a factor. */
  readonly userConfigDto?: Type<U>;
  /**
   * The global config a method config is seeded with (`seedMethodConfigs`), completed by the DTO's
   * defaults; null when the method needs values only the host knows (WebAuthn's relying party) and
   * is never seeded. @default {} (the DTO's defaults)
   */
  readonly defaultGlobalConfig?: Partial<G> | null;
  /**
   * What a proof of this method says about how the user authenticated, as RFC 8176 `amr` values
   * (e.g. `['otp']`); a function of the method config's global config when that decides (WebAuthn
   * adds `user` when user verification is required). The step-up guard and the sign-in result carry
   * them (`amrClaims`). @default [] (nothing more than `mfa` is claimed)
   */
  readonly amr?: readonly string[] | ((globalConfig: Record<string, unknown>) => readonly string[]);
  /**
   * Whether a proof of this method resists phishing (the authenticator checks the site's origin):
   * `@RequireTwoFactor({ phishingResistant: true })` accepts only such methods. @default false (WebAuthn: true)
   */
  readonly phishingResistant?: boolean;
  /** JSON schema of the global config; generated from `globalConfigDto` when not given. */
  readonly globalConfigSchema: JsonSchema;
  /** JSON schema of the user config (shown by `method-config/list/active/`); generated when not given. */
  readonly userConfigSchema: JsonSchema;
}

/** What `defineMethod` takes: a descriptor whose schemas may be left out. */
export type MethodDefinition<G extends object, U extends object> = Omit<MethodDescriptor<G, U>, 'globalConfigSchema' | 'userConfigSchema'> &
  Partial<Pick<MethodDescriptor<G, U>, 'globalConfigSchema' | 'userConfigSchema'>>;

const EMPTY_SCHEMA: JsonSchema = { type: 'object', properties: {} };

function schemaOf(dto: Type<object> | undefined): JsonSchema {
  return dto ? (targetConstructorToSchema(dto) as JsonSchema) : EMPTY_SCHEMA;
}

/**
 * Builds a method descriptor, generating the JSON schemas from the DTO classes.
 * @example
 * export const SMS_METHOD = defineMethod({ key: 'sms', verboseName: 'SMS', backend: SmsBackend, userConfigDto: SmsUserConfigDto });
 */
export function defineMethod<G extends object, U extends object>(definition: MethodDefinition<G, U>): MethodDescriptor<G, U> {
  return Object.freeze({
    ...definition,
    globalConfigSchema: definition.globalConfigSchema ?? schemaOf(definition.globalConfigDto),
    userConfigSchema: definition.userConfigSchema ?? schemaOf(definition.userConfigDto),
  });
}
