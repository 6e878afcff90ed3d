import { Controller, Get, Query } from '@nestjs/common';
import { ConfirmerService } from 'nestjs-two-factor';
import { MemoryEmailSender } from './mail.module.js';

/** A host route that injects the module's ConfirmerService. */
@Controller('host')
export class HostController {
  constructor(private readonly confirmer: ConfirmerService) {}

  @Get('methods')
  methods(): string[] {
    return this.confirmer.getMethods();
  }
}

/**
 * The sample's stand-in for a mailbox: what MemoryEmailSender "sent", so you (and the consumer
 * test) can read the codes. Development only: never mount a route like this in production.
 */
@Controller('dev/mail')
export class DevMailController {
  constructor(private readonly mail: MemoryEmailSender) {}

  @Get()
  mailTo(@Query('to') to: string): { text: string }[] {
    return this.mail.sent.filter((message) => message.to === to).map((message) => ({ text: message.text }));
  }
}
