import fc from 'fast-check';
import { API } from './demo-harness.js';

/** One generated request, as it goes on the wire. */
export interface FuzzRequest {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
  path: string;
  /** Which bearer token: none, the fixture's owner, a user with no factors, the demo's admin, or garbage. */
  auth: 'none' | 'owner' | 'stranger' | 'admin' | string;
  headers: Record<string, string>;
  body?: string;
}

/** Ids the fixture knows: the owner's factor, a pending (unconfirmed) confirmation of it. */
export interface FuzzFixture {
  factorId: number;
  pendingId: string;
}

/** Percent-encodes every UTF-8 byte, so any generated string (lone surrogates too) fits in a path. */
const pct = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** Unicode edge cases: lone surrogates, NUL, BOM, RTL override, emoji, combining marks. */
const oddChar = fc.constantFrom('\ud800', '\udc00', '\udfff', '\u0000', '\ufeff', '\u202e', '😀', 'e\u0301', '\u200b', '%', '"', '\\', '\n');
const unit = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), oddChar);
export const hostileString = fc.oneof(
  fc.string({ unit, maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e9',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    'x@example.com',
    '\udc00x@example.com',
    '+15005550006',
    '\u0000',
    'a\u0000b',
    'x\u0000@example.com',
    '2147483648',
    '1e300',
  ),
  fc.integer({ min: 4_000, max: 40_000 }).map((length) => 'a'.repeat(length)),
);

/** Any JSON value, hostile ones weighted in: deep nesting, long arrays, odd strings. */
const deep = fc.tuple(fc.integer({ min: 6, max: 5_000 }), fc.boolean()).map(([depth, arrays]) => ({ deep: depth, arrays }));
const scalar = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(Number.MAX_SAFE_INTEGER + 2));
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.array(fc.integer(), { minLength: 500, maxLength: 3_000 }) },
);

/** Serialises entries by hand, so `__proto__` becomes a real JSON key and deep markers become deep JSON. */
export function toJson(entries: Array<[string, unknown]>): string {
  const encode = (item: unknown): string => {
    if (item && typeof item === 'object' && 'deep' in item && 'arrays' in item) {
      const { deep: depth, arrays } = item as { deep: number; arrays: boolean };
      return arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    }
    return JSON.stringify(item) ?? 'null';
  };
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${encode(item)}`).join(',')}}`;
}

/** Ids past the 32-bit id columns (issue 18: a 500 on PostgreSQL before): they name nothing, and must be refused before the database. */
const bigId = fc.oneof(fc.constantFrom(2147483648, 4294967296, Number.MAX_SAFE_INTEGER), fc.integer({ min: 2147483648, max: Number.MAX_SAFE_INTEGER }));
/** The same in a path, plain digits and beyond what a double holds exactly. */
const bigPathId = fc.oneof(
  fc.constantFrom('2147483648', '4294967295', '99999999999', '9007199254740993', '-2147483649', '0'),
  fc.bigInt({ min: 2147483648n, max: 10n ** 24n }).map(String),
);

/**
 * Wrong values for an id or a flag: never a positive integer up to 2^31 − 1 (an id a row can
 * have) nor a boolean, so no generated body can name a real object or pass as a flag.
 */
const badId = fc.oneof(
  hostileString,
  bigId,
  fc.integer({ max: 0 }),
  fc.double({ noInteger: true }),
  fc.constant(2 ** 60),
  fc.constant(null),
  fc.array(fc.nat(), { maxLength: 3 }),
  fc.constant({ id: 1 }),
);
export const extraKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'is_admin', ''), hostileString);

/** A body for a route whose fields are `fields`; `broken` names the fields that are always given a wrong value. */
function jsonBody(fields: string[], broken: string[]): fc.Arbitrary<string> {
  const entry = fc.tuple(fc.constantFrom(...fields), hostileValue);
  return fc
    .tuple(
      fc.array(entry, { maxLength: 4 }),
      fc.array(fc.tuple(fc.constantFrom(...(broken.length ? broken : fields)), badId), { minLength: broken.length ? 1 : 0, maxLength: 2 }),
      fc.array(fc.tuple(extraKey, hostileValue), { maxLength: 2 }),
    )
    .map(([entries, wrong, extra]) => toJson([...entries, ...wrong, ...extra]));
}

