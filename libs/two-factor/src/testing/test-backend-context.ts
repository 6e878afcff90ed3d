import { validateDto } from '../method-api/validate-dto.js';
import type { BackendContext } from '../method-api/backend.js';
import type { RateLimits } from '../method-api/rate-limits.js';
import { Status } from '../entities/status.js';
import type { MethodDescriptor } from '../method-api/method-descriptor.js';
import { SecretBox } from '../secrets/secret-box.js';

/** What a backend unit test varies; everything else gets a plain default. */
export interface TestBackendContextOptions<S> {
  /** The global config as an admin would store it; validated into the method's DTO, defaults filled in. @default {} */
  global?: Record<string, unknown>;
  /** The stored user config; without it the context is method-level (enrolment or anonymous). */
  stored?: S;
  /** @default 'confirmed' */
  status?: Status;
  /** @default 0 */
  replayGuard?: number;
  /** @default 'alice' */
  userId?: string | null;
  /** @default a SecretBox with a fixed test key */
  secrets?: SecretBox;
  /** @default limits that allow everything */
  limits?: RateLimits;
  /** The user's stored configs of this method (`BackendContext.enrolled`). @default [] */
  enrolled?: S[];
}

const TEST_SECRETS = new SecretBox('unit-test-secret-unit-test-secret-0123456789');
const NO_LIMITS: RateLimits = { hit: async () => undefined };

/**
 * A `BackendContext` for unit-testing a backend without Nest or a database,
 * the way the built-in methods' specs do.
 * @example
 * const ctx = createTestBackendContext(PIN_METHOD, { stored: { pin_hash } });
 * expect(await new PinBackend().confirm(state, { code: '4711' }, ctx)).toBe(true);
 */
export function createTestBackendContext<G extends object, S>(
  method: MethodDescriptor<G, any>,
  options: TestBackendContextOptions<S> = {},
): BackendContext<G, S> {
  const userId = options.userId === undefined ? 'alice' : options.userId;
  return {
    methodConfig: { id: 1, method: method.key, title: method.verboseName, config: validateDto(method.globalConfigDto, options.global ?? {}, 'config') as G },
    userConfig:
      options.stored === undefined
        ? undefined
        : { id: 7, userId: userId ?? 'alice', status: options.status ?? Status.Confirmed, config: options.stored, replayGuard: options.replayGuard ?? 0 },
    userId,
    secrets: options.secrets ?? TEST_SECRETS,
    limits: options.limits ?? NO_LIMITS,
    enrolled: async () => options.enrolled ?? [],
  };
}
