import { API, bootDemo, freshUser, TEST_HTTP_ADAPTER, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';
import { tableDigest } from '../support/table-digest.js';

/** Issue 10 item 1: no input reaches a 500, and a refused body changes nothing. */
describe.each(DATABASE_KINDS)(`hostile input on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let user: string;
  let factor: number;
  const events: string[] = [];
  beforeAll(async () => {
    h = await bootDemo(kind);
    user = freshUser();
    factor = await enrolDummy(h, user, 'right');
    h.app.get((await import('@nestjs/event-emitter')).EventEmitter2).onAny((event: string | string[]) => events.push(String(event)));
  });
  afterAll(() => h.close());

  const nest = (depth: number, leaf: unknown, wrap: (inner: string) => string): string => {
    let text = JSON.stringify(leaf);
    for (let i = 0; i < depth; i++) text = wrap(text);
    return text;
  };
  const deepArray = (depth: number) => nest(depth, 1, (inner) => `[${inner}]`);
  const deepObject = (depth: number) => nest(depth, 1, (inner) => `{"a":${inner}}`);

  /** Every JSON route of the module and the demo, with the user who may call it. */
  const routes = (): Array<{ method: 'post' | 'put' | 'patch'; path: string; field: string; signedIn: boolean }> => [
    { method: 'post', path: `${API}/confirmation/request/`, field: 'data', signedIn: false },
    { method: 'post', path: `${API}/confirmation/confirm/`, field: 'data', signedIn: false },
    { method: 'post', path: `${API}/user-config/own/create/`, field: 'config', signedIn: true },
    { method: 'post', path: `${API}/user-config/own/confirm/`, field: 'data', signedIn: true },
    { method: 'put', path: `${API}/user-config/own/${factor}/update/`, field: 'config', signedIn: true },
    { method: 'patch', path: `${API}/user-config/own/${factor}/update/`, field: 'config', signedIn: true },
    { method: 'post', path: '/api/v1/auth/login', field: 'username', signedIn: false },
  ];

  async function send(route: ReturnType<typeof routes>[number], body: string, type = 'application/json') {
    let call = h.http[route.method](route.path).set('Content-Type', type);
    if (route.signedIn) call = call.set(await h.auth(user));
    return call.send(body);
  }

  it.each([
    ['arrays', deepArray],
    ['objects', deepObject],
  ])('refuses JSON nested 5,000 deep (%s) with 400 validation_failed on every JSON route, at the top and inside a field', async (_, deep) => {
    const before = await tableDigest(h);
    for (const route of routes()) {
      for (const body of [deep(5000), `{"${route.field}":${deep(5000)}}`]) {
        const response = await send(route, body);
        expect({ path: route.path, status: response.status, code: response.body.code }).toEqual({ path: route.path, status: 400, code: 'validation_failed' });
      }
    }
    expect(await tableDigest(h)).toBe(before);
  });

  it('refuses a lone UTF-16 surrogate in an email with 400 validation_failed, on the anonymous confirmation/request/ too', async () => {
    const email = await methodConfigId(h, 'email');
    const before = await tableDigest(h);
    const anonymous = await h.http.post(`${API}/confirmation/request/`).send({ method_config_id: email, data: { email: '\udc00x@example.com' } });
    expect([anonymous.status, anonymous.body.code]).toEqual([400, 'validation_failed']);
    const enrol = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(freshUser()))
      .send({ method_config_id: email, config: { email: 'x\ud800@example.com' } });
    expect([enrol.status, enrol.body.code]).toEqual([400, 'validation_failed']);
    const key = await h.http.post(`${API}/confirmation/confirm/`).send({ id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { ['\udfff']: 'x' } });
    expect([key.status, key.body.code]).toEqual([400, 'validation_failed']);
    expect(await tableDigest(h)).toBe(before);
  });

  it('refuses bad data on an anonymous request without counting it against the client address', async () => {
    const before = await tableDigest(h);
    for (const data of [{ email: 'not-an-address' }, { email: 5 }, { phone: '+1' }, { unknown: true }]) {
      const response = await h.http.post(`${API}/confirmation/request/`).send({ method_config_id: await methodConfigId(h, 'email'), data });
      expect([response.status, response.body.code]).toEqual([400, 'validation_failed']);
    }
    expect(await tableDigest(h)).toBe(before);
  });

  it.each(['put', 'patch'] as const)('refuses {"title": null} on %s update with 400 validation_failed', async (method) => {
    const loner = freshUser();
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(loner))
      .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'c' } })
      .expect(201);
    const before = await tableDigest(h);
    for (const field of ['title', 'is_active', 'is_default', 'config']) {
      const response = await h.http[method](`${API}/user-config/own/${created.body.item.id}/update/`)
        .set(await h.auth(loner))
        .send({ [field]: null });
      expect({ field, status: response.status, code: response.body.code }).toEqual({ field, status: 400, code: 'validation_failed' });
    }
    expect(await tableDigest(h)).toBe(before);
  });

  it.each(['put', 'patch'] as const)('refuses an empty %s update with 400 validation_failed: no change, no audit event', async (method) => {
    const before = await tableDigest(h);
    events.length = 0;
    for (const body of ['{}', '']) {
      const response = await h.http[method](`${API}/user-config/own/${factor}/update/`)
        .set(await h.auth(user))
        .set('Content-Type', 'application/json')
        .send(body);
      // Fastify's JSON parser refuses an empty body itself (400 bad_request); Express hands the route `{}`.
      const expected = body === '' && TEST_HTTP_ADAPTER === 'fastify' ? [400, 'bad_request', undefined] : [400, 'validation_failed', 'body'];
      expect([response.status, response.body.code, response.body.details?.fields?.[0]?.field]).toEqual(expected);
    }
    expect(await tableDigest(h)).toBe(before);
    expect(events).toEqual([]);
  });

  it.each([
    ['text/plain', 'title=hacked'],
    ['application/xml', '<update><title>hacked</title></update>'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nhacked\r\n--x--\r\n'],
    ['application/x-www-form-urlencoded', 'title=hacked'],
  ])('refuses a %s body on every write route with 415 unsupported_media_type, no change and no audit event', async (type, body) => {
    const before = await tableDigest(h);
    events.length = 0;
    for (const route of routes()) {
      const response = await send(route, body, type);
      expect({ path: route.path, status: response.status, code: response.body.code }).toEqual({
        path: route.path,
        status: 415,
        code: 'unsupported_media_type',
      });
    }
    const bare = await h.http
      .patch(`${API}/user-config/own/${factor}/update/`)
      .set(await h.auth(user))
      .set('Content-Type', '')
      .send(body);
    expect([bare.status, bare.body.code]).toEqual([415, 'unsupported_media_type']);
    expect(await tableDigest(h)).toBe(before);
    expect(events).toEqual([]);
  });

  it('refuses huge strings, huge arrays and __proto__ keys with 400 or 413, never a 500', async () => {
    const before = await tableDigest(h);
    const bodies = [
      JSON.stringify({ id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { code: 'x'.repeat(90_000) } }),
      JSON.stringify({ id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { code: Array.from({ length: 20_000 }, () => 0) } }),
      JSON.stringify({ id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { code: 'x'.repeat(2_000_000) } }),
      '{"id":"3b241101-e2bb-4255-8caf-4136c566a962","data":{"__proto__":{"polluted":true}}}',
      '{"__proto__":{"polluted":true},"id":"3b241101-e2bb-4255-8caf-4136c566a962","data":{}}',
    ];
    for (const body of bodies) {
      const response = await h.http.post(`${API}/confirmation/confirm/`).set('Content-Type', 'application/json').send(body);
      expect([400, 413]).toContain(response.status);
      // Fastify's parser (secure-json-parse) refuses a `__proto__` key itself: 400 bad_request.
      expect(['validation_failed', 'payload_too_large', ...(TEST_HTTP_ADAPTER === 'fastify' ? ['bad_request'] : [])]).toContain(response.body.code);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await tableDigest(h)).toBe(before);
  });
});
