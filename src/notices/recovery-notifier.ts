import { Inject, Injectable, Optional } from '@nestjs/common';
import { RecoveryNotifier, type RecoveryNotice } from 'nestjs-two-factor';
import { EmailSender } from 'nestjs-two-factor/methods';
import { DemoUsersService } from '../auth/demo-users.service.js';

/**
 * The demo's hook for recovery notices (issue 22): the module tells the account's email and SMS
 * factors itself; this tells the account's own address (`<username>@example.com`, the dev outbox
 * outside production), with the code that cancels the recovery.
 */
@Injectable()
export class DemoRecoveryNotifier extends RecoveryNotifier {
  constructor(
    private readonly users: DemoUsersService,
    @Optional() @Inject(EmailSender) private readonly email?: EmailSender,
  ) {
    super();
  }

  async notify(notice: RecoveryNotice): Promise<void> {
    const user = this.users.findById(notice.userId);
    if (!user || !this.email) return;
    await this.email.send({
      to: `${user.username}@example.com`,
      subject: 'Two-factor: someone started a recovery of your account',
      text:
        `Someone who knows your password${notice.clientIp ? ` (from ${notice.clientIp})` : ''} asked to replace your second factors. ` +
        `From ${notice.notBefore.toISOString()} they can enrol a new one, and your current factors and remembered devices stop working.\n` +
        `If this was not you, cancel it now: POST /api/v1/auth/login/recovery/cancel with {"cancel_code": "${notice.cancelCode}"} ` +
        '(or "I lost my factors" → "Cancel a recovery" on the sign-in page), then change your password.',
    });
  }
}
