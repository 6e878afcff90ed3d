// Micro-measurement behind CONTRIBUTING's rule on spreads in hot paths: CPU per object built, for the shapes the
// module's hot routes use, and for `PublicViewMapper.spentProof` as built. Needs `npm run build:lib`.
// Usage: node bench/micro/object-shapes.mjs [iterations]
import 'reflect-metadata';
import { PublicViewMapper } from '../../libs/two-factor/dist/public-api/public-view.mapper.js';

const iterations = Number(process.argv[2] ?? 300_000);
const now = Date.now();
// A hundred distinct objects of each shape, so no lookup is cached for one object.
const many = (make) => Array.from({ length: 100 }, (_, i) => make(i));
const views = many((i) => ({ id: `c${i}`, status: 'confirmed', is_available: false, expires_at: 'x', attempts_left: 4, action: null, details: null }));
const contexts = many((i) => ({
  methodConfig: {},
  userConfig: undefined,
  userId: String(i),
  secrets: {},
  limits: {},
  clientIp: '::1',
  extra: undefined,
  language: undefined,
  text: () => '',
  enrolled: undefined,
  operation: undefined,
}));
const proofs = many((i) => ({
  confirmation: {
    id: `c${i}`,
    user_config_id: 5,
    status: 'confirmed',
    attempts: 0,
    max_attempts: 5,
    expires_at: new Date(now),
    updated_at: new Date(now),
    purpose: 'step_up',
    action: null,
    details: null,
  },
  method: 'dummy',
  amr: ['otp'],
  phishing_resistant: false,
}));
const mapper = new PublicViewMapper(null, null, null);

let built = 0;
function nsPer(name, build) {
  for (let i = 0; i < 20_000; i++) built += build(i % 100) ? 1 : 0;
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) built += build(i % 100) ? 1 : 0;
  const used = process.cpuUsage(start);
  console.log(`${name.padEnd(48)} ${(((used.user + used.system) / iterations) * 1000).toFixed(0).padStart(6)} ns`);
}

nsPer('{ ...view }', (i) => ({ ...views[i] }));
nsPer('{ ...view, method }', (i) => ({ ...views[i], method: 'totp' }));
nsPer('{ ...view, and seven keys }', (i) => ({ ...views[i], method: 'totp', a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }));
nsPer('{ ...context(11 keys), limits, confirmationId }', (i) => ({ ...contexts[i], limits: 1, confirmationId: 'x' }));
nsPer('Object.assign({}, context, { limits, id })', (i) => Object.assign({}, contexts[i], { limits: 1, confirmationId: 'x' }));
nsPer('PublicViewMapper.spentProof', (i) => mapper.spentProof(proofs[i]));
if (built === 0) console.log('(nothing built)');
