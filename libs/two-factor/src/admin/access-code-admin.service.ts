import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../errors/request.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { AccessCodeStore } from '../persistence/access-code.store.js';
import { normalizeReadableCode, randomReadableCode } from '../secrets/random-code.js';
import { SecretBox } from '../secrets/secret-box.js';
import type { AdminActor } from './method-config.service.js';

/** A temporary access code, as the admin sees it once: hand `code` to the user, out of band. */
export interface IssuedAccessCode {
  /** The code (`XXXX-XXXX-XXXX-XXXX`): shown here once, stored only as a keyed hash. */
  code: string;
  expiresAt: Date;
}

/**
 * Temporary access codes (issue 22), the admin's lost-device path instead of deleting factors: a code
 * that opens enrolment of a new factor inside one pending sign-in of the user, at the second step only.
 * It is no factor, no session and no step-up proof; single use; its lifetime is bounded
 * (`accessCodes.maxLifetimeSeconds`). Issuing one replaces the user's earlier code.
 */
@Injectable()
export class AccessCodeAdminService {
  constructor(
    private readonly store: AccessCodeStore,
    private readonly secrets: SecretBox,
    private readonly audit: AuditTrail,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  /**
   * Issues a code for `userId`, valid `lifetimeSeconds` (default `accessCodes.defaultLifetimeSeconds`, 1 hour).
   * Audited as `two_factor.admin.access_code.issued` (never the code). @throws ValidationFailedError for a lifetime out of range.
   */
  async issue(userId: string, lifetimeSeconds: number | undefined, actor: AdminActor = {}): Promise<IssuedAccessCode> {
    const { defaultLifetimeSeconds, maxLifetimeSeconds } = this.options.accessCodes;
    const lifetime = lifetimeSeconds ?? defaultLifetimeSeconds;
    if (!Number.isSafeInteger(lifetime) || lifetime < 1 || lifetime > maxLifetimeSeconds) {
      throw new ValidationFailedError([{ field: 'lifetime_seconds', message: `lifetime_seconds must be an integer from 1 to ${maxLifetimeSeconds}` }]);
    }
    const code = randomReadableCode(4, 4);
    const now = Date.now();
    const expiresAt = now + lifetime * 1000;
    await this.store.issue(userId, this.secrets.hash(normalizeReadableCode(code)!), actor.adminId ?? null, now, expiresAt);
    this.audit.emit(TwoFactorEvent.AdminAccessCodeIssued, { userId, adminId: actor.adminId ?? null, clientIp: actor.clientIp });
    return { code, expiresAt: new Date(expiresAt) };
  }
}
