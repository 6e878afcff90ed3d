import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The bench's plain scripts run the compiled output and no test runs them, so a moved source file
 * broke them silently once (bench/micro imported `dist/confirmer/sql-runner.js` long after it moved).
 * Each relative import must name a file that the build makes: a `dist/…js` path maps back to its `.ts`.
 */
const SCRIPTS = ['bench/dashboard-picture.mjs', ...readdirSync('bench/micro').map((name) => `bench/micro/${name}`)];

function sourceOf(built: string): string {
  const path = relative(process.cwd(), built);
  if (path.startsWith('libs/two-factor/dist/')) return path.replace('libs/two-factor/dist/', 'libs/two-factor/src/').replace(/\.js$/, '.ts');
  if (path.startsWith('dist/')) return path.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  return path;
}

describe('the bench scripts (no database, no adapter)', () => {
  it.each(SCRIPTS)('%s imports only files the build makes', (script) => {
    const imports = [...readFileSync(script, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => resolve(dirname(script), match[1]));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.map(sourceOf).filter((source) => !existsSync(join(process.cwd(), source)))).toEqual([]);
  });
});
