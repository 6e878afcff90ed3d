import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { TwoFactorAuditEvent, TwoFactorEventName } from './two-factor.events.js';

/**
 * Emits audit events on the host app's EventEmitter2, if it has one
 * (`EventEmitterModule.forRoot()`); otherwise events go nowhere. A failing
 * listener never breaks the flow that emitted the event.
 */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('TwoFactorAudit');

  constructor(@Optional() private readonly emitter?: EventEmitter2) {}

  emit(name: TwoFactorEventName, event: Omit<TwoFactorAuditEvent, 'name' | 'at'>): void {
    if (!this.emitter) return;
    try {
      this.emitter.emit(name, { name, at: new Date(), ...event } satisfies TwoFactorAuditEvent);
    } catch (error) {
      this.logger.warn(`A listener of ${name} failed: ${(error as Error).message}`);
    }
  }
}
