import type { CanActivate, Type } from '@nestjs/common';

/** The `admin` shape option of `forRoot`/`forRootAsync`: the admin API is mounted only with it. */
export interface TwoFactorAdminOptions {
  /**
   * Guards that decide who is an admin; every one must pass (after the module
   * has checked that someone is signed in). Classes are built by Nest inside the
   * module, so they may inject providers of `imports`; instances are used as given.
   * At least one is required: the module never mounts an unguarded admin API.
   */
  guards: Array<Type<CanActivate> | CanActivate>;
}

/** Injection token of the host's admin guard instances. */
export const TWO_FACTOR_ADMIN_GUARDS = Symbol('TwoFactorAdminGuards');

/** The Swagger tag of the admin routes; add it to your DocumentBuilder (`addTag(name, description)`) to show its description. */
export const TWO_FACTOR_ADMIN_API_TAG = {
  name: 'two-factor: admin',
  description:
    'Opt-in administration (forRoot `admin: { guards }`): method configs with validated global configs, each method with its JSON schemas, ' +
    "a user's factors (unlock, deactivate, delete — never a seed, hash or code), and a paginated search of confirmations (never their private state). " +
    "Every call needs a signed-in user whom the host app's admin guards accept (else 401 unauthenticated or 403 admin_required), and emits an audit event naming the admin.",
} as const;
