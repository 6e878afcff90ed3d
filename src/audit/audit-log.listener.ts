import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { TwoFactorAuditEvent } from 'nestjs-two-factor';

/** The demo logs every audit event of the module: a host app would store them or raise alerts. */
@Injectable()
export class AuditLogListener {
  private readonly logger = new Logger('Audit');

  @OnEvent('two_factor.**')
  record(event: TwoFactorAuditEvent): void {
    const { name, at: _at, ...facts } = event;
    this.logger.log(`${name} ${JSON.stringify(facts)}`);
  }
}
