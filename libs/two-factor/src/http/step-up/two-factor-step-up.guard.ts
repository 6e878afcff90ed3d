import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { UserConfigService } from '../../factors/user-config.service.js';
import { UnauthenticatedError } from '../../errors/request.errors.js';
import { ProofActionMismatchError } from '../../errors/step-up.errors.js';
import { InjectTwoFactorOptions } from '../../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../../options/two-factor.options.js';
import { PublicViewMapper } from '../../public-api/public-view.mapper.js';
import { guardFailure } from '../errors/guard-failure.js';
import type { ProofPolicy } from '../../rules/step-up-policy.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { ProofPolicyDetailsError, readTwoFactorPolicy, resolveTwoFactorPolicy, type RequireTwoFactorOptions } from './step-up-policy.metadata.js';

/** The header that carries a confirmed confirmation's id as step-up proof. */
export const TWO_FACTOR_HEADER = 'x-two-factor-confirmation';

/** Marks a request whose proof this guard already spent (a controller and its handler both decorated run the guard twice). */
const SPENT_FOR = Symbol('twoFactorStepUpSpentFor');

/**
 * A route's policy as the guard uses it. `fixed`: the policy when the request adds nothing to it
 * (no proof sent, or a route without an action), without `details`.
 */
interface RoutePolicy {
  options: RequireTwoFactorOptions;
  fixed: ProofPolicy;
}

/**
 * Lets a request through only with a fresh proof: a confirmed confirmation of
 * one of the current user's own available factors, named in the
 * X-Two-Factor-Confirmation header, that meets the route's policy (`@RequireTwoFactor(options)`:
 * methods, maximum age, the operation it approves). The proof is used up atomically, and only
 * when it meets the policy, so one confirmation lets exactly one request through however many
 * race, and a refused one stays usable where it belongs. The spent proof is on
 * `request.twoFactorConfirmation` as `PublicSpentProof`: never its state.
 */
@Injectable()
export class TwoFactorStepUpGuard implements CanActivate {
  private readonly logger = new Logger('TwoFactor');
  /** By handler, then controller: decorators are fixed once the class is defined, so each route's policy is read once. */
  private readonly routes = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(
    private readonly userConfigs: UserConfigService,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly views: PublicViewMapper,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    try {
      if (request[SPENT_FOR] === context.getHandler()) return true;
      const id = this.options.getUserId(request);
      if (id === undefined || id === null || id === '') throw new UnauthenticatedError();
      const header = request.headers?.[TWO_FACTOR_HEADER];
      const proofId = typeof header === 'string' ? header : undefined;
      const route = this.route(context);
      const policy = proofId && route.options.action !== undefined ? await this.resolve(route.options, request) : route.fixed;
      const spent = await this.userConfigs.spendProof(String(id), proofId, { clientIp: this.options.getClientIp(request) }, policy);
      request.twoFactorConfirmation = this.views.spentProof(spent);
      request[SPENT_FOR] = context.getHandler();
      return true;
    } catch (error) {
      throw guardFailure(error, context, this.adapterHost, this.logger);
    }
  }

  private route(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.routes.get(handler);
    if (!byController) this.routes.set(handler, (byController = new WeakMap()));
    let route = byController.get(controller);
    if (!route) {
      const options = readTwoFactorPolicy(context) ?? {};
      // resolveTwoFactorPolicy gives the options without `details` for a route without an action: the fixed policy.
      route = { options, fixed: Object.freeze(withoutDetails(options)) };
      byController.set(controller, route);
    }
    return route;
  }

  private resolve(options: RequireTwoFactorOptions, request: TwoFactorRequest): Promise<ProofPolicy> {
    return resolveTwoFactorPolicy(options, request).catch((error: unknown) => {
      // No proof can approve an operation the request does not describe; nothing is spent.
      if (error instanceof ProofPolicyDetailsError) throw new ProofActionMismatchError(options.action ?? null);
      throw error;
    });
  }
}

/** Without a proof only the qualifying factors are listed: the details are not read (nor worked out, on the path a proof takes). */
function withoutDetails(options: RequireTwoFactorOptions): Omit<RequireTwoFactorOptions, 'details'> {
  const { details: _details, ...rest } = options;
  return rest;
}
