import { Injectable } from '@nestjs/common';
import { ConfirmerService } from 'nestjs-two-factor';
import { defineMethod, TwoFactorBackend, type BackendContext, type Challenge, type UserConfigChange } from 'nestjs-two-factor/methods';
import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { API, bootLibrary, freshUser, type LibraryHarness } from '../support/library-harness.js';
import { methodConfigId } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** What each hook's context carried, newest last (the functions left out). */
const SEEN: Array<{ hook: string; context: Record<string, unknown> }> = [];

function record(hook: string, ctx: BackendContext): void {
  const { userId, clientIp, language, extra, methodConfig, userConfig, confirmationId } = ctx;
  SEEN.push({ hook, context: { userId, clientIp, language, extra, method: methodConfig.method, userConfig, confirmationId } });
}

/** Accepts the answer `{ ok: true }` and remembers what it was told. */
@Injectable()
class RecorderBackend extends TwoFactorBackend {
  changeUserConfig(): UserConfigChange<object> {
    return { config: { label: 'recorded' }, needsConfirmation: false };
  }

  requestConfirmation(_data: Record<string, unknown> | undefined, ctx: BackendContext): Challenge {
    record('requestConfirmation', ctx);
    return { state: {} };
  }

  confirm(_state: Record<string, unknown>, data: Record<string, unknown>, ctx: BackendContext): boolean {
    record('confirm', ctx);
    return data.ok === true;
  }
}

const RECORDER_METHOD = defineMethod({ key: 'recorder', verboseName: 'Recorder', backend: RecorderBackend });

/**
 * The backend's context (docs/guide/writing-a-method.md) is built for every request and confirm: what the host
 * passed to `ConfirmerService` (user, address, language, `extra`) reaches both hooks, with the factor the
 * confirmation is for, and nothing of another request.
 */
describe.each(DATABASE_KINDS)(`a backend's context on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;
  let confirmer: ConfirmerService;
  let recorderConfig: number;
  beforeAll(async () => {
    h = await bootLibrary(kind, { extraMethods: [RECORDER_METHOD] });
    confirmer = h.app.get(ConfirmerService);
    recorderConfig = await methodConfigId(h, 'recorder');
  });
  afterAll(() => h.close());
  beforeEach(() => SEEN.splice(0));

  const caller = (userId: string, tag: string) => ({ userId, clientIp: `203.0.113.${tag.length}`, language: 'de', extra: { tenant: tag } });

  it('a method-level confirmation: request and confirm each see the caller they were called with, and no factor', async () => {
    const alice = freshUser();
    const asked = await confirmer.requestConfirmation({ ...caller(alice, 'acme'), methodConfigId: recorderConfig });
    await confirmer.confirm({ ...caller(alice, 'globex-corp'), id: asked.id, data: { ok: true } });
    expect(SEEN).toEqual([
      {
        hook: 'requestConfirmation',
        context: { userId: alice, clientIp: '203.0.113.4', language: 'de', extra: { tenant: 'acme' }, method: 'recorder', confirmationId: asked.id },
      },
      { hook: 'confirm', context: { userId: alice, clientIp: '203.0.113.11', language: 'de', extra: { tenant: 'globex-corp' }, method: 'recorder' } },
    ]);
  });

  it("a factor's confirmation: both hooks see the factor's view, never another user's or request's", async () => {
    const bob = freshUser();
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(bob))
      .send({ method_config_id: recorderConfig, config: {} })
      .expect(201);
    const factor = created.body.item.id as number;
    SEEN.splice(0);
    const asked = await confirmer.requestConfirmation({ ...caller(bob, 'initech'), userConfigId: factor });
    await confirmer.confirm({ ...caller(bob, 'umbrella'), id: asked.id, data: { ok: true } });
    const view = { id: factor, userId: bob, status: 'confirmed', config: { label: 'recorded' }, replayGuard: 0 };
    expect(SEEN).toEqual([
      {
        hook: 'requestConfirmation',
        context: {
          userId: bob,
          clientIp: '203.0.113.7',
          language: 'de',
          extra: { tenant: 'initech' },
          method: 'recorder',
          userConfig: view,
          confirmationId: asked.id,
        },
      },
      {
        hook: 'confirm',
        context: { userId: bob, clientIp: '203.0.113.8', language: 'de', extra: { tenant: 'umbrella' }, method: 'recorder', userConfig: view },
      },
    ]);
  });
});
