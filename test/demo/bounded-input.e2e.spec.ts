import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { API, bootDemo, freshUser, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, stepUpProof } from '../support/flows.js';
import { LOGIN, pendingSignIn } from '../support/sign-in.js';
import { tableDigest } from '../support/table-digest.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const ADMIN = `${API}/admin`;
/** One past the largest value of a 32-bit INTEGER id column (PostgreSQL's `integer`): a 500 there before issue 18. */
const TOO_BIG = 2147483648;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Issue 18, "Bounded input": no id, number or string a client can send reaches
 * the database out of range — a path id outside the column's range is 404
 * `not_found`, a body id 400 `validation_failed`, NUL in any string 400, and the
 * admin search's numbers are bounded; for users and admins alike, and nothing changes.
 */
describe.each(DATABASE_KINDS)(`bounded input on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let user: string;
  let auth: { Authorization: string };
  let admin: { Authorization: string };
  let factor: number;
  let dummy: number;

  beforeAll(async () => {
    h = await bootDemo(kind);
    user = freshUser();
    auth = await h.auth(user);
    admin = await h.auth('admin');
    factor = await enrolDummy(h, user, 'right');
    dummy = await methodConfigId(h, 'dummy');
  });
  afterAll(() => h.close());

  const call = (method: Method, path: string, who: object, body?: unknown) => {
    const request = h.http[method](path).set(who as Record<string, string>);
    return body === undefined ? request : request.send(body as object);
  };
  const outcome = (response: { status: number; body: { code?: string } }) => [response.status, response.body.code];

  /** Every route that takes an integer id in its path, with a body it would accept. */
  const pathRoutes = (id: string): Array<[Method, string, object, unknown?]> => [
    ['put', `${API}/user-config/own/${id}/update/`, auth, { title: 'x' }],
    ['patch', `${API}/user-config/own/${id}/update/`, auth, { title: 'x' }],
    ['delete', `${API}/user-config/own/${id}/destroy/`, auth],
    ['put', `${ADMIN}/method-config/${id}/update/`, admin, { title: 'x' }],
    ['patch', `${ADMIN}/method-config/${id}/update/`, admin, { title: 'x' }],
    ['post', `${ADMIN}/method-config/${id}/activate/`, admin],
    ['post', `${ADMIN}/method-config/${id}/deactivate/`, admin],
    ['delete', `${ADMIN}/method-config/${id}/destroy/`, admin],
    ['post', `${ADMIN}/user/${encodeURIComponent(user)}/user-config/${id}/unlock/`, admin],
    ['post', `${ADMIN}/user/${encodeURIComponent(user)}/user-config/${id}/deactivate/`, admin],
    ['delete', `${ADMIN}/user/${encodeURIComponent(user)}/user-config/${id}/destroy/`, admin],
  ];

  it.each([String(TOO_BIG), '99999999999', '9007199254740993', '-1', '0', '1e3', '7.0'])(
    'a path id %s, outside the id columns, is 404 not_found on every route that takes one, and changes nothing',
    async (id) => {
      const before = await tableDigest(h);
      for (const [method, path, who, body] of pathRoutes(id)) {
        expect({ path, outcome: outcome(await call(method, path, who, body)) }).toEqual({ path, outcome: [404, 'not_found'] });
      }
      expect(await tableDigest(h)).toBe(before);
    },
  );

  it('a user id in an admin path that no stored user id can be (NUL, too long) is 404 not_found, and changes nothing', async () => {
    const before = await tableDigest(h);
    for (const userId of [`${user}\u0000`, 'x'.repeat(256)]) {
      const base = `${ADMIN}/user/${encodeURIComponent(userId)}/user-config`;
      // Fastify's router refuses a path parameter longer than its maxParamLength (default 100) itself,
      // before any route runs: 414 with Fastify's own code (docs/operations/input-limits.md).
      const expected = TEST_HTTP_ADAPTER === 'fastify' && userId.length > 100 ? [414, 'FST_ERR_MAX_PARAM_LENGTH'] : [404, 'not_found'];
      for (const [method, path] of [
        ['get', `${base}/list/`],
        ['post', `${base}/${factor}/unlock/`],
        ['post', `${base}/${factor}/deactivate/`],
        ['delete', `${base}/${factor}/destroy/`],
      ] as Array<[Method, string]>) {
        expect({ path, outcome: outcome(await call(method, path, admin)) }).toEqual({ path, outcome: expected });
      }
    }
    expect(await tableDigest(h)).toBe(before);
  });

  /** Every body field that names a row by id, with a body that is valid but for it. */
  const bodyIds = (id: number, proof: object): Array<[string, string, object, object]> => [
    ['method_config_id', `${API}/user-config/own/create/`, { ...auth, ...proof }, { method_config_id: id, config: { code: 'c' } }],
    ['id', `${API}/user-config/own/confirm/`, auth, { id, confirmation_id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { code: 'c' } }],
    ['method_config_id', `${API}/confirmation/request/`, auth, { method_config_id: id }],
    ['user_config_id', `${API}/confirmation/request/`, auth, { user_config_id: id }],
    ['user_config_id', `${API}/confirmation/request/`, auth, { method_config_id: dummy, user_config_id: id }],
    ['method_config_id', `${API}/confirmation/request/`, {}, { method_config_id: id }],
  ];

  it.each([TOO_BIG, 2 ** 53, -1, 0])('a body id %s is 400 validation_failed naming the field, and changes nothing', async (id) => {
    // A step-up proof for create, so that only the id stands between the request and a new factor.
    const proof = await stepUpProof(h, user);
    const before = await tableDigest(h);
    for (const [field, path, who, body] of bodyIds(id, proof)) {
      const response = await call('post', path, who, body);
      expect({ path, field, outcome: outcome(response) }).toEqual({ path, field, outcome: [400, 'validation_failed'] });
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await tableDigest(h)).toBe(before);
  });

  it("the demo's login/request refuses a user_config_id beyond the column with 400, and the sign-in stays usable", async () => {
    const alice = await enrolDummy(h, 'alice', 'alice-code');
    const { token } = await pendingSignIn(h, 'alice');
    const before = await tableDigest(h);
    const refused = await h.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: TOO_BIG });
    expect(outcome(refused)).toEqual([400, 'validation_failed']);
    expect(await tableDigest(h)).toBe(before);
    await h.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: alice }).expect(201);
  });

  it('NUL in a string is 400 validation_failed wherever a client sends one (titles, configs, codes, queries), and changes nothing', async () => {
    const email = await methodConfigId(h, 'email');
    const proved = { ...auth, ...(await stepUpProof(h, user)) };
    const before = await tableDigest(h);
    const refusals: Array<[string, () => Promise<{ status: number; body: { code?: string } }>]> = [
      [
        'create title',
        async () => call('post', `${API}/user-config/own/create/`, proved, { method_config_id: dummy, config: { code: 'c' }, title: 'a\u0000b' }),
      ],
      [
        'create config',
        async () => call('post', `${API}/user-config/own/create/`, proved, { method_config_id: email, config: { email: 'a\u0000@example.com' } }),
      ],
      ['update title', async () => call('put', `${API}/user-config/own/${factor}/update/`, auth, { title: '\u0000' })],
      ['patch title', async () => call('patch', `${API}/user-config/own/${factor}/update/`, auth, { title: 'x\u0000' })],
      [
        'confirm code',
        async () => call('post', `${API}/confirmation/confirm/`, auth, { id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { code: '\u0000' } }),
      ],
      ['request data', async () => call('post', `${API}/confirmation/request/`, {}, { method_config_id: email, data: { email: 'b\u0000@example.com' } })],
      ['a key', async () => call('post', `${API}/confirmation/confirm/`, auth, { id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { ['c\u0000']: 'x' } })],
      ['admin create title', async () => call('post', `${ADMIN}/method-config/create/`, admin, { method: 'dummy', title: 'T\u0000' })],
      ['admin update title', async () => call('put', `${ADMIN}/method-config/${dummy}/update/`, admin, { title: 'T\u0000' })],
      [
        'admin search user_id',
        async () =>
          h.http
            .get(`${ADMIN}/confirmation/search/`)
            .query({ user_id: `${user}\u0000` })
            .set(admin),
      ],
      ['login username', async () => h.http.post(LOGIN).send({ username: 'alice\u0000', password: 'demo-password' })],
    ];
    for (const [what, send] of refusals) expect({ what, outcome: outcome(await send()) }).toEqual({ what, outcome: [400, 'validation_failed'] });
    expect(await tableDigest(h)).toBe(before);
  });

  describe('admin confirmation search', () => {
    const search = (query: Record<string, string | number>) => h.http.get(`${ADMIN}/confirmation/search/`).query(query).set(admin);

    it.each<Record<string, string | number>>([
      { page: '1000000000000000' },
      { page: '1e300' },
      { page: 1000001 },
      { page_size: 201 },
      { min_age_seconds: '100000000000000000000' },
      { max_age_seconds: '9007199254740993' },
      { min_age_seconds: 3153600001 },
      { method_config_id: TOO_BIG },
      { user_config_id: TOO_BIG },
      { user_config_id: '1e10' },
      { user_id: 'u'.repeat(256) },
    ])('refuses %j with 400 validation_failed', async (query) => {
      const response = await search(query);
      expect(outcome(response)).toEqual([400, 'validation_failed']);
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toEqual(Object.keys(query));
    });

    it('accepts the bounds themselves', async () => {
      for (const query of [
        { page: 1000000 } as Record<string, number>,
        { min_age_seconds: 3153600000, max_age_seconds: 3153600000 },
        { method_config_id: 2147483647, user_config_id: 2147483647 },
      ]) {
        expect((await search(query)).status).toBe(200);
      }
    });
  });
});
