import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import type { Browser, Page } from 'playwright-core';
import { API, bootDemo, type DemoHarness } from '../support/demo-harness.js';
import { launchChromium, listen } from '../support/chromium.js';
import { generateSync } from 'otplib';
import { enrolDummy, methodConfigId, stepUpProof } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/**
 * Issue 11: the demo's /admin page in headless Chromium edits global configs through the JSON-schema form.
 * Issue 18: `admin` has enrolled a factor, as the demo's policy requires, so the page signs in with the second step.
 */
describe.each(DATABASE_KINDS)(`admin page in Chromium on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let browser: Browser;
  let page: Page;
  let base: string;
  /** The admin's authenticator app: the seed it scanned and the last step whose code was spent. */
  let totp: { id: number; secret: string; spent: number };
  const problems: string[] = [];

  beforeAll(async () => {
    // A long method-config cache: the edit must show at once because the admin change forgets it.
    h = await bootDemo(kind, { twoFactor: { methodConfigCacheSeconds: 3600, anonymousRequestsPerIpPerHour: 1000 } });
    base = await listen(h);
    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(10000);
    // Script errors, CSP violations and failed loads show up here; the page must have none but the 400 it provokes.
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    });
    // Enrolled through the API: a demo code, then (proving it) an authenticator app, so the page has a choice to offer.
    await enrolDummy(h, 'admin', 'admin-code');
    totp = await enrolTotp();
    await page.goto(`${base}/admin`);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const codeAt = (secret: string, step: number) => generateSync({ secret, epoch: step * 30, period: 30, digits: 6, algorithm: 'sha1' });
  const currentStep = () => Math.floor(Date.now() / 30_000);
  /** A code that is none of the codes of the steps around now. */
  const wrongCode = (secret: string) => {
    const near = new Set([-2, -1, 0, 1, 2, 3].map((offset) => codeAt(secret, currentStep() + offset)));
    return ['000000', '111111', '222222', '333333', '444444', '555555', '666666'].find((candidate) => !near.has(candidate))!;
  };

  /** Enrols and confirms TOTP for admin as an authenticator app would: scans the URI's seed and answers the current code. */
  async function enrolTotp(): Promise<{ id: number; secret: string; spent: number }> {
    const auth = await h.auth('admin');
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(auth)
      .set(await stepUpProof(h, 'admin'))
      .send({ method_config_id: await methodConfigId(h, 'totp'), config: {} })
      .expect(201);
    const secret = new URL(created.body.enrollment.otpauth_uri).searchParams.get('secret')!;
    const spent = currentStep();
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(auth)
      .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: codeAt(secret, spent) } })
      .expect(200);
    return { id: created.body.item.id, secret, spent };
  }

  const section = (method: string) => page.locator(`section.method-config[data-method="${method}"]`);
  const activeList = async () => (await h.http.get(`${API}/method-config/list/active/`).expect(200)).body as Array<{ method: string; title: string }>;
  async function setField(method: string, name: string, value: string): Promise<void> {
    const input = section(method).locator(`[name="${name}"]`);
    await input.fill(value);
    await input.press('Tab'); // json-editor takes a value on change
  }

  it('signs an enrolled admin in through the second step: the password, a factor, a wrong code refused, the right one', async () => {
    await page.fill('input[name="password"]', 'demo-password');
    await page.click('#sign-in button[type="submit"]');
    const secondStep = page.locator('#second-step');
    await secondStep.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    expect(await page.locator('#sign-in').isHidden()).toBe(true);
    const choices = secondStep.getByRole('group', { name: 'Sign in with' }).getByRole('radio');
    await choices.nth(1).waitFor();
    expect(await choices.evaluateAll((radios) => radios.map((radio) => radio.parentElement!.textContent))).toEqual([
      ' Dummy (demo code)',
      ' Authenticator app',
    ]);
    await secondStep.getByRole('radio', { name: 'Authenticator app' }).check();
    await secondStep.getByRole('button', { name: 'Continue' }).click();

    const code = secondStep.getByRole('textbox', { name: 'Code' });
    await secondStep.getByText('Enter the code your authenticator app shows now.').waitFor();
    const right = codeAt(totp.secret, Math.max(currentStep(), totp.spent + 1));
    await code.fill(wrongCode(totp.secret));
    await secondStep.getByRole('button', { name: 'Sign in' }).click();
    await secondStep.getByRole('alert').getByText('Confirmation failed. 4 attempts left.').waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    await code.fill(right);
    await secondStep.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await secondStep.isHidden()).toBe(true);
    // The pending sign-in is spent, and the code's step with it: the session came from login/confirm.
    expect(Number((await h.sql('SELECT COUNT(*) AS n FROM two_factor_sign_in'))[0].n)).toBe(0);
    expect(Number((await h.sql('SELECT replay_guard FROM two_factor_user_config WHERE id = ?', [totp.id]))[0].replay_guard)).toBeGreaterThan(totp.spent);
  });

  it('lists every method config, each with a form rendered from its method’s schema', async () => {
    const methods = await page.locator('section.method-config').evaluateAll((sections) => sections.map((element) => element.getAttribute('data-method')));
    expect(methods.sort()).toEqual(['backup_codes', 'dummy', 'email', 'sms', 'totp', 'webauthn']);
    // Rendered by json-editor from the TOTP global schema: an enum becomes a select with its values.
    const digits = await section('totp').locator('select[name="root[config][digits]"] option').allTextContents();
    expect(digits).toEqual(['6', '8']);
    expect(await section('dummy').locator('[name="root[config][code]"]').inputValue()).toBe('dummy-method');
  });

  it('saves an edited title and global config: the change is in method-config/list/active/ and in force at once', async () => {
    await activeList(); // warm the cache
    await setField('dummy', 'root[title]', 'Dummy, edited in the browser');
    await setField('dummy', 'root[config][code]', 'browser-code');
    await section('dummy').locator('button.save').click();
    await section('dummy').locator('.status.saved').waitFor();
    expect((await activeList()).find((item) => item.method === 'dummy')?.title).toBe('Dummy, edited in the browser');
    // The new global code is the one a method-level confirmation expects now.
    const dummyId = (await h.http.get(`${API}/method-config/list/active/`)).body.find((item: { method: string }) => item.method === 'dummy').id;
    const requested = (await h.http.post(`${API}/confirmation/request/`).send({ method_config_id: dummyId }).expect(201)).body;
    await h.http
      .post(`${API}/confirmation/confirm/`)
      .send({ id: requested.id, data: { code: 'browser-code' } })
      .expect(200);
  });

  it('shows the field error of the API’s 400 at the field, and changes nothing', async () => {
    const before = await h.sql("SELECT config, title FROM two_factor_method_config WHERE method = 'totp'");
    await setField('totp', 'root[config][issuer]', 'bad:issuer');
    await section('totp').locator('button.save').click();
    const atField = section('totp').locator('[data-schemapath="root.config.issuer"]');
    await atField.getByText('issuer must not contain a colon').waitFor();
    expect(await section('totp').locator('.field-errors li[data-field="config.issuer"]').textContent()).toBe('config.issuer: issuer must not contain a colon');
    expect(await section('totp').locator('.status').textContent()).toBe('Validation failed.');
    expect(await h.sql("SELECT config, title FROM two_factor_method_config WHERE method = 'totp'")).toEqual(before);
  });

  it('ran without a script error or a blocked resource; the only failed requests are the provoked 400s', () => {
    expect(problems).toEqual([
      '400 POST /api/v1/auth/login/confirm',
      expect.stringMatching(/^400 PUT \/api\/v1\/auth\/2factor\/admin\/method-config\/\d+\/update\/$/),
    ]);
  });
});
