import { Injectable } from '@nestjs/common';
import type { BackendContext, UserConfigChange } from '../../method-api/backend.js';
import { validateDto } from '../../method-api/validate-dto.js';
import { SentCodeBackend, sentCodeText, type SendLimit } from '../../method-api/sent-code.backend.js';
import { SmsSender } from '../../senders/sms-sender.js';
import { SmsUserConfigDto, type SmsGlobalConfigDto, type SmsStoredConfig } from './sms.dto.js';
import { maskPhone, parsePhone, phonePrefix, type PhoneRules } from './sms.number.js';

type Context = BackendContext<SmsGlobalConfigDto, SmsStoredConfig>;

const DAY = 86400;

function rulesOf(config: SmsGlobalConfigDto): PhoneRules {
  return { defaultCountry: config.default_country, allowedCountries: config.allowed_countries };
}

/**
 * SMS codes through the app's `SmsSender`. Numbers are kept in E.164; every
 * send is capped per number and per number range, and only to allowed countries,
 * before anything leaves (SMS pumping).
 */
@Injectable()
export class SmsBackend extends SentCodeBackend<SmsGlobalConfigDto, SmsUserConfigDto, SmsStoredConfig> {
  protected readonly channel = 'sms';

  constructor(private readonly sender: SmsSender) {
    super();
  }

  changeUserConfig(input: SmsUserConfigDto, current: SmsStoredConfig | undefined, ctx: Context): UserConfigChange<SmsStoredConfig> {
    const phone = parsePhone(input.phone, rulesOf(ctx.methodConfig.config), 'config.phone').e164;
    if (current?.phone === phone) return { config: current, needsConfirmation: false };
    const config = { phone };
    return { config, needsConfirmation: true };
  }

  publicConfig(stored: SmsStoredConfig): Record<string, unknown> {
    return { phone: maskPhone(stored.phone) };
  }

  protected maskDestination(destination: string): string {
    return maskPhone(destination);
  }

  protected destinationOf(stored: SmsStoredConfig): string {
    return stored.phone;
  }

  protected destinationFrom(data: Record<string, unknown> | undefined, ctx: Context): string {
    const { phone } = validateDto(SmsUserConfigDto, data ?? {}, 'data');
    return parsePhone(phone, rulesOf(ctx.methodConfig.config), 'data.phone').e164;
  }

  /** Parses the number again, so a stored number from a country the config no longer allows is refused too. */
  protected destinationLimits(destination: string, config: SmsGlobalConfigDto): SendLimit[] {
    const facts = parsePhone(destination, rulesOf(config), 'phone');
    return [
      { key: `sms:dest:${facts.e164}`, max: config.max_sends_per_number_per_day, windowSeconds: DAY },
      { key: `sms:prefix:${phonePrefix(facts, config.prefix_digits)}`, max: config.max_sends_per_prefix_per_day, windowSeconds: DAY },
    ];
  }

  protected send(destination: string, code: string, config: SmsGlobalConfigDto, ctx: Context): Promise<void> {
    return this.sender.send({ to: destination, text: sentCodeText(config.text, 'sent_code.sms.text', code, config.ttl_seconds, ctx) });
  }
}
