import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { demoTelemetry } from './demo-telemetry.js';

/** Express hands Nest node's own request and response; Fastify wraps them (`raw`) and must be told it no longer answers. */
interface FastifyReplyLike {
  raw: ServerResponse;
  hijack(): void;
}

@ApiTags('demo: health')
@ApiSecurity({})
@Controller('metrics')
export class MetricsController {
  @Get()
  @ApiOperation({ summary: 'Prometheus text: the module’s two_factor_* metrics (OpenTelemetry SDK, Prometheus exporter)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string', example: 'two_factor_confirmations_requested_total{method="email"} 3' } })
  metrics(@Req() request: IncomingMessage | { raw: IncomingMessage }, @Res() response: ServerResponse | FastifyReplyLike): void {
    const telemetry = demoTelemetry();
    if (!telemetry) throw new NotFoundException('Telemetry is off (TELEMETRY=off).');
    if ('hijack' in response) {
      response.hijack();
      telemetry.prometheus.getMetricsRequestHandler((request as { raw: IncomingMessage }).raw, response.raw);
    } else {
      telemetry.prometheus.getMetricsRequestHandler(request as IncomingMessage, response);
    }
  }
}
