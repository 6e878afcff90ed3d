import { Injectable } from '@nestjs/common';
import { DevOutbox } from './dev-outbox.js';
import { EmailSender, type EmailMessage } from './email-sender.js';
import { SmsSender, type SmsMessage } from './sms-sender.js';

/** Records emails in the `DevOutbox` instead of sending them. */
@Injectable()
export class DevOutboxEmailSender extends EmailSender {
  constructor(private readonly outbox: DevOutbox) {
    super();
  }

  async send(message: EmailMessage): Promise<void> {
    this.outbox.record({ channel: 'email', to: message.to, subject: message.subject, text: message.text });
  }
}

/** Records text messages in the `DevOutbox` instead of sending them. */
@Injectable()
export class DevOutboxSmsSender extends SmsSender {
  constructor(private readonly outbox: DevOutbox) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    this.outbox.record({ channel: 'sms', to: message.to, text: message.text });
  }
}
