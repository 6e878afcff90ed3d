/** One text message to send; `to` is in E.164 (`+447911123456`). */
export interface SmsMessage {
  to: string;
  text: string;
}

/**
 * Sends the SMS method's codes. The abstract class is its own injection token:
 * provide it (an adapter for Twilio, Vonage, SNS …) in a module passed to
 * `TwoFactorModule.forRoot({ imports: [...] })`.
 * @example
 * class TwilioSmsSender extends SmsSender { async send({ to, text }) { await client.messages.create({ to, from, body: text }); } }
 */
export abstract class SmsSender {
  /** Sends one message; resolves once the provider accepted it. @throws anything: the code's confirmation is then discarded. */
  abstract send(message: SmsMessage): Promise<void>;
}
