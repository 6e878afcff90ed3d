import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DEMO_ADMIN_ID } from './demo-users.service.js';

/**
 * Decides who is an admin for the module's admin API: in the demo, the user
 * `admin`. It runs after the global bearer guard has put the user on the request.
 */
@Injectable()
export class DemoAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest().user?.id === DEMO_ADMIN_ID;
  }
}
