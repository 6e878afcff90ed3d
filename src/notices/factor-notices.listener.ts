import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { TwoFactorEvent, type TwoFactorAuditEvent } from 'nestjs-two-factor';
import { EmailSender } from 'nestjs-two-factor/methods';
import { DemoUsersService } from '../auth/demo-users.service.js';

const SUBJECTS: Record<string, string> = {
  [TwoFactorEvent.UserConfigCreated]: 'A second factor was added to your account',
  [TwoFactorEvent.UserConfigDeleted]: 'A second factor was removed from your account',
  [TwoFactorEvent.DeviceRemembered]: 'A device was remembered for sign-in',
  [TwoFactorEvent.AdminTwoFactorRemoved]: 'An administrator removed two-factor sign-in from your account',
  [TwoFactorEvent.AdminAccessCodeIssued]: 'An administrator issued a temporary access code for your account',
  [TwoFactorEvent.AccessCodeUsed]: 'A temporary access code was used to sign in to your account',
  [TwoFactorEvent.RecoveryCancelled]: 'A recovery of your account was cancelled',
  [TwoFactorEvent.RecoveryCompleted]: 'Your account was recovered: a new second factor replaced all others',
};

/**
 * Tells the user by email when their factors change or a device is remembered,
 * so that a change they did not make does not go unnoticed. Built on the
 * module's audit events; the demo's users get mail at `<username>@example.com`
 * (the dev outbox outside production).
 */
@Injectable()
export class FactorNoticesListener {
  private readonly logger = new Logger('Notices');

  constructor(
    private readonly users: DemoUsersService,
    @Optional() @Inject(EmailSender) private readonly email?: EmailSender,
  ) {}

  @OnEvent(TwoFactorEvent.UserConfigCreated)
  @OnEvent(TwoFactorEvent.UserConfigDeleted)
  @OnEvent(TwoFactorEvent.DeviceRemembered)
  @OnEvent(TwoFactorEvent.AdminTwoFactorRemoved)
  @OnEvent(TwoFactorEvent.AdminAccessCodeIssued)
  @OnEvent(TwoFactorEvent.AccessCodeUsed)
  @OnEvent(TwoFactorEvent.RecoveryCancelled)
  @OnEvent(TwoFactorEvent.RecoveryCompleted)
  async notify(event: TwoFactorAuditEvent): Promise<void> {
    const user = event.userId === null ? null : this.users.findById(event.userId);
    if (!user || !this.email) return;
    const what = event.method ? ` (${event.method})` : '';
    const text =
      `${SUBJECTS[event.name]}${what} on ${event.at.toISOString()}` +
      `${event.clientIp ? ` from ${event.clientIp}` : ''}.\n` +
      'If this was not you, sign in, remove factors and devices you do not know, and change your password.';
    try {
      await this.email.send({ to: `${user.username}@example.com`, subject: `Two-factor: ${SUBJECTS[event.name]}`, text });
    } catch (error) {
      // A notice that cannot be sent must not undo the change it reports.
      this.logger.warn(`Notice ${event.name} for user ${user.id} not sent: ${(error as Error).message}`);
    }
  }
}
