// Drives the consumer fixture over HTTP like a client would; prints "N passed, M failed".
// Usage: node drive.mjs <base url> <label>
const [base, label] = process.argv.slice(2);
let passed = 0;
let failed = 0;

async function call(method, path, { user, body, headers = {}, raw } = {}) {
  const response = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
    method,
    headers: { ...(user ? { 'x-user': user } : {}), ...(body !== undefined || raw ? { 'content-type': 'application/json' } : {}), ...headers },
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

const user = `u-${Math.random().toString(16).slice(2)}`;
let dummy;
let factor;

await check('lists the active methods, with and without the trailing slash', async () => {
  const slash = await call('GET', '/api/2fa/method-config/list/active/');
  const bare = await call('GET', '/api/2fa/method-config/list/active');
  expect(slash.status === 200 && bare.status === 200, `statuses ${slash.status} ${bare.status}`);
  expect(
    slash.body
      .map((m) => m.method)
      .sort()
      .join() === 'dummy,email,totp',
    JSON.stringify(slash.body),
  );
  dummy = slash.body.find((m) => m.method === 'dummy').id;
});

await check('a host service injects ConfirmerService', async () => {
  const methods = await call('GET', '/host/methods');
  expect(methods.status === 200 && methods.body.sort().join() === 'dummy,email,totp', JSON.stringify(methods.body));
});

await check('enrols a dummy factor and confirms it', async () => {
  const created = await call('POST', '/api/2fa/user-config/own/create/', { user, body: { method_config_id: dummy, config: { code: 'my-code' } } });
  expect(created.status === 201, `create ${created.status} ${JSON.stringify(created.body)}`);
  const confirmed = await call('POST', '/api/2fa/user-config/own/confirm', {
    user,
    body: { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: 'my-code' } },
  });
  expect(confirmed.status === 200 && confirmed.body.status === 'confirmed', `confirm ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  factor = created.body.item.id;
});

await check('a host route with @RequireTwoFactor() refuses a request without proof', async () => {
  const refused = await call('POST', '/host/transfer', { user });
  expect(refused.status === 403 && refused.body.code === 'two_factor_required', `${refused.status} ${JSON.stringify(refused.body)}`);
});

await check('steps up once with a confirmed confirmation', async () => {
  const requested = await call('POST', '/api/2fa/confirmation/request/', { user, body: { user_config_id: factor } });
  expect(requested.status === 201, `request ${requested.status}`);
  const confirmed = await call('POST', '/api/2fa/confirmation/confirm/', { user, body: { id: requested.body.id, data: { code: 'my-code' } } });
  expect(confirmed.status === 200, `confirm ${confirmed.status}`);
  const checked = await call('GET', `/api/2fa/confirmation/${requested.body.id}/check`, { user });
  expect(checked.status === 200 && checked.body.status === 'confirmed', `check ${checked.status}`);
  const passedOnce = await call('POST', '/host/transfer', { user, headers: { 'x-two-factor-confirmation': requested.body.id } });
  expect(passedOnce.status === 200 && passedOnce.body.proof === requested.body.id, `transfer ${passedOnce.status} ${JSON.stringify(passedOnce.body)}`);
  const again = await call('POST', '/host/transfer', { user, headers: { 'x-two-factor-confirmation': requested.body.id } });
  expect(again.status === 403, `second transfer ${again.status}`);
});

await check('an email factor is sent through the host EmailSender', async () => {
  const other = `${user}-mail`;
  const list = await call('GET', '/api/2fa/method-config/list/active/');
  const email = list.body.find((m) => m.method === 'email').id;
  const created = await call('POST', '/api/2fa/user-config/own/create/', {
    user: other,
    body: { method_config_id: email, config: { email: `${other}@example.com` } },
  });
  expect(created.status === 201, `create ${created.status} ${JSON.stringify(created.body)}`);
  const mail = await call('GET', `/host/mail?to=${encodeURIComponent(`${other}@example.com`)}`);
  const code = /\b(\d{6})\b/.exec(mail.body[0]?.text ?? '')?.[1];
  expect(code, `no code in ${JSON.stringify(mail.body)}`);
  const confirmed = await call('POST', '/api/2fa/user-config/own/confirm/', {
    user: other,
    body: { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } },
  });
  expect(confirmed.status === 200, `confirm ${confirmed.status}`);
});

await check('anonymous callers get 401 unauthenticated', async () => {
  const response = await call('GET', '/api/2fa/user-config/own/list/');
  expect(response.status === 401 && response.body.code === 'unauthenticated', `${response.status} ${JSON.stringify(response.body)}`);
});

await check('a body that is not JSON gets a 400 with a code (the global filter)', async () => {
  const response = await call('POST', '/api/2fa/confirmation/confirm/', { user, raw: '{"unterminated":' });
  expect(response.status === 400 && typeof response.body.code === 'string', `${response.status} ${JSON.stringify(response.body)}`);
});

await check('/docs-json lists the module routes and /docs serves Swagger UI', async () => {
  const document = await call('GET', '/docs-json');
  const paths = Object.keys(document.body.paths ?? {});
  for (const path of ['/api/2fa/method-config/list/active', '/api/2fa/confirmation/request', '/host/transfer']) {
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
