import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { Injectable, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { MethodConfigService, TwoFactorModule, TwoFactorSetupError, type TwoFactorAdminOptions } from 'nestjs-two-factor';
import { DUMMY_METHOD } from 'nestjs-two-factor/methods';
import { databaseOptions } from '../../src/database.js';
import { TEST_SECRET } from '../support/demo-harness.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.js';

/** A host's guard: here, whoever sends `x-admin: yes` (the test puts the user on the request itself). */
@Injectable()
class HeaderAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    request.user = { id: request.headers['x-user'] };
    return request.headers['x-admin'] === 'yes';
  }
}

/** Issue 11: the admin API exists only when the host names its guards. */
describe.each(DATABASE_KINDS)(`admin API option on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let db: TestDatabase;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.drop();
  });

  async function boot(admin?: TwoFactorAdminOptions, async = false): Promise<INestApplication> {
    const twoFactor = async
      ? TwoFactorModule.forRootAsync({ methods: [DUMMY_METHOD], routePrefix: 'tf', admin, useFactory: () => ({ secret: TEST_SECRET }) })
      : TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], routePrefix: 'tf', secret: TEST_SECRET, seedMethodConfigs: false, ...(admin ? { admin } : {}) });
    const moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot({ ...databaseOptions(db.url), migrationsRun: true }), twoFactor],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    apps.push(app);
    return app;
  }

  it('is absent without the admin option: its routes are 404, the rest of the module answers, MethodConfigService is there', async () => {
    const app = await boot();
    const http = request(app.getHttpServer());
    await http.get('/tf/method-config/list/active/').expect(200);
    for (const path of ['/tf/admin/method-config/list/', '/tf/admin/method/list/', '/tf/admin/confirmation/search/', '/tf/admin/user/1/user-config/list/']) {
      await http.get(path).set({ 'x-admin': 'yes', 'x-user': '1' }).expect(404);
    }
    await http.post('/tf/admin/method-config/create/').set({ 'x-admin': 'yes', 'x-user': '1' }).send({ method: 'dummy' }).expect(404);
    expect(await app.get(MethodConfigService).list()).toEqual([]);
  });

  it('is mounted with guards, which decide: 401 with nobody signed in, 403 when a guard says no, 200 when all say yes', async () => {
    const app = await boot({ guards: [HeaderAdminGuard] });
    const http = request(app.getHttpServer());
    await http.get('/tf/admin/method/list/').expect(401);
    const refused = await http.get('/tf/admin/method/list/').set({ 'x-user': '1' }).expect(403);
    expect(refused.body).toMatchObject({ code: 'admin_required' });
    expect((await http.get('/tf/admin/method/list/').set({ 'x-admin': 'yes', 'x-user': '1' }).expect(200)).body.map((m: { key: string }) => m.key)).toEqual([
      'dummy',
    ]);
  });

  it('also takes guard instances; every guard must pass', async () => {
    const no: CanActivate = { canActivate: () => false };
    const app = await boot({ guards: [HeaderAdminGuard, no] });
    await request(app.getHttpServer()).get('/tf/admin/method/list/').set({ 'x-admin': 'yes', 'x-user': '1' }).expect(403);
  });

  it('takes the admin option beside useFactory in forRootAsync (a shape option)', async () => {
    const app = await boot({ guards: [HeaderAdminGuard] }, true);
    await request(app.getHttpServer()).get('/tf/admin/method/list/').set({ 'x-admin': 'yes', 'x-user': '1' }).expect(200);
    await request(app.getHttpServer()).get('/tf/admin/method/list/').set({ 'x-user': '1' }).expect(403);
  });

  it('refuses at startup an admin option without a guard, rather than mount an open admin API', () => {
    expect(() => TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], secret: TEST_SECRET, admin: { guards: [] } })).toThrow(TwoFactorSetupError);
    expect(() => TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], secret: TEST_SECRET, admin: { guards: [class {} as never] } })).toThrow(
      /at least one guard/,
    );
  });
});
