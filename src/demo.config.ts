import type { DataSourceOptions } from 'typeorm';
import type { TwoFactorOptions } from 'nestjs-two-factor';
import type { MethodDescriptor } from 'nestjs-two-factor/methods';
import { databaseOptions, type DatabaseTuning } from './database.js';

/** The demo's development secret: fine on a laptop, refused in production. */
export const DEVELOPMENT_SECRET = 'demo-development-secret-do-not-use-in-production';

/** Everything the demo reads from its environment, resolved once. */
export interface DemoConfig {
  port: number;
  /** `HTTP_ADAPTER`: the HTTP platform the demo runs on. @default 'express' */
  httpAdapter: HttpAdapterName;
  /** Serve Swagger UI at /docs (the JSON document at /docs-json is always served). @default true */
  swaggerUi?: boolean;
  production: boolean;
  database: DataSourceOptions;
  twoFactorSecret: string;
  jwtSecret: string;
  demoPassword: string;
  /** Database down at boot: how many times to try in all (at least 1), and how long to wait between tries; then the start fails. */
  databaseConnect: { attempts: number; delayMs: number };
  /** Module options on top of the demo's (tests and the bench server tune limits here). */
  twoFactor?: Partial<TwoFactorOptions>;
  /** Extra methods beside the built-in ones (the custom-method guide's test uses this). */
  extraMethods?: MethodDescriptor<any, any>[];
  /** The relying party the demo's WebAuthn method config is seeded with (and kept in step with at each start). */
  webauthn: DemoWebAuthnConfig;
  /** `TELEMETRY` (on unless `off`): the OpenTelemetry SDK with `GET /metrics` (src/telemetry/). Off, the module finds only the API's no-ops. */
  telemetry?: boolean;
}

export type HttpAdapterName = 'express' | 'fastify';

function httpAdapterName(value: string | undefined): HttpAdapterName {
  if (value === undefined || value === '' || value === 'express') return 'express';
  if (value === 'fastify') return 'fastify';
  throw new Error(`HTTP_ADAPTER must be express or fastify, got ${value}.`);
}

/** `WEBAUTHN_RP_ID` and `WEBAUTHN_ORIGINS` (comma-separated): where the demo's passkey page runs. */
export interface DemoWebAuthnConfig {
  rpId: string;
  origins: string[];
}

export function demoConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const production = env.NODE_ENV === 'production';
  const twoFactorSecret = env.TWO_FACTOR_SECRET ?? DEVELOPMENT_SECRET;
  if (production && twoFactorSecret === DEVELOPMENT_SECRET) {
    throw new Error('TWO_FACTOR_SECRET must be set when NODE_ENV=production (the development default is refused).');
  }
  const port = Number(env.PORT ?? 3000);
  return {
    port,
    httpAdapter: httpAdapterName(env.HTTP_ADAPTER),
    production,
    database: databaseOptions(env.DATABASE_URL, databaseTuning(env)),
    twoFactorSecret,
    jwtSecret: env.JWT_SECRET ?? `${twoFactorSecret}/demo-jwt`,
    demoPassword: env.DEMO_PASSWORD ?? 'demo-password',
    webauthn: {
      rpId: env.WEBAUTHN_RP_ID ?? 'localhost',
      origins: (env.WEBAUTHN_ORIGINS ?? `http://localhost:${port}`)
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    },
    // ~30 s by default: long enough for a database started beside the app, short enough to fail visibly.
    telemetry: env.TELEMETRY !== 'off',
    databaseConnect: { attempts: Math.max(1, whole(env.DATABASE_CONNECT_ATTEMPTS, 10)), delayMs: whole(env.DATABASE_CONNECT_RETRY_DELAY_MS, 3000) },
  };
}

/** `DATABASE_POOL_SIZE`: the PostgreSQL or MySQL pool's size (at least 1); unset, the driver's default of 10. */
function databaseTuning(env: NodeJS.ProcessEnv): DatabaseTuning {
  const raw = env.DATABASE_POOL_SIZE;
  if (raw === undefined || raw === '') return {};
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) throw new Error(`DATABASE_POOL_SIZE must be a whole number of at least 1, got "${raw}"`);
  return { poolSize: Number(raw) };
}

function whole(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw)) throw new Error(`Expected a whole number, got "${raw}"`);
  return Number(raw);
}
