/**
 * The passkey page's browser code (plain JavaScript, served as /demo/passkeys/app.js).
 * It uses @simplewebauthn/browser's `startRegistration` and `startAuthentication`
 * and the module's REST API only; `window.demo` exposes the steps to the browser tests.
 */
export const PASSKEYS_PAGE_SCRIPT = String.raw`'use strict';
(() => {
  const API = '/api/v1/auth/2factor';
  const { startRegistration, startAuthentication } = window.SimpleWebAuthnBrowser;
  const state = { token: null, lastAssertion: null };
  const $ = (id) => document.getElementById(id);

  function log(message, kind) {
    const line = document.createElement('li');
    line.textContent = message;
    line.className = kind || 'info';
    $('log').prepend(line);
    $('status').textContent = message;
    $('status').className = kind || 'info';
  }

  async function api(method, path, body, headers) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ 'Content-Type': 'application/json' }, state.token ? { Authorization: 'Bearer ' + state.token } : {}, headers || {}),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  function ok(result, what) {
    if (result.status < 400) return result.body;
    const error = new Error(what + ' failed: ' + result.status + ' ' + ((result.body && result.body.code) || ''));
    error.result = result;
    throw error;
  }

  async function signIn(username, password) {
    const answer = ok(await api('POST', '/api/v1/auth/login', { username, password }), 'Sign-in');
    const body = answer.two_factor_required ? await secondStep(answer) : answer;
    state.token = body.access_token;
    log('Signed in as ' + username + '.', 'ok');
    $('register').disabled = false;
    await refresh();
  }

  /** A user with a factor finishes signing in with it, a passkey or a code (second-step.js). */
  async function secondStep(pending) {
    $('password-step').hidden = true;
    log('Your password was right: now confirm with one of your factors.', 'info');
    try {
      return await window.SecondStep.run($('second-step'), pending, 3);
    } finally {
      $('password-step').hidden = false;
    }
  }

  async function factors() {
    return ok(await api('GET', API + '/user-config/own/list/'), 'Listing your factors');
  }

  async function passkeys() {
    return (await factors()).filter((factor) => factor.method_config.method === 'webauthn');
  }

  async function refresh() {
    const mine = await passkeys();
    const list = $('factors');
    list.replaceChildren(...mine.map((factor) => {
      const item = document.createElement('li');
      const c = factor.config;
      // The user's nickname for it (when set), then the key's own label; last used: the factor's last right answer.
      item.textContent = (factor.nickname && factor.nickname !== c.label ? factor.nickname + ': ' : '') +
        c.label + ' — ' + factor.status + (c.transports.length ? ' (' + c.transports.join(', ') + ')' : '') +
        ', registered ' + (c.registered_at || factor.created_at) + (factor.last_used_at ? ', last used ' + factor.last_used_at : ', never used');
      item.dataset.id = String(factor.id);
      return item;
    }));
    if (mine.length === 0) list.innerHTML = '<li>No passkeys yet.</li>';
    const select = $('passkey');
    select.replaceChildren(...mine.filter((factor) => factor.is_available).map((factor) => new Option(factor.config.label + ' #' + factor.id, String(factor.id))));
    $('sensitive').disabled = select.options.length === 0;
  }

  async function methodConfigId() {
    const methods = ok(await api('GET', API + '/method-config/list/active/'), 'Listing methods');
    const found = methods.find((method) => method.method === 'webauthn');
    if (!found) throw new Error('No active webauthn method config.');
    return found.id;
  }

  /** Step-up with one passkey: a challenge from the server, the browser's assertion, the server's verdict. Returns the confirmation id. */
  async function stepUp(userConfigId) {
    const requested = ok(await api('POST', API + '/confirmation/request/', { user_config_id: userConfigId }), 'Requesting a challenge');
    const assertion = await startAuthentication({ optionsJSON: requested.challenge.request_options });
    state.lastAssertion = assertion;
    ok(await api('POST', API + '/confirmation/confirm/', { id: requested.id, data: assertion }), 'Confirming with your passkey');
    return requested.id;
  }

  /** Adding a factor once you have one needs a proof from an existing one. */
  async function proofForAdding() {
    const available = (await factors()).filter((factor) => factor.is_available);
    if (available.length === 0) return {};
    const passkey = available.find((factor) => factor.method_config.method === 'webauthn');
    if (!passkey) throw new Error('Confirm with one of your other factors first (Swagger UI at /docs).');
    return { 'X-Two-Factor-Confirmation': await stepUp(passkey.id) };
  }

  /** Enrols and registers a passkey; a test may bring its own step-up proof and method config. */
  async function register(label, proof, methodConfig) {
    const headers = proof || (await proofForAdding());
    const created = ok(await api('POST', API + '/user-config/own/create/', { method_config_id: methodConfig || (await methodConfigId()), config: label ? { label } : {} }, headers), 'Enrolling');
    const attestation = await startRegistration({ optionsJSON: created.enrollment.creation_options });
    const item = ok(await api('POST', API + '/user-config/own/confirm/', { id: created.item.id, confirmation_id: created.confirmation_id, data: attestation }), 'Registering');
    log('Registered "' + item.config.label + '".', 'ok');
    await refresh();
    return item.id;
  }

  async function sensitiveAction(userConfigId) {
    const id = await stepUp(Number(userConfigId || $('passkey').value));
    const body = ok(await api('POST', '/api/v1/account/sensitive-action', undefined, { 'X-Two-Factor-Confirmation': id }), 'The sensitive action');
    log('Sensitive action: ' + body.status + ' (confirmation ' + id + ').', 'ok');
    await refresh();
    return id;
  }

  /** Runs a button's step and reports failures on the page instead of throwing. */
  const run = (step) => async () => {
    try {
      await step();
    } catch (error) {
      log((error && error.name && error.name !== 'Error' ? error.name + ': ' : '') + (error && error.message ? error.message : String(error)), 'error');
    }
  };
  $('sign-in').addEventListener('click', run(() => signIn($('username').value, $('password').value)));
  $('register').addEventListener('click', run(() => register($('label').value)));
  $('sensitive').addEventListener('click', run(() => sensitiveAction()));

  window.demo = { API, api, state, signIn, factors, passkeys, register, stepUp, sensitiveAction, startAuthentication, startRegistration };
})();
`;
