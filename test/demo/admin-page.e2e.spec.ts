import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { bootDemo, type DemoHarness } from '../support/demo-harness.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** Issue 11: what the demo serves for its /admin page (the page itself is driven in admin-page.browser.spec.ts). */
describe.each(DATABASE_KINDS)(`demo /admin page files on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  beforeAll(async () => {
    h = await bootDemo(kind);
  });
  afterAll(() => h.close());

  it('serves the page with a policy that allows scripts from the demo only', async () => {
    const page = await h.http.get('/admin').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<script src="/admin/vendor/jsoneditor.js"');
    expect(page.text).not.toMatch(/src="https?:/);
  });

  it('serves the form library from node_modules and the page script, as JavaScript', async () => {
    const library = await h.http.get('/admin/vendor/jsoneditor.js').expect(200);
    expect(library.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(library.text).toContain('JSONEditor');
    const script = await h.http.get('/admin/admin.js').expect(200);
    expect(script.text).toContain('new window.JSONEditor(');
    await h.http.get('/admin/admin.css').expect(200);
  });

  it('keeps the page out of the OpenAPI document', async () => {
    const document = (await h.http.get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/admin'))).toEqual([]);
  });
});
