import { createDemoApp } from './app.factory.js';
import { demoConfigFromEnv } from './demo.config.js';

const config = demoConfigFromEnv();
const app = await createDemoApp(config);
await app.listen(config.port);
console.log(`two-factor demo on http://localhost:${config.port} — Swagger UI at /docs`);
