import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { TwoFactorBackend, type Challenge, type UserConfigChange } from './method-api/backend.js';
import { ConfirmerService } from './public-api/confirmer.service.js';
import { DUMMY_METHOD } from './methods/dummy/dummy.method.js';
import { defineMethod, type MethodDescriptor } from './method-api/method-descriptor.js';
import { MethodRegistry } from './method-api/method-registry.js';
import { getMethodToken, InjectMethod, InjectTwoFactorOptions } from './options/two-factor.constants.js';
import { TwoFactorModule } from './two-factor.module.js';
import { inMemoryTwoFactorDatabase } from '../../../test/support/in-memory-database.js';
import type { ResolvedTwoFactorOptions, TwoFactorOptions } from './options/two-factor.options.js';

const SECRET = 'module-spec-secret-module-spec-secret-0123';

/** A host-app service that a backend injects: proves backends get Nest's DI. */
@Injectable()
class Greeter {
  greet(): string {
    return 'hello from the host app';
  }
}

@Module({ providers: [Greeter], exports: [Greeter] })
class GreeterModule {}

@Injectable()
class GreetingBackend extends TwoFactorBackend {
  constructor(readonly greeter: Greeter) {
    super();
  }
  changeUserConfig(): UserConfigChange<object> {
    return { config: {}, needsConfirmation: false };
  }
  requestConfirmation(): Challenge {
    return { state: { greeting: this.greeter.greet() } };
  }
  confirm(): boolean {
    return true;
  }
}

const GREETING_METHOD = defineMethod({ key: 'greeting', verboseName: 'Greeting', backend: GreetingBackend });

@Injectable()
class OptionsFactory {
  createTwoFactorOptions(): TwoFactorOptions {
    return { secret: SECRET, maxAttempts: 3 };
  }
}

@Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
class OptionsModule {}

@Injectable()
class Consumer {
  constructor(
    readonly confirmer: ConfirmerService,
    @InjectMethod('dummy') readonly dummy: MethodDescriptor,
    @InjectTwoFactorOptions() readonly options: ResolvedTwoFactorOptions,
  ) {}
}

async function boot(twoFactor: ReturnType<typeof TwoFactorModule.forRoot>): Promise<INestApplication> {
  @Module({ imports: [twoFactor], providers: [Consumer] })
  class HostFeature {}
  const moduleRef = await Test.createTestingModule({ imports: [inMemoryTwoFactorDatabase(), twoFactor, HostFeature] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('TwoFactorModule', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('forRoot: ConfirmerService, the registry, the options and each method descriptor are injectable', async () => {
    app = await boot(TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], secret: SECRET }));
    const consumer = app.get(Consumer);
    expect(consumer.confirmer.getMethods()).toEqual(['dummy']);
    expect(consumer.dummy).toBe(DUMMY_METHOD);
    expect(consumer.options.maxAttempts).toBe(5);
    expect(app.get(getMethodToken('dummy'))).toBe(DUMMY_METHOD);
    expect(app.get(MethodRegistry).keys()).toEqual(['dummy']);
  });

  it('forRootAsync with useFactory and inject', async () => {
    app = await boot(
      TwoFactorModule.forRootAsync({
        methods: [DUMMY_METHOD],
        imports: [OptionsModule],
        inject: [OptionsFactory],
        useFactory: (factory: OptionsFactory) => ({ ...factory.createTwoFactorOptions(), maxAttempts: 7 }),
      }),
    );
    expect(app.get(Consumer).options.maxAttempts).toBe(7);
    expect(app.get(Consumer).confirmer.getMethods()).toEqual(['dummy']);
  });

  it('forRootAsync with useClass', async () => {
    app = await boot(TwoFactorModule.forRootAsync({ methods: [DUMMY_METHOD], useClass: OptionsFactory }));
    expect(app.get(Consumer).options.maxAttempts).toBe(3);
  });

  it('forRootAsync with useExisting', async () => {
    app = await boot(TwoFactorModule.forRootAsync({ methods: [DUMMY_METHOD], imports: [OptionsModule], useExisting: OptionsFactory }));
    expect(app.get(Consumer).options.maxAttempts).toBe(3);
  });

  it('mounts the endpoints under routePrefix, in the async path too', async () => {
    app = await boot(TwoFactorModule.forRootAsync({ methods: [DUMMY_METHOD], routePrefix: 'auth/2fa', useFactory: () => ({ secret: SECRET }) }));
    await request(app.getHttpServer()).get('/auth/2fa/method-config/list/active/').expect(200);
    await request(app.getHttpServer()).get('/method-config/list/active/').expect(404);
  });

  it('mounts no endpoint with controllers: false', async () => {
    app = await boot(TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], controllers: false, secret: SECRET }));
    await request(app.getHttpServer()).get('/method-config/list/active/').expect(404);
    expect(app.get(Consumer).confirmer).toBeInstanceOf(ConfirmerService);
  });

  it('fails at startup on a duplicate method key, naming the key', () => {
    expect(() => TwoFactorModule.forRoot({ methods: [DUMMY_METHOD, { ...DUMMY_METHOD }], secret: SECRET })).toThrow(/Duplicate method key "dummy"/);
  });

  it('fails at startup when a backend is not a TwoFactorBackend', () => {
    const broken = defineMethod({ key: 'broken', verboseName: 'Broken', backend: Greeter as never });
    expect(() => TwoFactorModule.forRoot({ methods: [broken], secret: SECRET })).toThrow(
      /Method "broken": `backend` must be a class extending TwoFactorBackend/,
    );
  });

  it('fails at startup without a usable secret', async () => {
    await expect(boot(TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], secret: 'short' }))).rejects.toThrow(
      /`secret` must be a string of at least 32 characters/,
    );
  });

  it("backends inject the host app's providers through the imports option", async () => {
    app = await boot(TwoFactorModule.forRoot({ methods: [DUMMY_METHOD, GREETING_METHOD], imports: [GreeterModule], secret: SECRET }));
    const confirmer = app.get(Consumer).confirmer;
    const bound = await confirmer.makeBackend({ methodConfig: { id: 1, method: 'greeting', title: '', config: {} } as never });
    expect((bound!.backend as GreetingBackend).greeter.greet()).toBe('hello from the host app');
  });

  it('a hand-built second registry works beside the module one, as in the seed', async () => {
    app = await boot(TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], imports: [GreeterModule], secret: SECRET }));
    const mine = new MethodRegistry();
    mine.register(GREETING_METHOD);
    const confirmer = app.get(ConfirmerService).withRegistry(mine);
    expect(confirmer.getMethods()).toEqual(['greeting']);
    const bound = await confirmer.makeBackend({ methodConfig: { id: 1, method: 'greeting', title: '', config: {} } as never });
    expect((bound!.backend as GreetingBackend).greeter.greet()).toBe('hello from the host app');
    expect(app.get(ConfirmerService).getMethods()).toEqual(['dummy']);
  });
});
