import { Injectable } from '@nestjs/common';
import { AdminStore, type ConfirmationFilter, type ConfirmationSummary } from '../persistence/admin.store.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import type { AdminActor } from './method-config.service.js';

export interface ConfirmationPage {
  items: ConfirmationSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** Largest page the search returns, so one call cannot read the whole table. */
export const MAX_CONFIRMATION_PAGE_SIZE = 200;

/** The admin's search of confirmations (the seed 0.1.3's admin search): never their private `state`. */
@Injectable()
export class ConfirmationAdminService {
  constructor(
    private readonly store: AdminStore,
    private readonly audit: AuditTrail,
  ) {}

  /** Page `page` (from 1) of the confirmations matching `filter`, newest first. */
  async search(filter: ConfirmationFilter, page = 1, pageSize = 50, actor: AdminActor = {}): Promise<ConfirmationPage> {
    const size = Math.min(Math.max(1, Math.trunc(pageSize)), MAX_CONFIRMATION_PAGE_SIZE);
    const number = Math.max(1, Math.trunc(page));
    const { items, total } = await this.store.searchConfirmations(filter, size, (number - 1) * size);
    this.audit.emit(TwoFactorEvent.AdminConfirmationsSearched, {
      userId: filter.userId ?? null,
      adminId: actor.adminId ?? null,
      clientIp: actor.clientIp,
      methodConfigId: filter.methodConfigId,
      count: items.length,
    });
    return { items, total, page: number, pageSize: size };
  }
}
