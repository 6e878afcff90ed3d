import { ConfirmationState } from './confirmation-state.entity.js';
import { EnabledUser } from './enabled-user.entity.js';
import { MethodConfig } from './method-config.entity.js';
import { FailureCounter } from './failure-counter.entity.js';
import { PendingSignIn } from './pending-sign-in.entity.js';
import { RateCounter } from './rate-counter.entity.js';
import { RememberedDevice } from './remembered-device.entity.js';
import { UserConfig } from './user-config.entity.js';
import { AccountRecovery } from './recovery.entity.js';
import { AccessCode } from './access-code.entity.js';

export { AccessCode, AccountRecovery, ConfirmationState, EnabledUser, FailureCounter, MethodConfig, PendingSignIn, RateCounter, RememberedDevice, UserConfig };
export { Status } from './status.js';

/** Every entity of the module, for `TypeOrmModule.forRoot({ entities })` or a DataSource. */
export const TWO_FACTOR_ENTITIES = [
  MethodConfig,
  UserConfig,
  ConfirmationState,
  RateCounter,
  FailureCounter,
  PendingSignIn,
  RememberedDevice,
  EnabledUser,
  AccountRecovery,
  AccessCode,
];
