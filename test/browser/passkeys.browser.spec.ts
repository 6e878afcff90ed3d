import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Server } from 'node:http';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { TwoFactorAuditEvent } from 'nestjs-two-factor';
import { alsoServe, freePort, launchChromium, webauthnPage } from '../support/browser.js';
import { bootDemo, freshUser, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, stepUpProof } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** What a page-side step answered: its value, or the error it threw (name and message). */
type Outcome = { ok: true; value: any } | { ok: false; name: string; message: string };

describe.each(DATABASE_KINDS)(`the passkey page in Chromium with a virtual authenticator, on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let browser: Browser;
  let origin: string;
  let otherOrigin: string;
  let other: Server;
  const events: TwoFactorAuditEvent[] = [];

  beforeAll(async () => {
    const [port, otherPort] = [await freePort(), await freePort()];
    origin = `http://localhost:${port}`;
    otherOrigin = `http://localhost:${otherPort}`;
    // Only `origin` is allowed: the same app reached on `otherOrigin` plays a phishing site on another origin with the same rp id.
    h = await bootDemo(kind, { webauthn: { rpId: 'localhost', origins: [origin] } });
    h.app.get(EventEmitter2).onAny((_name: string | string[], event: TwoFactorAuditEvent) => void events.push(event));
    await h.app.listen(port, 'localhost');
    other = await alsoServe(h.app, otherPort);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => other?.close(resolve));
    await h?.close();
  });

  /** The passkey page at `at`, signed in as a fresh user through a token (the UI sign-in has its own test). */
  async function openAs(user: string, at = origin, authenticator: { hasUserVerification?: boolean } = {}) {
    const opened = await webauthnPage(browser);
    const authenticatorId = await opened.addAuthenticator(authenticator);
    await opened.page.goto(`${at}/demo/passkeys`);
    const token = (await h.auth(user)).Authorization.slice('Bearer '.length);
    await opened.page.evaluate((t) => void ((globalThis as any).demo.state.token = t), token);
    return { ...opened, authenticatorId };
  }

  /** Runs `window.demo[step](...args)` in the page; never throws, so a refusal can be asserted. */
  const inPage = (page: Page, step: string, ...args: unknown[]): Promise<Outcome> =>
    page.evaluate(
      async ([name, rest]) => {
        try {
          return { ok: true, value: await (globalThis as any).demo[name as string](...(rest as unknown[])) };
        } catch (error) {
          return { ok: false, name: (error as Error).name, message: (error as Error).message };
        }
      },
      [step, args] as const,
    ) as Promise<Outcome>;

  const credentials = async (cdp: CDPSession, authenticatorId: string) => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

  it('lets a person sign in, register a passkey and pass the sensitive action with it, once', async () => {
    const { page, cdp, authenticatorId } = await webauthnPage(browser).then(async (opened) => ({
      ...opened,
      authenticatorId: await opened.addAuthenticator(),
    }));
    await page.goto(`${origin}/demo/passkeys`);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'demo-password');
    await page.click('#sign-in');
    await page.waitForSelector('#status.ok');
    await page.fill('#label', 'Virtual key');
    await page.click('#register');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#status').textContent.startsWith('Registered'));
    expect(await page.textContent('#status')).toBe('Registered "Virtual key".');
    const [credential] = await credentials(cdp, authenticatorId);
    const [row] = await h.sql(
      "SELECT u.config FROM two_factor_user_config u JOIN two_factor_method_config m ON m.id = u.method_config_id WHERE m.method = 'webauthn' AND u.user_id = '1'",
    );
    expect(Buffer.from(JSON.parse(row.config).credential.id, 'base64url').equals(Buffer.from(credential.credentialId, 'base64'))).toBe(true);
    expect(await page.textContent('#factors')).toContain('Virtual key — confirmed (usb)');

    await page.click('#sensitive');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#status').textContent.startsWith('Sensitive action'));
    const status = (await page.textContent('#status'))!;
    expect(status).toMatch(/^Sensitive action: done \(confirmation [0-9a-f-]{36}\)\.$/);
    // The confirmation let one request through; a second use of it is refused.
    const used = /confirmation ([0-9a-f-]{36})/.exec(status)![1];
    const again = await fetch(`${origin}/api/v1/account/sensitive-action`, {
      method: 'POST',
      headers: { ...(await h.auth('1')), 'X-Two-Factor-Confirmation': used },
    });
    expect(again.status).toBe(403);
    expect(((await again.json()) as { code: string }).code).toBe('two_factor_required');
  });

  it('signs an enrolled admin in through the second step: with the passkey (the ceremony in the browser), then with a code', async () => {
    // admin enrols as the demo's policy asks: a demo code through the API, then (proving it) a passkey on this page.
    const dummy = await enrolDummy(h, 'admin', 'admin-code');
    const { page, cdp, authenticatorId } = await openAs('admin');
    const registered = await inPage(page, 'register', 'Admin key', await stepUpProof(h, 'admin'));
    expect(registered.ok).toBe(true);
    const passkey = (registered as { value: number }).value;
    const [before] = await credentials(cdp, authenticatorId);
    const completed = () => events.filter((event) => event.name === 'two_factor.sign_in.completed');

    /** Reloads the page (no token) and signs in as a person would, up to the choice of factor. */
    const signInWith = async (factor: string) => {
      await page.goto(`${origin}/demo/passkeys`);
      await page.fill('#username', 'admin');
      await page.fill('#password', 'demo-password');
      await page.click('#sign-in');
      const step = page.locator('#second-step');
      const choices = step.getByRole('group', { name: 'Sign in with' }).getByRole('radio');
      // The factor list arrives with the login answer: wait for it (evaluateAll does not wait).
      await choices.nth(1).waitFor();
      expect(await choices.evaluateAll((radios) => radios.map((radio) => radio.parentElement!.textContent))).toEqual([
        ' Dummy (demo code)',
        ' Passkey or security key',
      ]);
      // Beside each choice (described by it, not part of its name): when the factor was last used — both were proven at enrolment.
      expect(await step.locator('.factors .last-used').allTextContents()).toEqual([
        expect.stringMatching(/^last used \S/),
        expect.stringMatching(/^last used \S/),
      ]);
      expect(await step.getByRole('radio', { name: 'Dummy (demo code)' }).getAttribute('aria-describedby')).toBe(`second-step-used-${dummy}`);
      await step.getByRole('radio', { name: factor }).check();
      await step.getByRole('button', { name: 'Continue' }).click();
      return step;
    };

    const step = await signInWith('Passkey or security key');
    await page.waitForSelector('#status.ok');
    expect(await page.textContent('#status')).toBe('Signed in as admin.');
    expect(await step.isHidden()).toBe(true);
    expect(completed().at(-1)).toMatchObject({ userId: '3', userConfigId: passkey });
    // The authenticator signed: its counter moved, and the server kept the new value.
    const [after] = await credentials(cdp, authenticatorId);
    expect(after.signCount).toBeGreaterThan(before.signCount);
    expect(await page.textContent('#factors')).toContain('Admin key — confirmed');

    const byCode = await signInWith('Dummy (demo code)');
    await byCode.getByRole('textbox', { name: 'Code' }).fill('admin-code');
    await byCode.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#status.ok');
    expect(await page.textContent('#status')).toBe('Signed in as admin.');
    expect(completed().at(-1)).toMatchObject({ userId: '3', userConfigId: dummy });
  });

  it('enrols a second authenticator after stepping up with the first; the first cannot enrol twice', async () => {
    const { page, cdp, authenticatorId: first } = await openAs(freshUser());
    const a = await inPage(page, 'register', 'first');
    expect(a.ok).toBe(true);
    // The creation options exclude the first key's credential, so the browser refuses to make a second one on it.
    const twice = await inPage(page, 'register', 'again');
    expect(twice).toMatchObject({ ok: false, name: 'InvalidStateError' });

    const proof = await inPage(page, 'stepUp', (a as { value: number }).value);
    const saved = await credentials(cdp, first);
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    const second = await (
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'usb',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      })
    ).authenticatorId;
    const b = await inPage(page, 'register', 'second', { 'X-Two-Factor-Confirmation': (proof as { value: string }).value });
    expect(b.ok).toBe(true);
    expect((await credentials(cdp, second))[0].credentialId).not.toBe(saved[0].credentialId);
    expect((await inPage(page, 'sensitiveAction', (b as { value: number }).value)).ok).toBe(true);
    // Two proven passkeys (the refused second registration on the first key stays unproven).
    const mine = (await inPage(page, 'passkeys')) as { value: Array<{ is_available: boolean; config: { label: string } }> };
    expect(mine.value.filter((factor) => factor.is_available).map((factor) => factor.config.label)).toEqual(['first', 'second']);
  });

  it('approves a transfer with the passkey, showing its details first; the signed challenge is bound to them', async () => {
    const { page } = await openAs(freshUser());
    const registered = await inPage(page, 'register', 'bank key');
    expect(registered.ok).toBe(true);
    await page.fill('#amount', '120.00');
    await page.fill('#currency', 'EUR');
    await page.fill('#payee', 'ACME Ltd');
    await page.selectOption('#passkey', String((registered as { value: number }).value));
    await page.click('#transfer');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#status').textContent.startsWith('Transferred'));
    expect(await page.textContent('#approving-text')).toBe('transfer: amount 120.00, currency EUR, payee ACME Ltd');
    expect(await page.isVisible('#approving')).toBe(true);
    expect(await page.textContent('#status')).toBe('Transferred 120.00 EUR to ACME Ltd (amr pwd, hwk, mfa).');
    // The same proof for another amount: the bank route refuses it.
    const other = (await page.evaluate(async () => {
      const demo = (globalThis as any).demo;
      const id = await demo.stepUp(Number((globalThis as any).document.querySelector('#passkey').value), {
        action: 'transfer',
        details: { amount: '120.00', currency: 'EUR', payee: 'ACME Ltd' },
      });
      return demo.api('POST', '/api/v1/account/transfer', { amount: '120.01', currency: 'EUR', payee: 'ACME Ltd' }, { 'X-Two-Factor-Confirmation': id });
    })) as { status: number; body: { code: string } };
    expect([other.status, other.body.code]).toEqual([403, 'proof_action_mismatch']);
  });

  it('refuses a registration and a step-up made on another origin', async () => {
    const user = freshUser();
    const phished = await openAs(user, otherOrigin);
    const refused = await inPage(phished.page, 'register', 'phished');
    expect(refused).toMatchObject({ ok: false, message: 'Registering failed: 400 confirmation_failed' });
    expect(events.at(-1)).toMatchObject({ name: 'two_factor.confirmation.failed', reason: 'wrong_origin', userId: user });

    const genuine = await openAs(freshUser());
    const id = (await inPage(genuine.page, 'register', 'genuine')) as { value: number };
    // The same credential, asked for by a page on the other origin (rp id `localhost` fits both).
    const [credential] = await credentials(genuine.cdp, genuine.authenticatorId);
    const elsewhere = await openAs(await userOf(id.value), otherOrigin);
    await elsewhere.cdp.send('WebAuthn.addCredential', { authenticatorId: elsewhere.authenticatorId, credential });
    expect(await inPage(elsewhere.page, 'stepUp', id.value)).toMatchObject({
      ok: false,
      message: 'Confirming with your passkey failed: 400 confirmation_failed',
    });
    expect(events.at(-1)).toMatchObject({ reason: 'wrong_origin', userConfigId: id.value });
  });

  it('refuses a step-up without user verification when the method config requires it', async () => {
    const now = Date.now();
    // No RETURNING (MySQL has none): the title finds the new row.
    await h.sql(
      'INSERT INTO two_factor_method_config (title, method, config, is_active, is_default, created_at, updated_at) VALUES (?, ?, ?, TRUE, FALSE, ?, ?)',
      ['Passkeys (verified)', 'webauthn', JSON.stringify({ rp_id: 'localhost', origins: [origin], user_verification: 'required' }), now, now],
    );
    const [strict] = await h.sql('SELECT id FROM two_factor_method_config WHERE title = ?', ['Passkeys (verified)']);
    const { page, cdp, authenticatorId } = await openAs(freshUser());
    const id = (await inPage(page, 'register', 'verified', undefined, Number(strict.id))) as { ok: boolean; value: number };
    expect(id.ok).toBe(true);
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    // A client that drops the requirement from the options: the authenticator answers without UV, and the server refuses.
    const tampered = await page.evaluate(async (userConfigId) => {
      const demo = (globalThis as any).demo;
      const requested = (await demo.api('POST', demo.API + '/confirmation/request/', { user_config_id: userConfigId })).body;
      const assertion = await demo.startAuthentication({ optionsJSON: { ...requested.challenge.request_options, userVerification: 'discouraged' } });
      return (await demo.api('POST', demo.API + '/confirmation/confirm/', { id: requested.id, data: assertion })).body;
    }, id.value);
    expect(tampered).toMatchObject({ statusCode: 400, code: 'confirmation_failed' });
    expect(events.at(-1)).toMatchObject({ reason: 'user_verification_missing', userConfigId: id.value });
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    expect((await inPage(page, 'sensitiveAction', id.value)).ok).toBe(true);
  });

  it('refuses a replayed assertion', async () => {
    const { page } = await openAs(freshUser());
    const id = ((await inPage(page, 'register', 'replayed')) as { value: number }).value;
    const first = ((await inPage(page, 'stepUp', id)) as { value: string }).value;
    const replays = await page.evaluate(
      async ([userConfigId, confirmed]) => {
        const demo = (globalThis as any).demo;
        const captured = demo.state.lastAssertion;
        const again = await demo.api('POST', demo.API + '/confirmation/confirm/', { id: confirmed, data: captured });
        const fresh = (await demo.api('POST', demo.API + '/confirmation/request/', { user_config_id: userConfigId })).body;
        const onFresh = await demo.api('POST', demo.API + '/confirmation/confirm/', { id: fresh.id, data: captured });
        return [again.status, again.body.code, onFresh.status, onFresh.body.code];
      },
      [id, first] as const,
    );
    expect(replays).toEqual([409, 'already_confirmed', 400, 'confirmation_failed']);
    expect(events.at(-1)).toMatchObject({ reason: 'wrong_challenge', userConfigId: id });
  });

  it('refuses an authenticator whose sign counter went back (a cloned key) and reports it', async () => {
    const user = freshUser();
    const { page, cdp, authenticatorId } = await openAs(user);
    const id = ((await inPage(page, 'register', 'cloned')) as { value: number }).value;
    expect((await inPage(page, 'stepUp', id)).ok).toBe(true);
    expect((await inPage(page, 'stepUp', id)).ok).toBe(true);
    const [credential] = await credentials(cdp, authenticatorId);
    expect(credential.signCount).toBeGreaterThanOrEqual(3);
    // The clone: the same key, its counter some uses behind.
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: credential.credentialId });
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...credential, signCount: credential.signCount - 2 } });
    expect(await inPage(page, 'stepUp', id)).toMatchObject({ ok: false, message: 'Confirming with your passkey failed: 400 confirmation_failed' });
    expect(events.at(-1)).toMatchObject({ name: 'two_factor.confirmation.failed', reason: 'counter_regressed', userConfigId: id, userId: user });
    const [row] = await h.sql('SELECT replay_guard FROM two_factor_user_config WHERE id = ?', [id]);
    expect(Number(row.replay_guard)).toBe(credential.signCount);
  });

  /** The user id of a user config (to open a second page as the same user). */
  async function userOf(userConfigId: number): Promise<string> {
    const [row] = await h.sql('SELECT user_id FROM two_factor_user_config WHERE id = ?', [userConfigId]);
    return row.user_id;
  }
});
