import type { ExecutionContext } from '@nestjs/common';
import { TwoFactorSetupError } from '../../errors/setup.errors.js';
import { isAction, isOperationDetails, type OperationDetails, type ProofPolicy } from '../../rules/step-up-policy.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';

/**
 * What `@RequireTwoFactor(options)` demands of a proof (docs/guide/step-up-policy.md). No options:
 * any of the user's factors, confirmed within `proofTtlSeconds`, a plain proof (requested
 * without an action).
 */
export interface RequireTwoFactorOptions {
  /** Method keys that may pass, e.g. `['totp', 'webauthn']`: the 403 lists only the user's factors of these. */
  methods?: readonly string[];
  /** Only phishing-resistant methods (WebAuthn). */
  phishingResistant?: boolean;
  /** A proof confirmed longer ago than this many seconds is refused: 403 `proof_too_old`. */
  maxAgeSeconds?: number;
  /**
   * The operation this route carries out: only a proof requested for this action (with the same
   * `details`) passes, 403 `proof_action_mismatch` otherwise. Without it, only a plain proof passes.
   */
  action?: string;
  /**
   * The details of the operation, read from the request (the body, the path): the guard
   * recomputes their digest and compares it with the proof's. Runs before pipes: read raw values
   * and give them the exact form (and type) the client requested them in. @default () => ({})
   */
  details?: (request: TwoFactorRequest) => OperationDetails | Promise<OperationDetails>;
}

/** The metadata key `@RequireTwoFactor` stores its options under (on the handler or the controller). */
export const TWO_FACTOR_STEP_UP_POLICY = 'two_factor:step_up_policy';

/** @throws TwoFactorSetupError at startup (when the decorator runs) for options that could never be met. */
export function checkRequireTwoFactorOptions(options: RequireTwoFactorOptions): RequireTwoFactorOptions {
  const fail = (what: string) => {
    throw new TwoFactorSetupError(`@RequireTwoFactor: ${what}`);
  };
  if (
    options.methods !== undefined &&
    (!Array.isArray(options.methods) || options.methods.length === 0 || !options.methods.every((m) => typeof m === 'string'))
  )
    fail('`methods` must be a non-empty array of method keys.');
  if (options.maxAgeSeconds !== undefined && !(Number.isInteger(options.maxAgeSeconds) && options.maxAgeSeconds > 0))
    fail('`maxAgeSeconds` must be a positive whole number of seconds.');
  if (options.action !== undefined && !isAction(options.action)) fail('`action` must be 1 to 64 characters of a-z, 0-9, _, . and -.');
  if (options.details !== undefined && typeof options.details !== 'function') fail('`details` must be a function of the request.');
  if (options.details !== undefined && options.action === undefined) fail('`details` needs an `action`.');
  return Object.freeze({ ...options, ...(options.methods ? { methods: Object.freeze([...options.methods]) } : {}) });
}

/** The object that carries metadata for a context: the handler's, then its class's. */
type MetadataTarget = object;

function ownPolicy(target: MetadataTarget | undefined): RequireTwoFactorOptions | undefined {
  return target ? (Reflect.getMetadata(TWO_FACTOR_STEP_UP_POLICY, target) as RequireTwoFactorOptions | undefined) : undefined;
}

/**
 * The step-up policy of a route, for a host's own guard (GraphQL resolvers, RPC handlers) or
 * service: the controller's options with the handler's over them, or undefined when neither is
 * decorated with `@RequireTwoFactor`. Works with any `ExecutionContext` (HTTP, GraphQL, RPC).
 * @example
 * const options = readTwoFactorPolicy(context); // then resolveTwoFactorPolicy(options, request) and ConfirmerService.spendProof
 */
export function readTwoFactorPolicy(context: Pick<ExecutionContext, 'getHandler' | 'getClass'>): RequireTwoFactorOptions | undefined {
  const onClass = ownPolicy(context.getClass());
  const onHandler = ownPolicy(context.getHandler());
  if (!onClass && !onHandler) return undefined;
  return { ...onClass, ...onHandler };
}

/**
 * The policy for one request: `details` read from it and checked.
 * @throws ProofPolicyDetailsError (a plain Error) when the details function throws or gives
 * something that is not an operation's details: no proof can approve such an operation.
 */
export async function resolveTwoFactorPolicy(options: RequireTwoFactorOptions, request: TwoFactorRequest): Promise<ProofPolicy> {
  const { details, ...rest } = options;
  if (options.action === undefined) return rest;
  let resolved: unknown;
  try {
    resolved = details ? await details(request) : {};
  } catch {
    throw new ProofPolicyDetailsError();
  }
  if (!isOperationDetails(resolved)) throw new ProofPolicyDetailsError();
  return { ...rest, details: resolved };
}

/** The request does not give the details a bound route needs (missing or malformed values). */
export class ProofPolicyDetailsError extends Error {
  constructor() {
    super('The request does not carry valid details for this operation.');
    this.name = 'ProofPolicyDetailsError';
  }
}
