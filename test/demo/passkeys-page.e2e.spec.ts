import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { bootDemo } from '../support/demo-harness.js';
import { DATABASE_KINDS } from '../support/test-database.js';

describe.each(DATABASE_KINDS)(`the demo passkey page and its relying party on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  it('serves the page, its script and @simplewebauthn/browser from node_modules, to anyone', async () => {
    const h = await bootDemo(kind);
    try {
      const page = await h.http.get('/demo/passkeys').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<script src="/demo/passkeys/simplewebauthn-browser.js"></script>');
      const script = await h.http.get('/demo/passkeys/app.js').expect(200);
      expect(script.headers['content-type']).toMatch(/^text\/javascript/);
      expect(script.text).toContain('startRegistration({ optionsJSON: created.enrollment.creation_options })');
      const bundle = await h.http.get('/demo/passkeys/simplewebauthn-browser.js').expect(200);
      expect(bundle.text).toContain('SimpleWebAuthnBrowser');
      expect(bundle.text).not.toMatch(/https?:\/\/(unpkg|cdn)/);
    } finally {
      await h.close();
    }
  });

  it('seeds the webauthn method config from WEBAUTHN_RP_ID/WEBAUTHN_ORIGINS and follows them at the next start', async () => {
    const first = await bootDemo(kind, { webauthn: { rpId: 'localhost', origins: ['http://localhost:3000'] } });
    const configOf = async () =>
      (await first.sql("SELECT config FROM two_factor_method_config WHERE method = 'webauthn'")).map((row) => JSON.parse(row.config));
    try {
      // Stored as MethodConfigService validated it: the method's defaults filled in beside the seeded fields.
      expect(await configOf()).toEqual([
        expect.objectContaining({ rp_id: 'localhost', rp_name: 'two-factor demo', origins: ['http://localhost:3000'], user_verification: 'preferred' }),
      ]);
      const again = await bootDemo(kind, { db: first.db, webauthn: { rpId: 'localhost', origins: ['http://localhost:8080', 'http://localhost:8081'] } });
      await again.close();
      expect(await configOf()).toEqual([
        expect.objectContaining({ rp_id: 'localhost', rp_name: 'two-factor demo', origins: ['http://localhost:8080', 'http://localhost:8081'] }),
      ]);
    } finally {
      await first.close();
    }
  });
});
