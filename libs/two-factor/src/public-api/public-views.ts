/**
 * What the module's exported services hand to host code: only what may be shown
 * to the user — never a code, a code's hash, a seed, an unmasked destination, a
 * token's hash or a backend's private state. The shapes are the REST API's (snake_case,
 * ISO dates), so a host route may return them as they are. Each is built field by field
 * in one place (`PublicViewMapper`), so a new column cannot leak by accident.
 */

/** A method config as clients see it (docs/reference/rest-api.md, row 1): never its global config. */
export interface PublicMethodConfigRef {
  id: number;
  /** The admin's title, or the method's verbose name when blank. */
  title: string;
  method: string;
  verbose_name: string;
  is_default: boolean;
}

/** An offered method config, with the JSON schema of the user config it takes. */
export interface PublicMethodConfig extends PublicMethodConfigRef {
  config_schema: Record<string, unknown>;
}

/** One of a user's factors (`UserConfigItem`): `config` is the method's public view (a masked address, never a seed or hash). */
export interface PublicUserConfig {
  id: number;
  title: string;
  /** The name the user gave the factor (the same value as `title`, which stays for compatibility), or null when blank. */
  nickname: string | null;
  status: string;
  method_config_id: number;
  method_config: PublicMethodConfigRef;
  config: Record<string, unknown>;
  is_active: boolean;
  is_default: boolean;
  is_available: boolean;
  created_at: string;
  updated_at: string;
  /** Its last right answer (a sign-in, a step-up, its enrolment's proof), or null when never; a wrong code leaves it. */
  last_used_at: string | null;
}

/** An enrolment or a change of a factor (`user-config/own/create/`, `…/update/`). */
export interface PublicUserConfigChange {
  item: PublicUserConfig;
  /** The confirmation to prove the new value with, or null when none is needed. */
  confirmation_id: string | null;
  /** One-time data to show the user now and never again (QR code and `otpauth_uri`, backup codes): the one place a secret is shown, once. */
  enrollment: Record<string, unknown> | null;
}

/** A confirmation as clients see it: never its private `state` (expected code, hashes, destinations). */
export interface PublicConfirmation {
  id: string;
  status: string;
  is_available: boolean;
  expires_at: string;
  attempts_left: number;
  /**
   * Only from a request: the public data the client needs to answer (WebAuthn request
   * options, a masked destination), or null. Never the answer; never the debug code (that is
   * shown only by the module's own `confirmation/request/` route, with `debugCodeResponse`).
   */
  challenge?: Record<string, unknown> | null;
  /** Only in the answer of a confirm with a backup code: how many codes of the set are left. */
  remaining?: number;
}

/** A remembered device as its user sees it: never its token's hash. */
export interface PublicDevice {
  id: string;
  label: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
}

/** A user's factor as an admin sees it: the method's public view of its config, never a seed, hash or code. */
export interface PublicAdminUserConfig {
  id: number;
  user_id: string;
  title: string;
  /** The name the user gave the factor, or null when blank. */
  nickname: string | null;
  status: string;
  method_config_id: number;
  method_config: PublicMethodConfigRef;
  /** Null when its method is not registered or its global config is invalid. */
  config: Record<string, unknown> | null;
  is_active: boolean;
  is_default: boolean;
  is_available: boolean;
  /** Consecutive wrong codes on the factor. */
  consecutive_failures: number;
  created_at: string;
  updated_at: string;
  /** Its last right answer, or null when never. */
  last_used_at: string | null;
}

/** A method config as an admin sees it: its global config included (admin data, validated against the method's DTO). */
export interface PublicAdminMethodConfig {
  id: number;
  title: string;
  method: string;
  verbose_name: string;
  is_registered: boolean;
  is_active: boolean;
  is_default: boolean;
  config: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}
