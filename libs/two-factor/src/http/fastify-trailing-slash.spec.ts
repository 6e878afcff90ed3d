import { Controller, Get, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DUMMY_METHOD } from '../methods/dummy/dummy.method.js';
import { TwoFactorModule } from '../two-factor.module.js';
import { inMemoryTwoFactorDatabase } from '../../../../test/support/in-memory-database.js';

/** A host route outside the module's prefix: its spelling is the host's business. */
@Controller('host')
class HostController {
  @Get('exact')
  exact(): string {
    return 'host';
  }
}

async function boot(adapter: FastifyAdapter): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      inMemoryTwoFactorDatabase(),
      TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], routePrefix: 'api/2fa', secret: 'fastify-spec-secret-fastify-spec-secret-0123' }),
    ],
    controllers: [HostController],
  }).compile();
  const app = moduleRef.createNestApplication(adapter, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('the module on Fastify', () => {
  it('answers every route with and without the trailing slash, with no adapter options', async () => {
    const app = await boot(new FastifyAdapter());
    try {
      await request(app.getHttpServer()).get('/api/2fa/method-config/list/active/').expect(200);
      await request(app.getHttpServer()).get('/api/2fa/method-config/list/active').expect(200);
      await request(app.getHttpServer()).post('/api/2fa/confirmation/confirm/').send({}).expect(400);
      await request(app.getHttpServer()).post('/api/2fa/confirmation/confirm').send({}).expect(400);
      // Routes outside the module are left as the host declared them.
      await request(app.getHttpServer()).get('/host/exact').expect(200);
      await request(app.getHttpServer()).get('/host/exact/').expect(404);
    } finally {
      await app.close();
    }
  });

  it('adds no twin when the host already ignores trailing slashes (no duplicate route at start-up)', async () => {
    const app = await boot(new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }));
    try {
      await request(app.getHttpServer()).get('/api/2fa/method-config/list/active/').expect(200);
      await request(app.getHttpServer()).get('/api/2fa/method-config/list/active').expect(200);
    } finally {
      await app.close();
    }
  });
});
