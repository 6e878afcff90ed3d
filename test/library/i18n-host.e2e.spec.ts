import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { ConfirmerService, MethodConfigService, renderMessage, type TwoFactorTranslate } from 'nestjs-two-factor';
import { DevOutbox } from 'nestjs-two-factor/dev';
import { API, bootLibrary, freshUser, type LibraryHarness } from '../support/library-harness.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** A host's own table, as small as a host may start: two French texts, the rest English. */
const FRENCH: Record<string, string> = {
  'error.unauthenticated.message': 'Authentification requise.',
  'sent_code.sms.text': 'Votre code de vérification est {code}. Il expire dans {minutes} minutes.',
};
const hostTranslate: TwoFactorTranslate = (key, params, { language }) => (language === 'fr' && FRENCH[key] ? renderMessage(FRENCH[key], params) : undefined);

/** A host plugs its translations into the module through the `translate` option, without the demo. */
describe.each(DATABASE_KINDS)(`a host’s translations on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;

  beforeAll(async () => {
    // The host reads the language from a header of its own instead of Accept-Language.
    h = await bootLibrary(kind, { twoFactor: { translate: hostTranslate, language: (request) => request.headers?.['x-lang'] } });
  });
  afterAll(() => h.close());

  const phone = () => `+4474009${String(randomBytes(2).readUInt16BE() % 100000).padStart(5, '0')}`;
  const smsConfig = (config: Record<string, unknown> = {}) =>
    h.app.get(MethodConfigService).create({ method: 'sms', config: { resend_cooldown_seconds: 0, max_sends_per_number_per_day: 100, ...config } });
  const sent = (to: string) => h.app.get(DevOutbox).list(to);

  it('answers in the host’s language by the host’s language option, and English for a key it lacks', async () => {
    const translated = await h.http.get(`${API}/user-config/own/list/`).set('X-Lang', 'fr').set('Accept-Language', 'de');
    expect([translated.status, translated.body.code, translated.body.message]).toEqual([401, 'unauthenticated', 'Authentification requise.']);
    // Accept-Language alone means nothing to this host.
    const byAcceptLanguage = await h.http.get(`${API}/user-config/own/list/`).set('Accept-Language', 'fr');
    expect(byAcceptLanguage.body.message).toBe('Authentication required.');
    const missing = await h.http
      .get(`${API}/confirmation/${randomUUID()}/check/`)
      .set(await h.auth(freshUser()))
      .set('X-Lang', 'fr');
    expect([missing.status, missing.body.code, missing.body.message]).toEqual([404, 'not_found', 'Confirmation not found.']);
  });

  it('texts a code in the language the host passes to ConfirmerService (no request involved)', async () => {
    const { id } = await smsConfig();
    const french = phone();
    await h.app.get(ConfirmerService).requestConfirmation({ methodConfigId: id, data: { phone: french }, language: 'fr' });
    expect(sent(french)[0].text).toMatch(/^Votre code de vérification est \d{6}\. Il expire dans 10 minutes\.$/);
    const english = phone();
    await h.app.get(ConfirmerService).requestConfirmation({ methodConfigId: id, data: { phone: english } });
    expect(sent(english)[0].text).toMatch(/^Your verification code is \d{6}\. It expires in 10 minutes\.$/);
  });

  it('keeps an admin’s own SMS text in every language', async () => {
    const { id } = await smsConfig({ text: 'Code {code} for Example.' });
    const to = phone();
    await h.app.get(ConfirmerService).requestConfirmation({ methodConfigId: id, data: { phone: to }, language: 'fr' });
    expect(sent(to)[0].text).toMatch(/^Code \d{6} for Example\.$/);
  });
});