const notJson = fc.oneof(
  fc.string({ unit, maxLength: 200 }),
  fc.constantFrom('', '{', '{"a":', 'null', '1', '"x"', '[]', '[1,2]', '{"a":1}}', '\ufeff{}', '{"a":NaN}', "{'a':1}", '<x/>'),
  fc.integer({ min: 40_000, max: 200_000 }).map((length) => `{"a":"${'b'.repeat(length)}"}`),
);
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      '',
      'application/merge-patch+json',
      'x/y; a="',
      '*/*',
    ),
  },
);

/** Route templates of the module and the demo: [method, path, fields, fields that must be wrong]. */
interface RouteTemplate {
  method: FuzzRequest['method'];
  path: string;
  fields?: string[];
  broken?: string[];
}

function routes(fixture: FuzzFixture): fc.Arbitrary<RouteTemplate> {
  const pathId = fc.oneof(
    fc.constant(String(fixture.factorId)),
    fc.constant('999999'),
    hostileString.map(pct),
    bigPathId,
    fc.constantFrom('%', '%zz', '%ed%a0%80', '..', '0', '-1', '1.5', '99999999999999999999', '%2e%2e%2f', '1%00'),
  );
  /** A user id for the admin API's paths: no real user (NUL, overlong, odd Unicode …). */
  const userId = fc.oneof(hostileString.map(pct), fc.constantFrom('%00', 'a%00b', 'u'.repeat(300), '%ed%a0%80'));
  /** The admin search's query: its numbers far past their bounds, NUL in its strings. */
  const searchQuery = fc
    .array(
      fc.tuple(
        fc.constantFrom('page', 'page_size', 'min_age_seconds', 'max_age_seconds', 'method_config_id', 'user_config_id', 'user_id', 'status', 'expired'),
        fc.oneof(bigPathId, hostileString, fc.constantFrom('1e300', '-1e300', 'Infinity', '100000000000000000000', '1.5', '%00')),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((entries) => entries.map(([key, value]) => `${key}=${value === '%00' ? value : pct(value)}`).join('&'));
  const confirmationId = fc.oneof(fc.constant(fixture.pendingId), fc.uuid(), hostileString.map(pct), fc.constantFrom('%', '%ed%a0%80', 'null'));
  const slash = fc.constantFrom('/', '');
  return fc.oneof<fc.Arbitrary<RouteTemplate>[]>(
    fc.tuple(slash).map(([s]) => ({ method: 'get' as const, path: `${API}/method-config/list/active${s}` })),
    fc.tuple(slash).map(([s]) => ({ method: 'get' as const, path: `${API}/user-config/own/list${s}` })),
    slash.map((s) => ({
      method: 'post' as const,
      path: `${API}/user-config/own/create${s}`,
      fields: ['method_config_id', 'config', 'title', 'is_active', 'is_default'],
      broken: ['method_config_id'],
    })),
    slash.map((s) => ({ method: 'post' as const, path: `${API}/user-config/own/confirm${s}`, fields: ['id', 'confirmation_id', 'data'], broken: ['id'] })),
    fc.tuple(fc.constantFrom('put' as const, 'patch' as const), pathId, slash).map(([method, id, s]) => ({
      method,
      path: `${API}/user-config/own/${id}/update${s}`,
      fields: ['config', 'title', 'is_active', 'is_default'],
      broken: ['is_active', 'is_default'],
    })),
    fc.tuple(pathId, slash).map(([id, s]) => ({ method: 'delete' as const, path: `${API}/user-config/own/${id}/destroy${s}` })),
    slash.map((s) => ({
      method: 'post' as const,
      path: `${API}/confirmation/request${s}`,
      fields: ['method_config_id', 'user_config_id', 'data'],
      broken: ['method_config_id', 'user_config_id'],
    })),
    fc.tuple(confirmationId, slash).map(([id, s]) => ({ method: 'get' as const, path: `${API}/confirmation/${id}/check${s}` })),
    slash.map((s) => ({ method: 'post' as const, path: `${API}/confirmation/confirm${s}`, fields: ['id', 'data'], broken: ['id'] })),
    fc.constant({ method: 'post' as const, path: '/api/v1/auth/login', fields: ['username', 'password'], broken: ['password'] }),
    fc.constant({ method: 'post' as const, path: '/api/v1/account/sensitive-action', fields: ['confirmation_id'], broken: [] }),
    fc.constant({ method: 'get' as const, path: '/health' }),
    // The admin API, for the admin token too: reads with hostile input, and writes whose path id names no row.
    searchQuery.map((query) => ({ method: 'get' as const, path: `${API}/admin/confirmation/search?${query}` })),
    fc.tuple(userId, slash).map(([user, s]) => ({ method: 'get' as const, path: `${API}/admin/user/${user}/user-config/list${s}` })),
    fc
      .tuple(fc.constantFrom('activate', 'deactivate'), bigPathId)
      .map(([action, id]) => ({ method: 'post' as const, path: `${API}/admin/method-config/${id}/${action}/` })),
    fc.tuple(fc.constantFrom('put' as const, 'patch' as const), bigPathId).map(([method, id]) => ({
      method,
      path: `${API}/admin/method-config/${id}/update/`,
      fields: ['title', 'config', 'is_active', 'is_default'],
      broken: [],
    })),
    bigPathId.map((id) => ({ method: 'delete' as const, path: `${API}/admin/method-config/${id}/destroy/?cascade=true` })),
    fc.tuple(fc.oneof(userId, fc.constant('1')), fc.constantFrom('unlock', 'deactivate'), bigPathId).map(([user, action, id]) => ({
      method: 'post' as const,
      path: `${API}/admin/user/${user}/user-config/${id}/${action}/`,
    })),
    fc
      .tuple(fc.oneof(userId, fc.constant('1')), bigPathId)
      .map(([user, id]) => ({ method: 'delete' as const, path: `${API}/admin/user/${user}/user-config/${id}/destroy/` })),
    fc
      .oneof(
        hostileString.map((to) => `to=${pct(to)}`),
        fc.constantFrom('to[a][b]=1', 'to=1&to=2', 'to', '', 'x=1', 'to=%', '__proto__[x]=1'),
      )
      .map((query) => ({ method: 'get' as const, path: `/api/v1/dev/outbox?${query}` })),
  );
}

/** Any request against the demo: a route (or a method it does not take), abused headers, a body that cannot succeed. */
export function fuzzRequest(fixture: FuzzFixture): fc.Arbitrary<FuzzRequest> {
  const header = fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e]/g, ''));
  const auth = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('none', 'owner', 'stranger', 'admin') },
    { weight: 1, arbitrary: fc.oneof(header, fc.constantFrom('Bearer', 'Bearer ', 'Basic YTpi', 'Bearer a.b.c', `Bearer ${'x'.repeat(6000)}`)) },
  );
  const proof = fc.option(fc.oneof(fc.constant(fixture.pendingId), fc.uuid(), header), { nil: undefined });
  const otherMethod = fc.option(
    fc.constantFrom('get' as const, 'post' as const, 'put' as const, 'patch' as const, 'delete' as const, 'head' as const, 'options' as const),
    { freq: 8, nil: undefined },
  );
  return fc
    .tuple(routes(fixture), otherMethod, auth, proof, contentType, fc.boolean(), notJson, fc.option(header, { nil: undefined }))
    .chain(([route, method, who, proofId, type, asJson, raw, junk]) =>
      (route.fields && asJson ? jsonBody(route.fields, route.broken ?? []) : fc.constant(raw)).map((body) => ({
        method: method ?? route.method,
        path: route.path,
        auth: who,
        headers: {
          'Content-Type': type,
          ...(proofId !== undefined ? { 'X-Two-Factor-Confirmation': proofId } : {}),
          ...(junk !== undefined ? { 'X-Forwarded-For': junk, Accept: junk } : {}),
        },
        body: route.fields || method ? body : undefined,
      })),
    );
}
