import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ScureBase32Plugin } from 'otplib';
import QRCode from 'qrcode';
import { TwoFactorBackend, type BackendContext, type Challenge, type UserConfigChange, type Verdict } from '../../method-api/backend.js';
import { invalidField, ValidationFailedError } from '../../errors/request.errors.js';
import { isWellFormedCode, matchingSteps, otpauthUri, timeStep } from './totp.algorithm.js';
import type { TotpGlobalConfigDto, TotpStoredConfig, TotpUserConfigDto } from './totp.dto.js';

type Context = BackendContext<TotpGlobalConfigDto, TotpStoredConfig>;

/** 160 bits: RFC 4226 §4 recommends it, ASVS 5 6.5.4 requires at least that much. */
const SEED_BYTES = 20;

const base32 = new ScureBase32Plugin();

/**
 * Authenticator apps (RFC 6238). The server makes the seed and keeps it only
 * encrypted; nothing is sent on request. A right code claims its time step on
 * the user config's replay guard, so each step is accepted once and never an
 * older one, even when requests race.
 */
@Injectable()
export class TotpBackend extends TwoFactorBackend<TotpGlobalConfigDto, TotpUserConfigDto, TotpStoredConfig> {
  async changeUserConfig(input: TotpUserConfigDto, current: TotpStoredConfig | undefined, ctx: Context): Promise<UserConfigChange<TotpStoredConfig>> {
    if (current === undefined || input.regenerate === true) return this.enrol(input, current, ctx);
    return {
      config: {
        ...current,
        label: input.label ?? current.label,
        // Re-seal under the current key while we are writing the row anyway.
        seed: ctx.secrets.needsRotation(current.seed) ? ctx.secrets.encrypt(ctx.secrets.decrypt(current.seed)) : current.seed,
      },
      needsConfirmation: false,
    };
  }

  requestConfirmation(_data: Record<string, unknown> | undefined, ctx: Context): Challenge {
    if (!ctx.userConfig) {
      // There is no site-wide seed: a TOTP code can only prove one user's enrolment.
      throw new ValidationFailedError([invalidField('user_config_id', 'validation.user_config_id_required')]);
    }
    return { state: {} };
  }

  confirm(_state: Record<string, unknown>, data: Record<string, unknown>, ctx: Context): Verdict {
    const stored = ctx.userConfig?.config;
    if (!stored || !isWellFormedCode(data.code, stored.digits)) return false;
    const seed = Buffer.from(ctx.secrets.decrypt(stored.seed), 'hex');
    const step = timeStep(this.now(), stored.period);
    const window = ctx.methodConfig.config.window;
    const fresh = matchingSteps(seed, data.code, step, window, stored).filter((matched) => matched > ctx.userConfig!.replayGuard);
    if (fresh.length === 0) return false;
    // The earliest fresh step, so a later step stays usable; the confirmer's conditional UPDATE settles races.
    return { ok: true, claim: { kind: 'after', value: Math.min(...fresh) } };
  }

  publicConfig(stored: TotpStoredConfig): Record<string, unknown> {
    return { label: stored.label, digits: stored.digits, algorithm: stored.algorithm, period: stored.period };
  }

  /** Server time in epoch milliseconds: the only clock TOTP trusts. A seam for tests. */
  protected now(): number {
    return Date.now();
  }

  private async enrol(input: TotpUserConfigDto, current: TotpStoredConfig | undefined, ctx: Context): Promise<UserConfigChange<TotpStoredConfig>> {
    const global = ctx.methodConfig.config;
    const seed = randomBytes(SEED_BYTES);
    const label = input.label ?? current?.label ?? ctx.userId ?? 'user';
    const otpauth_uri = otpauthUri(base32.encode(seed), {
      issuer: global.issuer,
      label,
      digits: global.digits,
      algorithm: global.algorithm,
      period: global.period,
    });
    return {
      config: { seed: ctx.secrets.encrypt(seed.toString('hex')), label, digits: global.digits, algorithm: global.algorithm, period: global.period },
      needsConfirmation: true,
      enrollment: { otpauth_uri, qr_code: await QRCode.toDataURL(otpauth_uri) },
      // The guard holds the old seed's last step; a new seed starts with none spent.
      resetReplayGuard: true,
    };
  }
}
