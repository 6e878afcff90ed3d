import type { EmailMessage } from './email-sender.js';
import { EmailSender } from './email-sender.js';

/** How `NodemailerEmailSender` reaches the mail server. */
export interface NodemailerEmailSenderOptions {
  /**
   * nodemailer transport: an SMTP connection URL (`smtps://user:pass@smtp.example.com`)
   * or transport options (`{ host, port, secure, auth }`).
   */
  transport: string | Record<string, unknown>;
  /** The From header, e.g. `"Example" <no-reply@example.com>`; a method config's `from` overrides it. */
  from: string;
}

interface Mailer {
  sendMail(message: Record<string, unknown>): Promise<unknown>;
}

/**
 * Sends email through nodemailer. nodemailer is an optional dependency, loaded
 * on first send, so apps that plug in another sender need not install it.
 * @example
 * { provide: EmailSender, useFactory: () => new NodemailerEmailSender({ transport: process.env.SMTP_URL!, from: 'no-reply@example.com' }) }
 */
export class NodemailerEmailSender extends EmailSender {
  private mailer: Promise<Mailer> | null = null;

  constructor(private readonly options: NodemailerEmailSenderOptions) {
    super();
  }

  async send(message: EmailMessage): Promise<void> {
    const mailer = await this.connect();
    await mailer.sendMail({ from: message.from ?? this.options.from, to: message.to, subject: message.subject, text: message.text });
  }

  private connect(): Promise<Mailer> {
    this.mailer ??= import('nodemailer').then(
      (nodemailer) => (nodemailer.default ?? nodemailer).createTransport(this.options.transport as never) as unknown as Mailer,
      () => {
        this.mailer = null;
        throw new Error('NodemailerEmailSender needs the optional dependency "nodemailer": run `npm install nodemailer`.');
      },
    );
    return this.mailer;
  }
}
