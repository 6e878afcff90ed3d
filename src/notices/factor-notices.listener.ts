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

/** The demo warns once a set of backup codes is down to this many (the use that leaves 2 of 3 mails; the next uses do not). */
export const LOW_BACKUP_CODES = 2;

/**
 * Tells the user by email when their factors change or a device is remembered,
 * so that a change they did not make does not go unnoticed, and when their
 * backup codes run low. Built on the module's audit events; the demo's users
 * get mail at `<username>@example.com` (the dev outbox outside production).
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
    const what = event.method ? ` (${event.method})` : '';
    const text =
      `${SUBJECTS[event.name]}${what} on ${event.at.toISOString()}` +
      `${event.clientIp ? ` from ${event.clientIp}` : ''}.\n` +
      'If this was not you, sign in, remove factors and devices you do not know, and change your password.';
    await this.send(event, SUBJECTS[event.name], text);
  }

  /**
   * A sign-in or step-up with a backup code carries how many of the set are left (`remaining`):
   * the use that brings it down to LOW_BACKUP_CODES mails once; the uses after it do not, and a
   * new set (regenerated) warns again when it gets there.
   */
  @OnEvent(TwoFactorEvent.ConfirmationConfirmed)
  async warnLowBackupCodes(event: TwoFactorAuditEvent): Promise<void> {
    if (event.remaining !== LOW_BACKUP_CODES) return;
    const text =
      `Only ${event.remaining} backup codes are left (used on ${event.at.toISOString()}${event.clientIp ? ` from ${event.clientIp}` : ''}).\n` +
      'Make a new set on your account page before they run out; if you did not use one, change your password.';
    await this.send(event, 'Your backup codes are running low', text);
  }

  private async send(event: TwoFactorAuditEvent, subject: string, text: string): Promise<void> {
    const user = event.userId === null ? null : this.users.findById(event.userId);
    if (!user || !this.email) return;
    try {
      await this.email.send({ to: `${user.username}@example.com`, subject: `Two-factor: ${subject}`, text });
    } catch (error) {
      // A notice that cannot be sent must not undo the change it reports.
      this.logger.warn(`Notice ${event.name} for user ${user.id} not sent: ${(error as Error).message}`);
    }
  }
}
