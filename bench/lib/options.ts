/** Bench options from `--name=value` arguments or BENCH_NAME environment variables (arguments win). */
export function option(name: string, fallback: string): string;
export function option(name: string): string | undefined;
export function option(name: string, fallback?: string): string | undefined {
  const prefix = `--${name}=`;
  const argument = process.argv.find((arg) => arg.startsWith(prefix));
  if (argument) return argument.slice(prefix.length);
  if (process.argv.includes(`--${name}`)) return '1';
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}

export function numberOption(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** A free-ish port: BENCH_PORT, or one derived from the pid in a quiet range. */
export function benchPort(): number {
  return Number(option('port') ?? 20000 + (process.pid % 20000));
}

export type BenchAdapter = 'express' | 'fastify';

/** `--adapter=express|fastify` (default express): the HTTP platform the demo server runs on (its HTTP_ADAPTER). */
export function benchAdapter(): BenchAdapter {
  const value = option('adapter', 'express');
  if (value !== 'express' && value !== 'fastify') throw new Error(`--adapter must be express or fastify, got ${value}`);
  return value;
}

/**
 * `--telemetry=on|off|absent` (default off): the demo's OpenTelemetry SDK (metrics for /metrics, spans
 * to an in-memory buffer) on; off — then the module finds only the API's no-op meter and tracer; or
 * absent — the module finds no `@opentelemetry/api` at all, as in a host without the package.
 */
export function benchTelemetry(): 'on' | 'off' | 'absent' {
  const value = option('telemetry', 'off');
  if (value !== 'on' && value !== 'off' && value !== 'absent') throw new Error(`--telemetry must be on, off or absent, got ${value}`);
  return value;
}
