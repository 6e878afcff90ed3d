/**
 * `--import`ed by the bench server for `--telemetry=absent`: registers the resolve hook that makes
 * the module's `import('@opentelemetry/api')` fail as it does in a host without the package, while
 * the demo's own imports of it still resolve. What the module then costs is the "not installed" case.
 */
import { register } from 'node:module';

register('./hide-opentelemetry-api.hooks.js', import.meta.url);
