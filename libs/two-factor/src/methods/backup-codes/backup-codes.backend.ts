import { Injectable } from '@nestjs/common';
import { TwoFactorBackend, type BackendContext, type Challenge, type UserConfigChange, type Verdict } from '../../method-api/backend.js';
import { invalidField, ValidationFailedError } from '../../errors/request.errors.js';
import type { BackupCodesGlobalConfigDto, BackupCodesStoredConfig, BackupCodesUserConfigDto } from './backup-codes.dto.js';
import { displayBackupCode, generateBackupCode, hashBackupCode, normalizeBackupCode, verifyBackupCode } from './backup-codes.hashing.js';

type Context = BackendContext<BackupCodesGlobalConfigDto, BackupCodesStoredConfig>;

/** Whether code `index` is spent: bit `index` of the replay guard (division, since `|`/`&` would truncate to 32 bits). */
export function isSpent(replayGuard: number, index: number): boolean {
  return Math.floor(replayGuard / 2 ** index) % 2 === 1;
}

/**
 * One-time backup codes. A set is shown once and stored as sealed, salted
 * scrypt hashes; code i owns bit i of the user config's replay guard, which the
 * confirmer sets atomically, so each code succeeds once however requests race.
 *
 * A new set needs no confirmation: the user has just been shown it, and proving
 * it would spend one of its codes.
 */
@Injectable()
export class BackupCodesBackend extends TwoFactorBackend<BackupCodesGlobalConfigDto, BackupCodesUserConfigDto, BackupCodesStoredConfig> {
  async changeUserConfig(
    input: BackupCodesUserConfigDto,
    current: BackupCodesStoredConfig | undefined,
    ctx: Context,
  ): Promise<UserConfigChange<BackupCodesStoredConfig>> {
    if (current !== undefined && input.regenerate !== true) {
      const codes = current.codes.map((sealed) => (ctx.secrets.needsRotation(sealed) ? ctx.secrets.encrypt(ctx.secrets.decrypt(sealed)) : sealed));
      return { config: { codes }, needsConfirmation: false };
    }
    const plain = Array.from({ length: ctx.methodConfig.config.count }, generateBackupCode);
    return {
      config: { codes: await Promise.all(plain.map((code) => hashBackupCode(code, ctx.secrets))) },
      needsConfirmation: false,
      enrollment: { codes: plain.map(displayBackupCode) },
      // A new set starts with every code unspent; the old set's bits mean nothing now.
      resetReplayGuard: true,
    };
  }

  requestConfirmation(_data: Record<string, unknown> | undefined, ctx: Context): Challenge {
    if (!ctx.userConfig) {
      throw new ValidationFailedError([invalidField('user_config_id', 'validation.user_config_id_required')]);
    }
    return { state: {} };
  }

  async confirm(_state: Record<string, unknown>, data: Record<string, unknown>, ctx: Context): Promise<Verdict> {
    const userConfig = ctx.userConfig;
    const code = normalizeBackupCode(data.code);
    if (!userConfig || code === null) return false;
    // Every unspent hash is checked, so the time taken says how many are left (public anyway) but not which one matched.
    const matches = await Promise.all(
      userConfig.config.codes.map((sealed, index) => !isSpent(userConfig.replayGuard, index) && verifyBackupCode(code, sealed, ctx.secrets)),
    );
    const index = matches.indexOf(true);
    if (index < 0) return false;
    return { ok: true, claim: { kind: 'bit', index } };
  }

  /** How many codes are left: a hint to regenerate before running out. */
  publicConfig(stored: BackupCodesStoredConfig, ctx: Context): Record<string, unknown> {
    return { total: stored.codes.length, remaining: this.remaining(stored, ctx) };
  }

  /** The codes of the set not spent yet (the clear bits of the guard). */
  remaining(stored: BackupCodesStoredConfig, ctx: Context): number {
    const guard = ctx.userConfig?.replayGuard ?? 0;
    return stored.codes.filter((_, index) => !isSpent(guard, index)).length;
  }
}
