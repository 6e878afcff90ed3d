import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { TWO_FACTOR_METRICS } from 'nestjs-two-factor';
import { bootDemo, freshUser, API, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, requestFor, stepUpProof } from '../support/flows.js';
import { login, signInWithDummy, deviceCookieOf } from '../support/sign-in.js';
import { TelemetryCapture } from '../support/telemetry-capture.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const M = Object.fromEntries(Object.entries(TWO_FACTOR_METRICS).map(([key, metric]) => [key, metric.name])) as Record<keyof typeof TWO_FACTOR_METRICS, string>;
const ADMIN = `${API}/admin`;

// Registered before any app boots (the module takes its meter at start-up); the demo's own SDK stays off.
const telemetry = new TelemetryCapture();

describe.each(DATABASE_KINDS)(`telemetry on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  /** Every secret the flows below saw: codes, seeds, tokens, addresses, user ids. */
  const secrets = new Set<string>();

  beforeAll(async () => {
    h = await bootDemo(kind, {
      telemetry: false,
      twoFactor: { maxAttempts: 2, cooldownAfterFailures: 2, sendsPerUserPerHour: 1 },
    });
  });
  afterAll(() => h?.close());

  /** Spans finished since `mark()`. */
  let since = 0;
  const mark = () => (since = telemetry.finishedSpans().length);
  const recent = () => telemetry.finishedSpans().slice(since);
  const spansNamed = (name: string) => recent().filter((span) => span.name === name);

  it('enrol and confirm: requested, judged right, factor created and confirmed, time to confirm, one span per operation with its statements inside', async () => {
    const user = freshUser();
    const code = `code-${user}`;
    secrets.add(user).add(code);
    mark();
    const grown = await telemetry.growth(
      {
        requested: [M.confirmationsRequested, { method: 'dummy' }],
        right: [M.confirmationsJudged, { method: 'dummy', outcome: 'right' }],
        created: [M.factorChanges, { change: 'created' }],
        confirmed: [M.factorChanges, { change: 'confirmed' }],
        timeToConfirm: [M.timeToConfirm, { method: 'dummy' }],
        createDuration: [M.operationDuration, { operation: 'user_config.create', outcome: 'ok' }],
      },
      () => enrolDummy(h, user, code),
    );
    expect(grown).toEqual({ requested: 1, right: 1, created: 1, confirmed: 1, timeToConfirm: 1, createDuration: 1 });
    const [create] = spansNamed('two_factor.user_config.create');
    expect(create.attributes['two_factor.operation']).toBe('user_config.create');
    const children = recent().filter((span) => span.parentSpanContext?.spanId === create.spanContext().spanId);
    expect(children.map((span) => span.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^(INSERT|UPDATE|SELECT|WITH|DELETE|TRANSACTION)/)]));
    expect(spansNamed('two_factor.confirmation.confirm')).toHaveLength(1);
  });

  it('a wrong answer, a lockout, a refused answer and a cooldown are counted with their reasons', async () => {
    const user = freshUser();
    const code = `code-${user}`;
    secrets.add(user).add(code);
    const factor = await enrolDummy(h, user, code);
    const auth = await h.auth(user);
    const grown = await telemetry.growth(
      {
        wrong: [M.confirmationsJudged, { method: 'dummy', outcome: 'wrong', reason: 'wrong_answer' }],
        locked: [M.lockouts, { method: 'dummy', scope: 'confirmation' }],
        refused: [M.confirmationsJudged, { outcome: 'refused', reason: 'confirmation_locked' }],
        cooldown: [M.cooldowns, { operation: 'confirmation.request' }],
        failed: [M.operationDuration, { operation: 'confirmation.confirm', outcome: 'confirmation_failed' }],
      },
      async () => {
        const id = await requestFor(h, user, factor);
        for (const status of [400, 400, 429]) {
          const answer = await h.http
            .post(`${API}/confirmation/confirm/`)
            .set(auth)
            .send({ id, data: { code: 'wrong' } });
          expect(answer.status).toBe(status);
        }
        await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: factor }).expect(429);
      },
    );
    expect(grown).toEqual({ wrong: 2, locked: 1, refused: 1, cooldown: 1, failed: 2 });
  });

  it('step-up: a proof passes, a missing one is refused with its code', async () => {
    const user = freshUser();
    const code = `code-${user}`;
    secrets.add(user).add(code);
    await enrolDummy(h, user, code);
    const auth = await h.auth(user);
    const grown = await telemetry.growth(
      {
        pass: [M.stepUps, { outcome: 'pass' }],
        refused: [M.stepUps, { outcome: 'refused', reason: 'two_factor_required' }],
        used: [M.proofsUsed],
      },
      async () => {
        const proof = await stepUpProof(h, user);
        secrets.add(proof['X-Two-Factor-Confirmation']);
        await h.http.post('/api/v1/account/sensitive-action').set(auth).set(proof).expect(200);
        await h.http.post('/api/v1/account/sensitive-action').set(auth).expect(403);
      },
    );
    expect(grown).toEqual({ pass: 1, refused: 1, used: 1 });
  });

  it('sign-in: started, completed by the second factor, a device remembered, then used', async () => {
    const code = 'alice-telemetry-code';
    secrets.add('alice').add(code);
    const factor = await enrolDummy(h, 'alice', code);
    mark();
    const grown = await telemetry.growth(
      {
        started: [M.signInsStarted],
        bySecondFactor: [M.signInsCompleted, { via: 'second_factor' }],
        remembered: [M.devicesRemembered],
        byDevice: [M.signInsCompleted, { via: 'remembered_device' }],
        used: [M.devicesUsed],
      },
      async () => {
        const done = await signInWithDummy(h, 'alice', factor, code, true);
        const device = deviceCookieOf(done)!;
        secrets.add(device).add(done.body.access_token);
        // alice's user id (the token's subject) is short: it is looked for as a whole attribute value.
        secrets.add(JSON.parse(Buffer.from(done.body.access_token.split('.')[1], 'base64url').toString()).sub);
        const again = await login(h, 'alice', device).expect(200);
        secrets.add(again.body.access_token);
      },
    );
    expect(grown).toEqual({ started: 1, bySecondFactor: 1, remembered: 1, byDevice: 1, used: 1 });
    // Each step its span; the judge's inside the sign-in's confirm.
    const [confirm] = spansNamed('two_factor.sign_in.confirm');
    expect(spansNamed('two_factor.sign_in.start')).toHaveLength(2); // the second on the remembered device
    expect(spansNamed('two_factor.sign_in.request')).toHaveLength(1);
    expect(spansNamed('two_factor.confirmation.confirm')[0].parentSpanContext?.spanId).toBe(confirm.spanContext().spanId);
  });

  it('send limits: an email code sent at enrolment, the resend refused by the email cooldown, by limit name only', async () => {
    const user = freshUser();
    const address = `${user}@example.com`;
    secrets.add(user).add(address);
    const auth = await h.auth(user);
    const grown = await telemetry.growth(
      {
        sent: [M.codesSent, { method: 'email' }],
        refused: [M.limitsRefused, { limit: 'email', kind: 'resend_cooldown' }],
        refusedAsRateLimited: [M.operationDuration, { operation: 'confirmation.request', outcome: 'rate_limited' }],
      },
      async () => {
        const created = await h.http
          .post(`${API}/user-config/own/create/`)
          .set(auth)
          .send({ method_config_id: await methodConfigId(h, 'email'), config: { email: address } })
          .expect(201);
        const outbox = (await h.http.get('/api/v1/dev/outbox').query({ to: address }).expect(200)).body as Array<{ text: string }>;
        secrets.add(/\b(\d{6})\b/.exec(outbox[0].text)![1]);
        const again = await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: created.body.item.id });
        expect([again.status, again.body.code]).toEqual([429, 'rate_limited']);
      },
    );
    expect(grown).toEqual({ sent: 1, refused: 1, refusedAsRateLimited: 1 });
    const limits = (await telemetry.points()).filter((point) => point.name === M.limitsRefused).map((point) => point.attributes.limit);
    expect(limits.every((limit) => ['sends', 'anonymous-requests', 'email', 'sms', 'other'].includes(String(limit)))).toBe(true);
  });

  it('admin actions: counted by action, each in its span', async () => {
    const user = freshUser();
    secrets.add(user);
    const factor = await enrolDummy(h, user, `code-${user}`);
    const admin = await h.auth('admin');
    mark();
    const grown = await telemetry.growth(
      { listed: [M.adminActions, { action: 'user_config.listed' }], unlocked: [M.adminActions, { action: 'user_config.unlocked' }] },
      async () => {
        await h.http.get(`${ADMIN}/user/${user}/user-config/list/`).set(admin).expect(200);
        await h.http.post(`${ADMIN}/user/${user}/user-config/${factor}/unlock/`).set(admin).expect(200);
      },
    );
    expect(grown).toEqual({ listed: 1, unlocked: 1 });
    expect(spansNamed('two_factor.admin.user_config.list')).toHaveLength(1);
    expect(spansNamed('two_factor.admin.user_config.unlock')).toHaveLength(1);
  });

  it('a TOTP seed and every secret above appear in no metric attribute and no span name or attribute', async () => {
    const user = freshUser();
    secrets.add(user);
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(user))
      .send({ method_config_id: await methodConfigId(h, 'totp'), config: {} })
      .expect(201);
    const uri = new URL(JSON.stringify(created.body).match(/otpauth:\/\/[^"\\]+/)![0]);
    secrets.add(uri.searchParams.get('secret')!);
    const points = await telemetry.points();
    const spans = telemetry.finishedSpans();
    const recorded = [
      ...points.map((point) => `${point.name} ${JSON.stringify(point.attributes)}`),
      ...spans.map((span) => `${span.name} ${JSON.stringify(span.attributes)} ${JSON.stringify(span.events)} ${span.status.message ?? ''}`),
    ].join('\n');
    const values = new Set(
      [...points.flatMap((point) => Object.values(point.attributes)), ...spans.flatMap((span) => Object.values(span.attributes))].map(String),
    );
    expect(recorded).toContain('two_factor_');
    expect(secrets.size).toBeGreaterThan(12);
    for (const secret of secrets) {
      // A long secret anywhere in the text; a short one (a user id like "1") as a whole value.
      const found = secret.length >= 6 ? recorded.includes(secret) : values.has(secret);
      expect({ secret, found }).toEqual({ secret, found: false });
    }
  });
});
