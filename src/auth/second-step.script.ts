/**
 * The demo pages' second sign-in step (plain JavaScript, served as /demo/sign-in/second-step.js):
 * `window.SecondStep.run(container, pending)` takes the login answer `{ two_factor_required, sign_in_token, factors }`,
 * lets the person pick a factor, asks login/request for its confirmation, then takes a typed code or runs
 * the passkey ceremony (@simplewebauthn/browser, loaded before this script), and resolves with login/confirm's
 * `{ access_token }`. "I lost my factors" (issue 22) starts a recovery (login/recovery/start), takes an admin's access
 * code (login/access-code), cancels a recovery with the code of its notice, and — once a recovery's wait is over or an
 * access code opened it — enrols a new factor (login/enrollment, login/enrollment/confirm) and resolves with that token
 * (`run(container, pending, 3)` for an h3 heading). It rejects when the person starts over or the sign-in is no longer valid (401):
 * the page then shows its password form again. Used by /admin and /demo/passkeys.
 */
export const SECOND_STEP_SCRIPT = String.raw`'use strict';
(() => {
  const LOGIN = '/api/v1/auth/login';
  /** What each method is, for a person choosing. */
  const KIND = {
    totp: 'authenticator app',
    webauthn: 'passkey or security key',
    email: 'code by email',
    sms: 'code by text message',
    backup_codes: 'backup code',
    dummy: 'demo code',
  };
  const PROMPT = {
    totp: 'Enter the code your authenticator app shows now.',
    backup_codes: 'Enter one of your unused backup codes.',
    dummy: 'Enter the code of your demo factor.',
  };

  async function post(path, body) {
    const response = await fetch(LOGIN + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw Object.assign(new Error((data && data.message) || response.statusText), { status: response.status, body: data });
    return data;
  }

  /** A wrong code says how many tries are left; the API's message is already in the page's language. */
  function describe(error) {
    const left = error.body && error.body.details && error.body.details.attempts_left;
    if (typeof left === 'number') return error.message + ' ' + left + (left === 1 ? ' attempt' : ' attempts') + ' left.';
    if (error.ceremony) return 'Your passkey or security key did not answer (' + error.name + '). Try again, or choose another factor.';
    return error.message;
  }

  const MARKUP =
    '<form class="second-step-choose">' +
    '<h2 tabindex="-1" class="second-step-heading">Confirm it is you</h2>' +
    '<p>Your password was right. Finish signing in with one of your factors.</p>' +
    '<fieldset><legend>Sign in with</legend><div class="factors"></div></fieldset>' +
    '<button type="submit">Continue</button> <button type="button" class="start-over">Start over</button>' +
    '</form>' +
    '<form class="second-step-code" hidden>' +
    '<p class="prompt" id="second-step-prompt"></p>' +
    '<label>Code <input name="code" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required aria-describedby="second-step-prompt"></label> ' +
    '<button type="submit">Sign in</button> <button type="button" class="other-factor">Choose another factor</button>' +
    '</form>' +
    '<details class="second-step-lost"><summary>I lost my factors</summary>' +
    '<p class="recovery-state"></p><p><button type="button" class="enrol-now" hidden>Enrol a new factor</button></p>' +
    '<p><button type="button" class="start-recovery">Start a recovery</button> We tell your email and phone factors and your account address at once; ' +
    'you can enrol a new factor after a waiting period, unless you cancel it. Then your old factors and remembered devices stop working.</p>' +
    '<form class="access-code-form"><label>Temporary access code from an admin <input name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" required></label> ' +
    '<button type="submit">Use access code</button></form>' +
    '<form class="cancel-form"><label>Got a recovery notice you did not expect? Its code <input name="cancel_code" autocomplete="off" spellcheck="false" required></label> ' +
    '<button type="submit">Cancel the recovery</button></form>' +
    '</details>' +
    '<form class="second-step-enrol" hidden>' +
    '<p>Enrol a new factor. Once you confirm it, your old factors and remembered devices stop working.</p>' +
    '<label>Method <select name="method_config_id"></select></label> ' +
    '<label class="enrol-value">Value <input name="value"></label> ' +
    '<button type="submit">Enrol</button>' +
    '</form>' +
    '<form class="second-step-enrol-code" hidden>' +
    '<p class="enrol-prompt"></p><img class="enrol-qr" alt="QR code for your authenticator app" hidden>' +
    '<label>Code <input name="code" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required></label> ' +
    '<button type="submit">Confirm and sign in</button>' +
    '</form>' +
    '<p class="second-step-status" role="status" aria-live="polite"></p>' +
    '<p class="error second-step-error" role="alert"></p>';

  /** headingLevel: the level of the step's heading where the page shows it (2 by default). */
  function run(container, pending, headingLevel) {
    return new Promise((resolve, reject) => {
      container.innerHTML = headingLevel ? MARKUP.replace(/h2/g, 'h' + headingLevel) : MARKUP;
      container.hidden = false;
      const find = (selector) => container.querySelector(selector);
      const [choose, codeForm] = [find('.second-step-choose'), find('.second-step-code')];
      const say = (text) => (find('.second-step-status').textContent = text);
      const fail = (text) => (find('.second-step-error').textContent = text);
      let factor = null;

      // Each factor by its nickname (else its method config's title), and when it was last used: factors of one kind told apart.
      pending.factors.forEach((item, index) => {
        const label = document.createElement('label');
        const radio = Object.assign(document.createElement('input'), { type: 'radio', name: 'factor', value: String(item.id), checked: index === 0 });
        const kind = KIND[item.method] || item.method;
        label.append(radio, ' ' + item.title + (item.title.toLowerCase() === kind ? '' : ' (' + kind + ')') + (item.destination ? ', ' + item.destination : ''));
        const used = Object.assign(document.createElement('small'), {
          id: 'second-step-used-' + item.id,
          className: 'last-used',
          textContent: item.last_used_at ? 'last used ' + new Date(item.last_used_at).toLocaleString() : 'never used',
        });
        radio.setAttribute('aria-describedby', used.id);
        const row = document.createElement('div');
        row.append(label, ' ', used);
        find('.factors').append(row);
      });

      function finish(outcome, value) {
        container.replaceChildren();
        container.hidden = true;
        outcome(value);
      }
      /** A dead sign-in (expired, used, unknown) cannot go on: back to the password. */
      function handle(error) {
        say('');
        if (error.status === 401) finish(reject, error);
        else fail(describe(error));
      }
      function showChoice() {
        codeForm.hidden = true;
        choose.hidden = false;
        find('.second-step-choose input:checked').focus();
      }

      choose.addEventListener('submit', async (event) => {
        event.preventDefault();
        fail('');
        factor = pending.factors.find((item) => String(item.id) === new FormData(choose).get('factor'));
        const button = find('.second-step-choose button[type="submit"]');
        button.disabled = true;
        try {
          const requested = await post('/request', { sign_in_token: pending.sign_in_token, user_config_id: factor.id });
          if (factor.method === 'webauthn') {
            say('Use your passkey or security key now.');
            const assertion = await window.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: requested.challenge.request_options }).catch((error) => {
              throw Object.assign(error, { ceremony: true });
            });
            say('Checking…');
            return finish(resolve, await post('/confirm', { sign_in_token: pending.sign_in_token, data: assertion }));
          }
          const sentTo = requested.challenge && requested.challenge.destination;
          find('.prompt').textContent = sentTo ? 'We sent a code to ' + sentTo + '. Enter it here.' : PROMPT[factor.method] || 'Enter the code.';
          say('');
          choose.hidden = true;
          codeForm.hidden = false;
          codeForm.elements.code.value = '';
          codeForm.elements.code.focus();
        } catch (error) {
          handle(error);
        } finally {
          button.disabled = false;
        }
      });

      codeForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        fail('');
        const input = codeForm.elements.code;
        const button = find('.second-step-code button[type="submit"]');
        button.disabled = true;
        try {
          finish(resolve, await post('/confirm', { sign_in_token: pending.sign_in_token, data: { code: input.value.trim() } }));
        } catch (error) {
          handle(error);
          // Five wrong codes lock this confirmation: a new one is requested from the choice.
          if (error.body && error.body.code === 'confirmation_locked') showChoice();
          else input.select();
        } finally {
          button.disabled = false;
        }
      });

      // Issue 22: "I lost my factors".
      const ENROLLABLE = { totp: 'Authenticator app', email: 'Email address', sms: 'Phone number (E.164)', dummy: 'Demo code of your choice' };
      const enrolForm = find('.second-step-enrol');
      const enrolCode = find('.second-step-enrol-code');
      let enrolled = null;
      function showRecovery(recovery) {
        if (!recovery) return;
        find('.recovery-state').textContent = recovery.enrollment_open
          ? 'Your recovery waited its time: enrol a new factor now.'
          : 'A recovery of this account is running: you can enrol a new factor from ' + new Date(recovery.not_before).toLocaleString() + '.';
      }
      async function openEnrolment() {
        const configs = await fetch('/api/v1/auth/2factor/method-config/list/active/').then((response) => response.json());
        const select = enrolForm.elements.method_config_id;
        select.replaceChildren();
        for (const config of configs.filter((item) => item.method in ENROLLABLE)) {
          select.append(Object.assign(document.createElement('option'), { value: String(config.id), textContent: config.title || config.verbose_name }));
          select.lastChild.dataset.method = config.method;
        }
        const sync = () => {
          const method = select.selectedOptions[0] && select.selectedOptions[0].dataset.method;
          find('.enrol-value').hidden = method === 'totp';
          find('.enrol-value').firstChild.textContent = (ENROLLABLE[method] || 'Value') + ' ';
        };
        select.onchange = sync;
        sync();
        choose.hidden = true;
        codeForm.hidden = true;
        find('.second-step-lost').hidden = true;
        enrolForm.hidden = false;
        select.focus();
      }
      enrolForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        fail('');
        const select = enrolForm.elements.method_config_id;
        const method = select.selectedOptions[0].dataset.method;
        const value = enrolForm.elements.value.value.trim();
        const config = method === 'email' ? { email: value } : method === 'sms' ? { phone: value } : method === 'dummy' ? { code: value } : {};
        try {
          enrolled = await post('/enrollment', { sign_in_token: pending.sign_in_token, method_config_id: Number(select.value), config });
          const qr = find('.enrol-qr');
          qr.hidden = !(enrolled.enrollment && enrolled.enrollment.qr_code);
          if (!qr.hidden) qr.src = enrolled.enrollment.qr_code;
          find('.enrol-prompt').textContent =
            method === 'totp' ? 'Scan the QR code with your authenticator app, then enter the code it shows.' : method === 'dummy' ? 'Enter your demo code again.' : 'We sent a code to ' + value + '. Enter it here.';
          enrolForm.hidden = true;
          enrolCode.hidden = false;
          enrolCode.elements.code.focus();
        } catch (error) {
          handle(error);
        }
      });
      enrolCode.addEventListener('submit', async (event) => {
        event.preventDefault();
        fail('');
        try {
          finish(
            resolve,
            await post('/enrollment/confirm', {
              sign_in_token: pending.sign_in_token,
              id: enrolled.item.id,
              confirmation_id: enrolled.confirmation_id,
              data: { code: enrolCode.elements.code.value.trim() },
            }),
          );
        } catch (error) {
          handle(error);
        }
      });
      find('.start-recovery').addEventListener('click', async () => {
        fail('');
        try {
          const started = await post('/recovery/start', { sign_in_token: pending.sign_in_token });
          showRecovery({ not_before: started.not_before, enrollment_open: false });
        } catch (error) {
          handle(error);
        }
      });
      find('.access-code-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        fail('');
        try {
          await post('/access-code', { sign_in_token: pending.sign_in_token, code: event.target.elements.code.value.trim() });
          await openEnrolment();
        } catch (error) {
          handle(error);
        }
      });
      find('.cancel-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        fail('');
        try {
          await post('/recovery/cancel', { cancel_code: event.target.elements.cancel_code.value.trim() });
          say('The recovery is cancelled. Change your password: whoever started it knows it.');
        } catch (error) {
          handle(error);
        }
      });
      showRecovery(pending.recovery);
      if (pending.recovery && pending.recovery.enrollment_open) {
        find('.second-step-lost').open = true;
        find('.enrol-now').hidden = false;
      }
      find('.enrol-now').addEventListener('click', () => openEnrolment().catch(handle));
      if (pending.factors.length === 0) choose.hidden = true;

      find('.other-factor').addEventListener('click', () => {
        fail('');
        showChoice();
      });
      find('.start-over').addEventListener('click', () => finish(reject, Object.assign(new Error('Signing in was cancelled.'), { cancelled: true })));
      find('.second-step-heading').focus();
    });
  }

  window.SecondStep = { run };
})();
`;
