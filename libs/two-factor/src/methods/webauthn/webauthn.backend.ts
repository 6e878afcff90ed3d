import { Injectable } from '@nestjs/common';
import { TwoFactorBackend, type BackendContext, type Challenge, type UserConfigChange, type Verdict } from '../../method-api/backend.js';
import { invalidField, ValidationFailedError } from '../../errors/request.errors.js';
import type { WebAuthnGlobalConfigDto, WebAuthnStoredConfig, WebAuthnUserConfigDto } from './webauthn.dto.js';
import { creationOptions, operationChallenge, requestOptions } from './webauthn.options.js';
import { verifyAssertion, verifyRegistration } from './webauthn.verify.js';

type Context = BackendContext<WebAuthnGlobalConfigDto, WebAuthnStoredConfig>;

/** Why a refusal is reported: an authenticator whose counter did not move forward may be a clone. */
export const COUNTER_REGRESSED = 'counter_regressed';

const DEFAULT_LABEL = 'Security key';

/**
 * Passkeys and security keys (WebAuthn), one credential per user config.
 *
 * Enrolment: `changeUserConfig` makes the creation options (shown once as
 * `enrollment.creation_options`) and keeps their challenge until the
 * attestation response, sent as `data` to `user-config/own/confirm/`, proves
 * the credential; the verdict then stores the credential in place of the challenge.
 *
 * Step-up: `requestConfirmation` hands out request options as the public
 * challenge; `confirm` verifies the assertion and claims its sign counter on the
 * user config's replay guard, so a counter that does not go up is refused even
 * when two answers race. Every challenge lives in one confirmation, which is
 * confirmed at most once.
 */
@Injectable()
export class WebAuthnBackend extends TwoFactorBackend<WebAuthnGlobalConfigDto, WebAuthnUserConfigDto, WebAuthnStoredConfig> {
  async changeUserConfig(
    input: WebAuthnUserConfigDto,
    current: WebAuthnStoredConfig | undefined,
    ctx: Context,
  ): Promise<UserConfigChange<WebAuthnStoredConfig>> {
    const label = input.label ?? current?.label ?? DEFAULT_LABEL;
    // A registered credential can only be renamed: a new authenticator is a new user config.
    if (current?.credential) return { config: { ...current, label }, needsConfirmation: false };
    if (ctx.userId === null) throw new ValidationFailedError([invalidField('config', 'validation.signed_in_user_required')]);
    const name = typeof ctx.extra?.userName === 'string' ? ctx.extra.userName : ctx.userId;
    const options = await creationOptions(ctx.methodConfig.config, { id: ctx.userId, name, label }, await this.enrolledCredentials(ctx), ctx.secrets);
    return {
      config: { label, registration: { challenge: String(options.challenge), options } },
      needsConfirmation: true,
      enrollment: { creation_options: options },
      resetReplayGuard: true,
    };
  }

  async requestConfirmation(_data: Record<string, unknown> | undefined, ctx: Context): Promise<Challenge> {
    const stored = ctx.userConfig?.config;
    if (!stored?.credential && !stored?.registration) {
      // A credential belongs to one user config; there is nothing to check a method-level answer against.
      throw new ValidationFailedError([invalidField('user_config_id', 'validation.user_config_id_required')]);
    }
    const global = ctx.methodConfig.config;
    if (stored.credential) {
      // Bound to an operation: the challenge commits to its details, so the signed assertion does too.
      const bound = ctx.operation ? operationChallenge(ctx.operation.digest) : undefined;
      const options = await requestOptions(global, stored.credential, bound?.challenge);
      return {
        state: { ceremony: 'authentication', challenge: options.challenge, ...(bound ? { operation_nonce: bound.nonce } : {}) },
        ttlSeconds: global.timeout_seconds,
        public: { request_options: options },
      };
    }
    // A registration not yet proven: the challenge of its creation options (shown at enrolment) is the one to answer.
    const registration = stored.registration!;
    return {
      state: { ceremony: 'registration', challenge: registration.challenge },
      ttlSeconds: global.timeout_seconds,
      public: { creation_options: registration.options },
    };
  }

  async confirm(state: Record<string, unknown>, data: Record<string, unknown>, ctx: Context): Promise<Verdict> {
    const stored = ctx.userConfig?.config;
    if (!stored || typeof state.challenge !== 'string') return false;
    const global = ctx.methodConfig.config;
    if (state.ceremony === 'registration') {
      const proven = await verifyRegistration(data, state.challenge, global);
      if (!proven.ok) return { ok: false, reason: proven.reason };
      const { credential, counter } = proven.value;
      return {
        ok: true,
        config: { label: stored.label, credential: { ...credential, registered_at: new Date().toISOString(), last_used_at: null } },
        // The guard starts at 0 (`resetReplayGuard`); a first counter above it is claimed as the floor for the next assertion.
        ...(counter > 0 ? { claim: { kind: 'after' as const, value: counter }, reason: COUNTER_REGRESSED } : {}),
      };
    }
    if (state.ceremony !== 'authentication' || !stored.credential) return false;
    const proven = await verifyAssertion(data, state.challenge, stored.credential, global);
    if (!proven.ok) return { ok: false, reason: proven.reason };
    const { counter, backedUp } = proven.value;
    const last = ctx.userConfig!.replayGuard;
    // WebAuthn §6.1.1: if either counter is non-zero, the new one must be greater. Authenticators without a counter send 0 forever.
    if ((counter > 0 || last > 0) && counter <= last) return { ok: false, reason: COUNTER_REGRESSED };
    return {
      ok: true,
      config: { ...stored, credential: { ...stored.credential, backed_up: backedUp, last_used_at: new Date().toISOString() } },
      // Claimed in the confirming transaction: of two answers with the same counter, one wins.
      ...(counter > 0 ? { claim: { kind: 'after' as const, value: counter }, reason: COUNTER_REGRESSED } : {}),
    };
  }

  /** Label, transports and dates: never the challenge, the public key or the credential id. */
  publicConfig(stored: WebAuthnStoredConfig): Record<string, unknown> {
    const credential = stored.credential;
    return {
      label: stored.label,
      transports: credential?.transports ?? [],
      backed_up: credential?.backed_up ?? false,
      registered_at: credential?.registered_at ?? null,
      last_used_at: credential?.last_used_at ?? null,
    };
  }

  /** The user's credentials already registered under this method, for `excludeCredentials`. */
  private async enrolledCredentials(ctx: Context) {
    const configs = (await ctx.enrolled?.()) ?? [];
    return configs.map((config) => config.credential).filter((credential) => credential !== undefined);
  }
}
