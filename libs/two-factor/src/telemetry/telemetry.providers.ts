import { PurgeBacklogStore } from './purge-backlog.store.js';
import { TelemetryInstaller } from './telemetry.installer.js';
import { TwoFactorHealthIndicator } from './two-factor.health.js';

/** What telemetry adds to the module: the installer (metrics and traces, when `@opentelemetry/api` is there) and the health indicator. */
export const TELEMETRY_PROVIDERS = [TelemetryInstaller, PurgeBacklogStore, TwoFactorHealthIndicator];

/** Exported for the host's `@nestjs/terminus` health checks. */
export const TELEMETRY_EXPORTS = [TwoFactorHealthIndicator];
