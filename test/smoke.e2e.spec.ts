import { bootDemo, API, type DemoHarness } from './support/demo-harness.js';
import { enrolDummy, requestFor } from './support/flows.js';
import { DATABASE_KINDS } from './support/test-database.js';

describe.each(DATABASE_KINDS)('smoke on %s', (kind) => {
  let h: DemoHarness;
  beforeAll(async () => {
    h = await bootDemo(kind);
  });
  afterAll(() => h.close());

  it('enrols, requests and confirms a dummy factor', async () => {
    const id = await enrolDummy(h, 'alice');
    const confirmationId = await requestFor(h, 'alice', id);
    const response = await h.http.post(`${API}/confirmation/confirm/`).set(await h.auth('alice')).send({ id: confirmationId, data: { code: 'my-secret-code' } }).expect(200);
    expect(response.body).toMatchObject({ id: confirmationId, status: 'confirmed', is_available: true });
  });
});
