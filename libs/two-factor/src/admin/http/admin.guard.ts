import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import { AdminRequiredError } from '../../errors/admin.errors.js';
import { RequestUser } from '../../http/request-user.js';
import { TWO_FACTOR_ADMIN_GUARDS } from '../admin.options.js';

/**
 * Guards every admin route: a signed-in user (else 401 `unauthenticated`) whom
 * every guard the host named accepts (else 403 `admin_required`). Errors a host
 * guard throws itself pass through unchanged.
 */
@Injectable()
export class TwoFactorAdminGuard implements CanActivate {
  constructor(
    @Inject(TWO_FACTOR_ADMIN_GUARDS) private readonly guards: CanActivate[],
    private readonly requestUser: RequestUser,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    this.requestUser.signedIn(context.switchToHttp().getRequest());
    for (const guard of this.guards) {
      const verdict = guard.canActivate(context);
      const allowed = await (isObservable(verdict) ? lastValueFrom(verdict) : verdict);
      if (!allowed) throw new AdminRequiredError();
    }
    return true;
  }
}
