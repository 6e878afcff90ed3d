import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService } from '@nestjs/terminus';
import { DatabaseUnavailableError, TwoFactorHealthIndicator, type TwoFactorHealthDetails } from 'nestjs-two-factor';

/** The module's purge runs every few minutes in the demo; far more expired rows than this means it is off or behind. */
const MAX_PURGE_BACKLOG = 100_000;

@ApiTags('demo: health')
@ApiSecurity({})
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly twoFactor: TwoFactorHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Ready once the database answers; the module’s purge backlog beside it (terminus, TwoFactorHealthIndicator)' })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        info: {
          two_factor: {
            status: 'up',
            database: 'up',
            purge_backlog: { two_factor_confirmation: 0, two_factor_rate_counter: 0, two_factor_sign_in: 0, two_factor_device: 0 },
          },
        },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'database_unavailable, with Retry-After: the same answer the module gives while the database is down' })
  async check(): Promise<{ status: 'ok'; info: { two_factor: TwoFactorHealthDetails } }> {
    const result = await this.health.check([() => this.twoFactor.isHealthy('two_factor', { maxPurgeBacklog: MAX_PURGE_BACKLOG })]).catch(() => null);
    const details = result?.details.two_factor as TwoFactorHealthDetails | undefined;
    // The module's answer for an outage, so a probe and a client see the same 503 and Retry-After.
    if (!details || details.status === 'down') throw new DatabaseUnavailableError();
    return { status: 'ok', info: { two_factor: details } };
  }
}
