import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { TwoFactorAuditEvent, TwoFactorEventName } from './two-factor.events.js';

/** The one method of EventEmitter2 the module calls. */
interface EventSink {
  emit(name: string, event: unknown): unknown;
}

/**
 * Emits audit events on the host app's EventEmitter2 when it has one
 * (`EventEmitterModule.forRoot()`); otherwise events go nowhere. `@nestjs/event-emitter`
 * is an optional peer: it is loaded at start-up, never imported statically, so an app
 * without it still boots. A failing listener never breaks the flow that emitted the event.
 */
@Injectable()
export class AuditTrail implements OnModuleInit {
  private readonly logger = new Logger('TwoFactorAudit');
  private sink: EventSink | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  async onModuleInit(): Promise<void> {
    const emitterClass = await import('@nestjs/event-emitter').then(
      (events) => events.EventEmitter2,
      () => null,
    );
    if (!emitterClass) return;
    try {
      this.sink = this.moduleRef.get<EventSink>(emitterClass, { strict: false });
    } catch {
      // The package is installed but the host never imported EventEmitterModule.
      this.sink = null;
    }
  }

  emit(name: TwoFactorEventName, event: Omit<TwoFactorAuditEvent, 'name' | 'at'>): void {
    if (!this.sink) return;
    try {
      this.sink.emit(name, { name, at: new Date(), ...event } satisfies TwoFactorAuditEvent);
    } catch (error) {
      this.logger.warn(`A listener of ${name} failed: ${(error as Error).message}`);
    }
  }
}
