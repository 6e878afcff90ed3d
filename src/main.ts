import { createDemoApp } from './app.factory.js';
import { demoConfigFromEnv } from './demo.config.js';

const config = demoConfigFromEnv();
const app = await createDemoApp(config);
// Fastify listens on localhost only unless told; Express on every interface: the demo does the same on both.
await app.listen(config.port, '0.0.0.0');
console.log(`two-factor demo (${config.httpAdapter}) on http://localhost:${config.port} — Swagger UI at /docs`);
