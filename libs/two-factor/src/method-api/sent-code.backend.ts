import { Logger } from '@nestjs/common';
import { TwoFactorBackend, type BackendContext, type Challenge } from './backend.js';
import { Status } from '../entities/status.js';
import { TwoFactorError } from '../errors/two-factor.error.js';
import { TWO_FACTOR_MESSAGES, type TwoFactorMessageKey } from '../i18n/messages.js';
import { englishMessage } from '../i18n/render-message.js';
import { randomDigits } from '../secrets/random-code.js';
import { DeliveryFailedError } from '../errors/delivery.errors.js';
import type { SentCodeGlobalConfigDto } from './sent-code.dto.js';

/** One fixed-window cap, checked (and counted) before a code is sent. */
export interface SendLimit {
  key: string;
  max: number;
  windowSeconds: number;
}

/** Whether `value` is exactly `digits` ASCII digits: no spaces, signs or other scripts' digits, so one code has one spelling. */
export function isCodeOf(value: unknown, digits: number): value is string {
  return typeof value === 'string' && value.length === digits && /^[0-9]+$/.test(value);
}

/** The message text: `{code}` and `{minutes}` (the lifetime, rounded up) filled in. */
export function renderCodeText(template: string, code: string, ttlSeconds: number): string {
  return template.replaceAll('{code}', code).replaceAll('{minutes}', String(Math.ceil(ttlSeconds / 60)));
}

/** The texts that have a variant naming the operation a code approves (`sent_code.*.text_operation`). */
const OPERATION_TEXTS: Partial<Record<TwoFactorMessageKey, TwoFactorMessageKey>> = {
  'sent_code.email.text': 'sent_code.email.text_operation',
  'sent_code.sms.text': 'sent_code.sms.text_operation',
};

/**
 * A sent code's subject or text: the admin's own when the method config sets one,
 * else the catalogue's `key` in the recipient's language (`ctx.text`), `{code}` and `{minutes}` filled in.
 * A code requested for an operation (`ctx.operation`) says what it approves: the catalogue's
 * `…text_operation` variant, or the admin's own text (where `{operation}` may place it) followed by
 * `sent_code.operation_line` when it does not.
 */
export function sentCodeText(configured: string, key: TwoFactorMessageKey, code: string, ttlSeconds: number, ctx: BackendContext): string {
  const operation = ctx.operation?.description;
  const withOperation = operation !== undefined ? OPERATION_TEXTS[key] : undefined;
  const minutes = Math.ceil(ttlSeconds / 60);
  const text = (k: TwoFactorMessageKey, params: Record<string, string | number>) => (ctx.text ? ctx.text(k, params) : englishMessage(k, params));
  // A config that keeps the English default has no text of its own: translate it.
  if (configured === TWO_FACTOR_MESSAGES[key] && (ctx.text || withOperation)) {
    return withOperation ? text(withOperation, { code, minutes, operation: operation! }) : text(key, { code, minutes });
  }
  const own = renderCodeText(configured, code, ttlSeconds);
  if (!withOperation) return own;
  return configured.includes('{operation}')
    ? own.replaceAll('{operation}', operation!)
    : `${own}\n${text('sent_code.operation_line', { operation: operation! })}`;
}

/** `use`: a code for a confirmed factor (sign-in, step-up); `prove`: a code that proves an address (enrolment, a method-level check). */
function cooldownScope(ctx: BackendContext): 'use' | 'prove' {
  return ctx.userConfig?.status === Status.Confirmed ? 'use' : 'prove';
}

/**
 * What email and SMS codes share: a CSPRNG code of `digits` digits kept only as
 * a keyed hash, a lifetime of at most 10 minutes, send limits checked before
 * anything leaves, and delivery after the confirmation is stored.
 *
 * State of a challenge: `{ code_hash, digits, to }`; `to` is where the code went,
 * so an app that `use`s a method-level confirmation learns which address it proved.
 */
