import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoApp } from './app.factory.js';
import { demoConfigFromEnv } from './demo.config.js';

/**
 * Writes the OpenAPI document the demo serves at /docs-json to a file, for `npm run lint:openapi`.
 * It boots the demo on a throw-away SQLite file and reads the document over HTTP, as a client would.
 */
const target = process.argv[2] ?? 'dist/openapi.json';
const folder = mkdtempSync(join(tmpdir(), 'two-factor-openapi-'));
const app = await createDemoApp(demoConfigFromEnv({ ...process.env, DATABASE_URL: `sqlite:${join(folder, 'demo.sqlite')}` }), ['error']);
try {
  await app.listen(0, '127.0.0.1');
  const response = await fetch(`${await app.getUrl()}/docs-json`);
  writeFileSync(target, JSON.stringify(await response.json(), null, 2));
  console.log(`OpenAPI document written to ${target}`);
} finally {
  await app.close();
  rmSync(folder, { recursive: true, force: true });
}
