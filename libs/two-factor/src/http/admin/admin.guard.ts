import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import { AdminRequiredError } from '../../errors/admin.errors.js';
import { UnauthenticatedError } from '../../errors/request.errors.js';
import { RequestUser } from '../input/request-user.js';
import { TWO_FACTOR_ADMIN_GUARDS } from '../../admin/admin.options.js';

/**
 * Guards every admin route: every guard the host named must accept the caller
 * (else 403 `admin_required`, or 401 `unauthenticated` when nobody is signed in),
 * and there must be a signed-in user to name in the audit events. Errors a host
 * guard throws itself pass through unchanged.
 */
@Injectable()
export class TwoFactorAdminGuard implements CanActivate {
  constructor(
    @Inject(TWO_FACTOR_ADMIN_GUARDS) private readonly guards: CanActivate[],
    private readonly requestUser: RequestUser,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    for (const guard of this.guards) {
      const verdict = guard.canActivate(context);
      const allowed = await (isObservable(verdict) ? lastValueFrom(verdict) : verdict);
      // A host guard may be the one that signs the user in, so who is signed in is asked only now.
      if (!allowed) throw this.requestUser.caller(request).userId === null ? new UnauthenticatedError() : new AdminRequiredError();
    }
    // Every admin action names its admin: without a user id there is nobody to name.
    this.requestUser.signedIn(request);
    return true;
  }
}