export abstract class SentCodeBackend<G extends SentCodeGlobalConfigDto, U, S extends object> extends TwoFactorBackend<G, U, S> {
  private readonly logger = new Logger(this.constructor.name);

  /** Names this method in limit keys and log lines, e.g. `email`. */
  protected abstract readonly channel: string;

  /** Where a stored config's codes go. */
  protected abstract destinationOf(stored: S): string;

  /** The destination a method-level request names in `data`, validated and normalised. @throws ValidationFailedError */
  protected abstract destinationFrom(data: Record<string, unknown> | undefined, ctx: BackendContext<G, S>): string;

  /** How the destination is shown to the client that asked for a code (e.g. `a***@example.com`). */
  protected abstract maskDestination(destination: string): string;

  /** Caps on `destination` itself (per address, per number prefix …); the resend cooldown is added here. */
  protected abstract destinationLimits(destination: string, config: G): SendLimit[];

  /** Hands the message over to the sender; `ctx` gives the recipient's language (`sentCodeText`). */
  protected abstract send(destination: string, code: string, config: G, ctx: BackendContext<G, S>): Promise<void>;

  /** The form of `destination` that limit keys use; override when two spellings reach the same inbox. */
  protected limitKeyOf(destination: string): string {
    return destination;
  }

  async requestConfirmation(data: Record<string, unknown> | undefined, ctx: BackendContext<G, S>): Promise<Challenge> {
    const stored = ctx.userConfig?.config;
    const destination = stored ? this.destinationOf(stored) : this.destinationFrom(data, ctx);
    // Checked before anything is sent; inside an enrolment's transaction the hits join it.
    await this.chargeSend(destination, ctx);
    const config = ctx.methodConfig.config;
    const code = randomDigits(config.digits);
    return {
      state: { code_hash: ctx.secrets.hash(code), digits: config.digits, to: destination },
      sent: true,
      ttlSeconds: config.ttl_seconds,
      deliver: () => this.deliver(destination, code, config, ctx),
      debugCode: code,
      // Tells the user where to look; masked, since an anonymous caller may not own the address.
      public: { destination: this.maskDestination(destination) },
    };
  }

  confirm(state: Record<string, unknown>, data: Record<string, unknown>, ctx: BackendContext<G, S>): boolean {
    return isCodeOf(data.code, Number(state.digits)) && ctx.secrets.verify(data.code, state.code_hash);
  }

  /**
   * Counts one send against the destination's caps; the cooldown first, so a
   * refused resend spends no other budget. Per-user and per-address caps are the core's.
   * The resend cooldown is scoped by what the code is for (`cooldownScope`): proving an
   * address (enrolment, re-proving, a method-level check) or using a confirmed factor (sign-in,
   * step-up). So the enrolment's code does not hold back the first sign-in's, while resends
   * within either stay spaced; the per-destination caps count every send, whatever its scope.
   */
  private async chargeSend(destination: string, ctx: BackendContext<G, S>): Promise<void> {
    const config = ctx.methodConfig.config;
    const cooldownKey = `${this.channel}:cooldown:${cooldownScope(ctx)}:${this.limitKeyOf(destination)}`;
    const limits: SendLimit[] = [
      ...(config.resend_cooldown_seconds > 0 ? [{ key: cooldownKey, max: 1, windowSeconds: config.resend_cooldown_seconds }] : []),
      ...this.destinationLimits(destination, config),
    ];
    for (const limit of limits) await ctx.limits.hit(limit.key, limit.max, limit.windowSeconds);
  }

  private async deliver(destination: string, code: string, config: G, ctx: BackendContext<G, S>): Promise<void> {
    try {
      await this.send(destination, code, config, ctx);
    } catch (error) {
      if (error instanceof TwoFactorError) throw error;
      // The error's message may quote the message text, so only its class is logged.
      this.logger.warn(`Could not send the ${this.channel} code (${(error as Error)?.name ?? typeof error}); its confirmation was discarded.`);
      throw new DeliveryFailedError();
    }
  }
}
