import { EventEmitter2 } from '@nestjs/event-emitter';
import { createDemoApp } from '../../src/app.factory.js';
import { BenchAppModule } from './bench-app.module.js';
import { benchConfigFromEnv } from './bench.config.js';

/**
 * The bench server (`node dist/bench/server/main.js`, started by bench/lib/server.ts): the demo
 * app built exactly as src/main.ts builds it, with the bench's routes in front and the bench's
 * configuration (bench.config.ts).
 */
const config = benchConfigFromEnv();
const app = await createDemoApp(config, undefined, BenchAppModule.forRoot(config));
await app.init();
// Benchmarks run with per-request logging off: the demo's listeners of the module's audit events
// (the audit log, the factor notices) are subscribed during init; the module emits to no one.
app.get(EventEmitter2).removeAllListeners();
await app.listen(config.port, '0.0.0.0');
console.log(`bench server (${config.httpAdapter}) on http://localhost:${config.port}`);
