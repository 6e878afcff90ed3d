import { Controller, Get, Query, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { createTwoFactorValidationPipe } from 'nestjs-two-factor';
import { DevOutbox } from 'nestjs-two-factor/dev';
import { DevOutboxMessageDto, DevOutboxQueryDto } from './dev-outbox.dto.js';

/**
 * What the demo "sent" by email and SMS, so a developer (and the end-to-end
 * tests) can read the codes. It shows live codes to anyone: the app module
 * mounts it only when NODE_ENV is not production.
 */
@ApiTags('dev outbox (not in production)')
@ApiSecurity({})
@UsePipes(createTwoFactorValidationPipe())
@Controller('api/v1/dev/outbox')
export class DevOutboxController {
  constructor(private readonly outbox: DevOutbox) {}

  @Get()
  @ApiOperation({ summary: 'Messages sent, newest first', description: 'Only outside production. Filter with ?to=<address or E.164 number>.' })
  @ApiOkResponse({ type: [DevOutboxMessageDto] })
  @ApiBadRequestResponse({ description: 'validation_failed: a bad ?to=' })
  list(@Query() query: DevOutboxQueryDto): DevOutboxMessageDto[] {
    return this.outbox.list(query.to).map((message) => ({
      channel: message.channel,
      to: message.to,
      ...(message.subject !== undefined ? { subject: message.subject } : {}),
      text: message.text,
      sent_at: message.sentAt.toISOString(),
    }));
  }
}
