import { createDemoApp, DatabaseUnreachableAtStartError } from './app.factory.js';
import { demoConfigFromEnv } from './demo.config.js';

const config = demoConfigFromEnv();
try {
  const app = await createDemoApp(config);
  // Fastify listens on localhost only unless told; Express on every interface: the demo does the same on both.
  await app.listen(config.port, '0.0.0.0');
  console.log(`two-factor demo (${config.httpAdapter}) on http://localhost:${config.port} — Swagger UI at /docs`);
} catch (error) {
  // A database down at boot ends the start with one clear line and exit code 1 (a supervisor restarts it).
  if (!(error instanceof DatabaseUnreachableAtStartError)) throw error;
  console.error(error.message);
  process.exit(1);
}
