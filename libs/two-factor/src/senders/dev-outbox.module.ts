import { Module } from '@nestjs/common';
import { DevOutbox } from './dev-outbox.js';
import { DevOutboxEmailSender, DevOutboxSmsSender } from './dev-outbox.senders.js';
import { EmailSender } from './email-sender.js';
import { SmsSender } from './sms-sender.js';

/**
 * Binds `EmailSender` and `SmsSender` to an in-memory `DevOutbox`, for
 * development and tests. A static module, so every import shares one outbox:
 * pass it to `TwoFactorModule.forRoot({ imports: [DevOutboxModule] })` and
 * import it where the outbox is read.
 */
@Module({
  providers: [
    { provide: DevOutbox, useFactory: () => new DevOutbox() },
    { provide: EmailSender, useClass: DevOutboxEmailSender },
    { provide: SmsSender, useClass: DevOutboxSmsSender },
  ],
  exports: [DevOutbox, EmailSender, SmsSender],
})
export class DevOutboxModule {}
