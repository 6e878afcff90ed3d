import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { UserConfigService } from '../../factors/user-config.service.js';
import { UnauthenticatedError } from '../../errors/request.errors.js';
import { InjectTwoFactorOptions } from '../../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../../options/two-factor.options.js';
import { PublicViewMapper } from '../../public-api/public-view.mapper.js';
import { guardFailure } from '../errors/guard-failure.js';

/** The header that carries a confirmed confirmation's id as step-up proof. */
export const TWO_FACTOR_HEADER = 'x-two-factor-confirmation';

/**
 * Lets a request through only with a fresh proof: a confirmed confirmation of
 * one of the current user's own available factors, named in the
 * X-Two-Factor-Confirmation header. The proof is used up atomically, so one
 * confirmation lets exactly one request through however many race. The spent proof is on
 * `request.twoFactorConfirmation` as its public view (`PublicConfirmation`): never its state.
 */
@Injectable()
export class TwoFactorStepUpGuard implements CanActivate {
  private readonly logger = new Logger('TwoFactor');

  constructor(
    private readonly userConfigs: UserConfigService,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly views: PublicViewMapper,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    try {
      const id = this.options.getUserId(request);
      if (id === undefined || id === null || id === '') throw new UnauthenticatedError();
      const header = request.headers?.[TWO_FACTOR_HEADER];
      const proofId = typeof header === 'string' ? header : undefined;
      const proof = await this.userConfigs.spendProof(String(id), proofId, { clientIp: this.options.getClientIp(request) });
      request.twoFactorConfirmation = this.views.confirmation(proof, false);
      return true;
    } catch (error) {
      throw guardFailure(error, context, this.adapterHost, this.logger);
    }
  }
}
