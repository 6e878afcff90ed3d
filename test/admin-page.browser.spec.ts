import type { Browser, Page } from 'playwright-core';
import { API, bootDemo, type DemoHarness } from './support/demo-harness.js';
import { launchChromium, listen } from './support/chromium.js';
import { DATABASE_KINDS } from './support/test-database.js';

/** Issue 11: the demo's /admin page in headless Chromium edits global configs through the JSON-schema form. */
describe.each(DATABASE_KINDS)('admin page in Chromium on %s', (kind) => {
  let h: DemoHarness;
  let browser: Browser;
  let page: Page;
  let base: string;
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
    await page.goto(`${base}/admin`);
    await page.fill('input[name="password"]', 'demo-password');
    await page.click('#sign-in button[type="submit"]');
    await page.waitForSelector('body[data-ready="true"]');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const section = (method: string) => page.locator(`section.method-config[data-method="${method}"]`);
  const activeList = async () => (await h.http.get(`${API}/method-config/list/active/`).expect(200)).body as Array<{ method: string; title: string }>;
  async function setField(method: string, name: string, value: string): Promise<void> {
    const input = section(method).locator(`[name="${name}"]`);
    await input.fill(value);
    await input.press('Tab'); // json-editor takes a value on change
  }

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

  it('ran without a script error or a blocked resource; the only failed request is the provoked 400', () => {
    expect(problems).toEqual([expect.stringMatching(/^400 PUT \/api\/v1\/auth\/2factor\/admin\/method-config\/\d+\/update\/$/)]);
  });
});
