import { Injectable } from '@nestjs/common';
import type { BackendContext, UserConfigChange } from '../../method-api/backend.js';
import { validateDto } from '../../method-api/validate-dto.js';
import { EmailSender } from '../../senders/email-sender.js';
import { SentCodeBackend, sentCodeText, type SendLimit } from '../../method-api/sent-code.backend.js';
import { maskEmail } from './email.address.js';
import { EmailUserConfigDto, type EmailGlobalConfigDto, type EmailStoredConfig } from './email.dto.js';

type Context = BackendContext<EmailGlobalConfigDto, EmailStoredConfig>;

/**
 * Email codes through the app's `EmailSender`. A new or changed address is
 * proven by a code sent to that address only; method-level requests verify an
 * address given as `data.email` (e.g. before sign-up).
 */
@Injectable()
export class EmailBackend extends SentCodeBackend<EmailGlobalConfigDto, EmailUserConfigDto, EmailStoredConfig> {
  protected readonly channel = 'email';

  constructor(private readonly sender: EmailSender) {
    super();
  }

  changeUserConfig(input: EmailUserConfigDto, current: EmailStoredConfig | undefined, _ctx?: Context): UserConfigChange<EmailStoredConfig> {
    if (current?.email === input.email) return { config: current, needsConfirmation: false };
    const config = { email: input.email };
    return { config, needsConfirmation: true };
  }

  publicConfig(stored: EmailStoredConfig): Record<string, unknown> {
    return { email: maskEmail(stored.email) };
  }

  protected maskDestination(destination: string): string {
    return maskEmail(destination);
  }

  protected destinationOf(stored: EmailStoredConfig): string {
    return stored.email;
  }

  protected destinationFrom(data: Record<string, unknown> | undefined): string {
    return validateDto(EmailUserConfigDto, data ?? {}, 'data').email;
  }

  /** Mail servers deliver `Ann@` and `ann@` to one inbox, so limits count them as one. */
  protected limitKeyOf(destination: string): string {
    return destination.toLowerCase();
  }

  protected destinationLimits(destination: string, config: EmailGlobalConfigDto): SendLimit[] {
    return [{ key: `email:dest:${this.limitKeyOf(destination)}`, max: config.max_sends_per_destination_per_hour, windowSeconds: 3600 }];
  }

  protected send(destination: string, code: string, config: EmailGlobalConfigDto, ctx: Context): Promise<void> {
    return this.sender.send({
      to: destination,
      subject: sentCodeText(config.subject, 'sent_code.email.subject', code, config.ttl_seconds, ctx),
      text: sentCodeText(config.text, 'sent_code.email.text', code, config.ttl_seconds, ctx),
      ...(config.from ? { from: config.from } : {}),
    });
  }
}
