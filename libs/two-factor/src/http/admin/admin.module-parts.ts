import type { CanActivate, Provider, Type } from '@nestjs/common';
import { AdminStore } from '../../persistence/admin.store.js';
import { MethodConfigStore } from '../../persistence/method-config.store.js';
import { TwoFactorSetupError } from '../../errors/setup.errors.js';
import { TWO_FACTOR_ADMIN_GUARDS, type TwoFactorAdminOptions } from '../../admin/admin.options.js';
import { ConfirmationAdminService } from '../../admin/confirmation-admin.service.js';
import { AdminConfirmationController } from './admin-confirmation.controller.js';
import { AdminMethodConfigController } from './admin-method-config.controller.js';
import { AdminMethodController } from './admin-method.controller.js';
import { AdminResponseMapper } from './admin-response.mapper.js';
import { AdminTwoFactorController } from './admin-two-factor.controller.js';
import { AdminAccessCodeController } from './admin-access-code.controller.js';
import { AccessCodeAdminService } from '../../admin/access-code-admin.service.js';
import { AdminUserConfigController } from './admin-user-config.controller.js';
import { TwoFactorAdminGuard } from './admin.guard.js';
import { MethodConfigService } from '../../admin/method-config.service.js';
import { UserConfigAdminService } from '../../admin/user-config-admin.service.js';

/** Services of administration, provided (and `MethodConfigService` exported) whether or not the admin API is mounted. */
export const ADMIN_SERVICES = [MethodConfigStore, MethodConfigService, AdminStore, UserConfigAdminService, ConfirmationAdminService, AccessCodeAdminService];

/** What the `admin` option adds to the module: its controllers, its guard and the host's guards. Nothing without it. */
export function adminShape(admin: TwoFactorAdminOptions | undefined): { controllers: Type[]; providers: Provider[] } {
  if (admin === undefined) return { controllers: [], providers: [] };
  const guards = admin?.guards;
  if (!Array.isArray(guards) || guards.length === 0 || guards.some((guard) => !isGuard(guard))) {
    throw new TwoFactorSetupError('`admin.guards` needs at least one guard (a class or an instance with canActivate) deciding who is an admin.');
  }
  const classes = [...new Set(guards.filter((guard): guard is Type<CanActivate> => typeof guard === 'function'))];
  return {
    controllers: [
      AdminMethodConfigController,
      AdminMethodController,
      AdminUserConfigController,
      AdminTwoFactorController,
      AdminAccessCodeController,
      AdminConfirmationController,
    ],
    providers: [
      ...classes,
      {
        provide: TWO_FACTOR_ADMIN_GUARDS,
        useFactory: (...instances: CanActivate[]) => guards.map((guard) => (typeof guard === 'function' ? instances[classes.indexOf(guard)] : guard)),
        inject: classes,
      },
      TwoFactorAdminGuard,
      AdminResponseMapper,
    ],
  };
}

function isGuard(guard: unknown): boolean {
  if (typeof guard === 'function') return typeof guard.prototype?.canActivate === 'function';
  return typeof (guard as CanActivate | null)?.canActivate === 'function';
}
