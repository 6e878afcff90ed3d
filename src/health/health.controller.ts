import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DatabaseUnavailableError } from 'nestjs-two-factor';

@ApiTags('demo: health')
@ApiSecurity({})
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Ready once the database answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  @ApiServiceUnavailableResponse({ description: 'database_unavailable, with Retry-After: the same answer the module gives while the database is down' })
  async health(): Promise<{ status: 'ok' }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      // The module's answer for an outage, so a probe and a client see the same 503 and Retry-After.
      throw new DatabaseUnavailableError();
    }
    return { status: 'ok' };
  }
}
