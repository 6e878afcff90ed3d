import { Injectable } from '@nestjs/common';
import { TwoFactorBackend, type BackendContext, type Challenge, type UserConfigChange } from '../../method-api/backend.js';
import type { DummyGlobalConfigDto, DummyStoredConfig, DummyUserConfigDto } from './dummy.dto.js';

type Context = BackendContext<DummyGlobalConfigDto, DummyStoredConfig>;

/**
 * The seed's example method: a user-bound confirmation expects the user's own
 * code, a method-level one the global code. Nothing is sent. Codes are kept only
 * as keyed hashes, so even this example stores no plaintext.
 */
@Injectable()
export class DummyBackend extends TwoFactorBackend<DummyGlobalConfigDto, DummyUserConfigDto, DummyStoredConfig> {
  changeUserConfig(input: DummyUserConfigDto, current: DummyStoredConfig | undefined, ctx: Context): UserConfigChange<DummyStoredConfig> {
    const unchanged = current !== undefined && ctx.secrets.verify(input.code, current.code_hash);
    return {
      config: unchanged ? current : { code_hash: ctx.secrets.hash(input.code) },
      needsConfirmation: !unchanged,
    };
  }

  requestConfirmation(_data: Record<string, unknown> | undefined, ctx: Context): Challenge {
    const codeHash = ctx.userConfig ? ctx.userConfig.config.code_hash : ctx.secrets.hash(ctx.methodConfig.config.code);
    return { state: { code_hash: codeHash } };
  }

  confirm(state: Record<string, unknown>, data: Record<string, unknown>, ctx: Context): boolean {
    return ctx.secrets.verify(data.code, state.code_hash);
  }
}
