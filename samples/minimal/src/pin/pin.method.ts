// #region custom-method
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { defineMethod, TwoFactorBackend, type BackendContext, type Challenge, type UserConfigChange } from 'nestjs-two-factor/methods';

/** What the user submits: a PIN of 4 to 8 digits. */
export class PinUserConfigDto {
  @ApiProperty({ example: '4711' })
  @Matches(/^[0-9]{4,8}$/, { message: 'pin must be 4 to 8 digits' })
  pin: string;
}

/** What is stored: only the keyed hash. */
interface PinStored {
  pin_hash: string;
}

/**
 * A custom method: a PIN the user chooses. It shows the three hooks, storing
 * only hashes through ctx.secrets, and a public view.
 */
@Injectable()
export class PinBackend extends TwoFactorBackend<object, PinUserConfigDto, PinStored> {
  changeUserConfig(input: PinUserConfigDto, _current: PinStored | undefined, ctx: BackendContext): UserConfigChange<PinStored> {
    return { config: { pin_hash: ctx.secrets.hash(input.pin) }, needsConfirmation: true };
  }

  requestConfirmation(_data: Record<string, unknown> | undefined, ctx: BackendContext<object, PinStored>): Challenge {
    if (!ctx.userConfig) throw new Error('A PIN confirmation needs a user config');
    return { state: { pin_hash: ctx.userConfig.config.pin_hash } };
  }

  confirm(state: Record<string, unknown>, data: Record<string, unknown>, ctx: BackendContext): boolean {
    return ctx.secrets.verify(data.code, state.pin_hash);
  }

  publicConfig(): Record<string, unknown> {
    return { has_pin: true };
  }
}

export const PIN_METHOD = defineMethod({ key: 'pin', verboseName: 'PIN', backend: PinBackend, userConfigDto: PinUserConfigDto });
// #endregion custom-method
