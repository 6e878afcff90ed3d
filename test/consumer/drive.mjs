// Drives the sample host app (samples/minimal) over HTTP like a client would; prints "N passed, M failed".
// Usage: node drive.mjs <base url> <label>
const [base, label] = process.argv.slice(2);
const PASSWORD = 'sample-password';
let passed = 0;
let failed = 0;

async function call(method, path, { token, body, headers = {}, raw } = {}) {
  const response = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined || raw ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json, headers: response.headers };
}

async function check(name, work) {
  try {
    await work();
    passed++;
    console.log(`  ok   ${label}: ${name}`);
  } catch (error) {
    failed++;
    console.log(`  FAIL ${label}: ${name}: ${error.message}`);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** The sample's password step for a user without a factor: a session at once. */
async function login(username) {
  const response = await call('POST', '/auth/login', { body: { username, password: PASSWORD } });
  expect(response.status === 200 && typeof response.body.access_token === 'string', `login ${username}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.access_token;
}

/** Enrols a factor of the method config and confirms it with `code`; returns the user config id. */
async function enrol(token, methodConfigId, config, code) {
  const created = await call('POST', '/api/2fa/user-config/own/create/', { token, body: { method_config_id: methodConfigId, config } });
  expect(created.status === 201, `create ${created.status} ${JSON.stringify(created.body)}`);
  const confirmed = await call('POST', '/api/2fa/user-config/own/confirm/', {
    token,
    body: { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } },
  });
  expect(confirmed.status === 200 && confirmed.body.status === 'confirmed', `confirm ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return created.body.item.id;
}

/** A confirmed step-up confirmation of the factor. */
async function stepUp(token, userConfigId, code) {
  const requested = await call('POST', '/api/2fa/confirmation/request/', { token, body: { user_config_id: userConfigId } });
  expect(requested.status === 201, `request ${requested.status} ${JSON.stringify(requested.body)}`);
  const confirmed = await call('POST', '/api/2fa/confirmation/confirm/', { token, body: { id: requested.body.id, data: { code } } });
  expect(confirmed.status === 200, `confirm ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return requested.body.id;
}

const configs = {};
let alice;
let bob;
let aliceFactor;
let bobPin;

await check('lists the active methods, with and without the trailing slash', async () => {
  const slash = await call('GET', '/api/2fa/method-config/list/active/');
  const bare = await call('GET', '/api/2fa/method-config/list/active');
  expect(slash.status === 200 && bare.status === 200, `statuses ${slash.status} ${bare.status}`);
  expect(
    slash.body
      .map((m) => m.method)
      .sort()
      .join() === 'dummy,email,pin,totp',
    JSON.stringify(slash.body),
  );
  for (const m of slash.body) configs[m.method] = m.id;
});

await check('sign-in: a wrong password gets 401 unauthenticated, a user without a factor a session at once', async () => {
  const wrong = await call('POST', '/auth/login', { body: { username: 'alice', password: 'not-the-password' } });
  expect(wrong.status === 401 && wrong.body.code === 'unauthenticated', `${wrong.status} ${JSON.stringify(wrong.body)}`);
  const invalid = await call('POST', '/auth/login', { body: { username: 'alice' } });
  expect(invalid.status === 400 && invalid.body.code === 'validation_failed', `no password: ${invalid.status} ${JSON.stringify(invalid.body)}`);
  alice = await login('alice');
  bob = await login('bob');
});

await check('a host service injects ConfirmerService', async () => {
  const methods = await call('GET', '/host/methods');
  expect(methods.status === 200 && methods.body.sort().join() === 'dummy,email,pin,totp', JSON.stringify(methods.body));
});

await check('enrols a dummy factor and confirms it', async () => {
  aliceFactor = await enrol(alice, configs.dummy, { code: 'my-code' }, 'my-code');
});

await check('a host route with @RequireTwoFactor() refuses a request without proof', async () => {
  const refused = await call('POST', '/payments/transfer', { token: alice });
  expect(refused.status === 403 && refused.body.code === 'two_factor_required', `${refused.status} ${JSON.stringify(refused.body)}`);
});

await check('steps up once with a confirmed confirmation', async () => {
  const id = await stepUp(alice, aliceFactor, 'my-code');
  const checked = await call('GET', `/api/2fa/confirmation/${id}/check`, { token: alice });
  expect(checked.status === 200 && checked.body.status === 'confirmed', `check ${checked.status}`);
  const passedOnce = await call('POST', '/payments/transfer', { token: alice, headers: { 'x-two-factor-confirmation': id } });
  expect(passedOnce.status === 200 && passedOnce.body.proof === id, `transfer ${passedOnce.status} ${JSON.stringify(passedOnce.body)}`);
  const again = await call('POST', '/payments/transfer', { token: alice, headers: { 'x-two-factor-confirmation': id } });
  expect(again.status === 403, `second transfer ${again.status}`);
});

await check('custom method: a PIN factor is enrolled and judged by the host-defined backend', async () => {
  const created = await call('POST', '/api/2fa/user-config/own/create/', { token: bob, body: { method_config_id: configs.pin, config: { pin: '12' } } });
  expect(created.status === 400 && created.body.code === 'validation_failed', `short PIN: ${created.status} ${JSON.stringify(created.body)}`);
  bobPin = await enrol(bob, configs.pin, { pin: '4711' }, '4711');
  const list = await call('GET', '/api/2fa/user-config/own/list/', { token: bob });
  const pin = list.body.find((item) => item.id === bobPin);
  expect(pin && pin.config?.has_pin === true && !JSON.stringify(pin).includes('pin_hash'), `public view ${JSON.stringify(list.body)}`);
  const requested = await call('POST', '/api/2fa/confirmation/request/', { token: bob, body: { user_config_id: bobPin } });
  const wrong = await call('POST', '/api/2fa/confirmation/confirm/', { token: bob, body: { id: requested.body.id, data: { code: '0000' } } });
  expect(wrong.status === 400 && wrong.body.code === 'confirmation_failed', `wrong PIN ${wrong.status} ${JSON.stringify(wrong.body)}`);
});

await check('step-up by hand: ConfirmerService.use spends a PIN confirmation once', async () => {
  const id = await stepUp(bob, bobPin, '4711');
  const closed = await call('POST', '/payments/close-account', { token: bob, body: { confirmation_id: id } });
  expect(closed.status === 200 && closed.body.closed === true, `close ${closed.status} ${JSON.stringify(closed.body)}`);
  const again = await call('POST', '/payments/close-account', { token: bob, body: { confirmation_id: id } });
  expect(again.status === 403, `second close ${again.status}`);
});

await check('sign-in with a factor: no session before the code, then one session for one right code', async () => {
  const started = await call('POST', '/auth/login', { body: { username: 'alice', password: PASSWORD } });
  expect(started.status === 200 && started.body.two_factor_required === true && !('access_token' in started.body), `login ${JSON.stringify(started.body)}`);
  const factors = started.body.factors;
  expect(factors.length === 1 && factors[0].id === aliceFactor && factors[0].method === 'dummy', `factors ${JSON.stringify(factors)}`);
  const token = started.body.sign_in_token;
  const requested = await call('POST', '/auth/login/request', { body: { sign_in_token: token, user_config_id: aliceFactor } });
  expect(requested.status === 201, `request ${requested.status} ${JSON.stringify(requested.body)}`);
  expect(
    // SignInService's result is a public view, safe to return as it is: never a code, hash or address.
    Object.keys(requested.body).sort().join() === 'attempts_left,challenge,expires_at,id,is_available,status',
    `request answers only the public view: ${JSON.stringify(requested.body)}`,
  );
  const wrong = await call('POST', '/auth/login/confirm', { body: { sign_in_token: token, data: { code: 'wrong' } } });
  expect(wrong.status === 400 && wrong.body.code === 'confirmation_failed', `wrong code ${wrong.status} ${JSON.stringify(wrong.body)}`);
  const done = await call('POST', '/auth/login/confirm', { body: { sign_in_token: token, data: { code: 'my-code' } } });
  expect(done.status === 200 && typeof done.body.access_token === 'string', `confirm ${done.status} ${JSON.stringify(done.body)}`);
  const own = await call('GET', '/api/2fa/user-config/own/list/', { token: done.body.access_token });
  expect(own.status === 200 && own.body.some((item) => item.id === aliceFactor), `the new session ${own.status}`);
  const reused = await call('POST', '/auth/login/confirm', { body: { sign_in_token: token, data: { code: 'my-code' } } });
  expect(reused.status === 401 && reused.body.code === 'sign_in_invalid', `reused token ${reused.status} ${JSON.stringify(reused.body)}`);
  const unknown = await call('POST', '/auth/login/request', { body: { sign_in_token: 'tfs_unknown', user_config_id: aliceFactor } });
  expect(unknown.status === 401 && unknown.body.code === 'sign_in_invalid', `unknown token ${unknown.status} ${JSON.stringify(unknown.body)}`);
});

await check('enrolment policy: admin is refused until a factor is enrolled; others pass', async () => {
  const admin = await login('admin');
  const refused = await call('GET', '/admin/report', { token: admin });
  expect(refused.status === 403 && refused.body.code === 'two_factor_enrollment_required', `before ${refused.status} ${JSON.stringify(refused.body)}`);
  expect(refused.body.details?.methods?.length === 4, `listed methods ${JSON.stringify(refused.body.details)}`);
  const other = await call('GET', '/admin/report', { token: bob });
  expect(other.status === 200, `bob ${other.status} ${JSON.stringify(other.body)}`);
  await enrol(admin, configs.dummy, { code: 'admin-code' }, 'admin-code');
  const allowed = await call('GET', '/admin/report', { token: admin });
  expect(allowed.status === 200 && allowed.body.user === '4', `after ${allowed.status} ${JSON.stringify(allowed.body)}`);
  const anonymous = await call('GET', '/admin/report');
  expect(anonymous.status === 401 && anonymous.body.code === 'unauthenticated', `anonymous ${anonymous.status} ${JSON.stringify(anonymous.body)}`);
});

await check('an email factor is sent through the host EmailSender', async () => {
  const carol = await login('carol');
  const address = `carol-${Math.random().toString(16).slice(2)}@example.com`;
  const created = await call('POST', '/api/2fa/user-config/own/create/', {
    token: carol,
    body: { method_config_id: configs.email, config: { email: address } },
  });
  expect(created.status === 201, `create ${created.status} ${JSON.stringify(created.body)}`);
  const mail = await call('GET', `/dev/mail?to=${encodeURIComponent(address)}`);
  const code = /\b(\d{6})\b/.exec(mail.body[0]?.text ?? '')?.[1];
  expect(code, `no code in ${JSON.stringify(mail.body)}`);
  const confirmed = await call('POST', '/api/2fa/user-config/own/confirm/', {
    token: carol,
    body: { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } },
  });
  expect(confirmed.status === 200, `confirm ${confirmed.status}`);
});

await check('anonymous callers get 401 unauthenticated', async () => {
  const response = await call('GET', '/api/2fa/user-config/own/list/');
  expect(response.status === 401 && response.body.code === 'unauthenticated', `${response.status} ${JSON.stringify(response.body)}`);
});

await check('a body that is not JSON gets a 400 with a code (the global filter)', async () => {
  const response = await call('POST', '/api/2fa/confirmation/confirm/', { token: alice, raw: '{"unterminated":' });
  expect(response.status === 400 && typeof response.body.code === 'string', `${response.status} ${JSON.stringify(response.body)}`);
});

await check('/docs-json lists the module routes and /docs serves Swagger UI', async () => {
  const document = await call('GET', '/docs-json');
  const paths = Object.keys(document.body.paths ?? {});
  for (const path of ['/api/2fa/method-config/list/active', '/api/2fa/confirmation/request', '/payments/transfer', '/auth/login']) {
    expect(
      paths.some((p) => p.replace(/\/$/, '') === path),
      `${path} missing from ${paths.join(', ')}`,
    );
  }
  const ui = await call('GET', '/docs');
  expect(ui.status === 200, `docs ${ui.status}`);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
