/** One email to send. Plain text only: a code needs no markup, and text cannot hide a link. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Overrides the sender's own from address (the method config's `from`), when set. */
  from?: string;
}

/**
 * Sends the email method's codes. The abstract class is its own injection token
 * (like throttler's `ThrottlerStorage`): provide it in a module passed to
 * `TwoFactorModule.forRoot({ imports: [...] })`.
 * @example
 * { provide: EmailSender, useFactory: () => new NodemailerEmailSender({ transport: process.env.SMTP_URL!, from: 'no-reply@example.com' }) }
 */
export abstract class EmailSender {
  /** Sends one message; resolves once the transport accepted it. @throws anything: the code's confirmation is then discarded. */
  abstract send(message: EmailMessage): Promise<void>;
}
