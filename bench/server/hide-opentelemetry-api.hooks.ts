import { appendFileSync } from 'node:fs';

/** The module's own files, built in the workspace or installed as a package. */
const MODULE_FILE = /\/libs\/two-factor\/dist\/|\/node_modules\/nestjs-two-factor\//;

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;

/**
 * A Node module-resolution hook (runs on the loader's thread): `@opentelemetry/api` asked for by a
 * file of the module is "not found"; every refusal is written to `BENCH_HIDDEN_API_LOG`, so the bench
 * can check that the module did ask and was refused.
 */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<unknown> {
  if (specifier === '@opentelemetry/api' && context.parentURL && MODULE_FILE.test(context.parentURL)) {
    if (process.env.BENCH_HIDDEN_API_LOG) appendFileSync(process.env.BENCH_HIDDEN_API_LOG, `${context.parentURL}\n`);
    throw Object.assign(new Error(`Cannot find package '@opentelemetry/api' imported from ${context.parentURL} (hidden by the bench)`), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
  }
  return nextResolve(specifier, context);
}
