import { Injectable } from '@nestjs/common';
import { ConfirmerEngine } from '../confirmations/confirmer.engine.js';
import { UserConfigService } from '../factors/user-config.service.js';
import { MethodRegistry } from '../method-api/method-registry.js';
import { factorTitle } from '../factors/factor-title.js';
import { TwoFactorEnrollmentRequiredError, type EnrollableMethod } from '../errors/sign-in.errors.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import type { TwoFactorRequest } from '../two-factor-request.js';

/** Where a user stands with the app's enrolment policy (option `enrollment`). */
export interface EnrollmentStatus {
  /** The policy requires a factor of this user. */
  required: boolean;
  /** The user has an available factor of an accepted method. */
  enrolled: boolean;
  /** End of the grace period; null when nothing is required. */
  deadline: Date | null;
  /** Required, not enrolled, and the grace period is over: guarded routes answer 403. */
  overdue: boolean;
}

/** Applies the `enrollment` policy: who must have a factor, until when they may go without. */
@Injectable()
export class EnrollmentService {
  constructor(
    private readonly confirmer: ConfirmerEngine,
    private readonly userConfigs: UserConfigService,
    private readonly registry: MethodRegistry,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  /** The user's standing; reads their factors only when the policy requires one. */
  async status(userId: string, request?: TwoFactorRequest, now = Date.now()): Promise<EnrollmentStatus> {
    const policy = this.options.enrollment;
    const since = await policy.required(userId, request);
    if (!(since instanceof Date)) return { required: false, enrolled: false, deadline: null, overdue: false };
    const accepted = policy.methods;
    const enrolled = (await this.userConfigs.availableFactors(userId)).some((factor) => accepted === null || accepted.includes(factor.method));
    const deadline = new Date(since.getTime() + policy.gracePeriodSeconds * 1000);
    return { required: true, enrolled, deadline, overdue: !enrolled && deadline.getTime() <= now };
  }

  /** @throws TwoFactorEnrollmentRequiredError, listing the methods to enrol in, when the user is overdue. */
  async assertEnrolled(userId: string, request?: TwoFactorRequest): Promise<EnrollmentStatus> {
    const status = await this.status(userId, request);
    if (status.overdue) throw new TwoFactorEnrollmentRequiredError(await this.methods());
    return status;
  }

  /** The active method configs that meet the policy: what a user may enrol in. */
  async methods(): Promise<EnrollableMethod[]> {
    const accepted = this.options.enrollment.methods;
    return (await this.confirmer.getMethodConfigs())
      .filter((config) => accepted === null || accepted.includes(config.method))
      .map((config) => ({
        method_config_id: config.id,
        method: config.method,
        title: factorTitle(undefined, config.title, this.registry.get(config.method)?.verboseName ?? config.method),
      }));
  }
}
