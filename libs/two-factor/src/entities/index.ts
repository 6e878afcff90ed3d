import { ConfirmationState } from './confirmation-state.entity.js';
import { MethodConfig } from './method-config.entity.js';
import { FailureCounter } from './failure-counter.entity.js';
import { RateCounter } from './rate-counter.entity.js';
import { UserConfig } from './user-config.entity.js';

export { ConfirmationState, FailureCounter, MethodConfig, RateCounter, UserConfig };
export { Status } from './status.js';

/** Every entity of the module, for `TypeOrmModule.forRoot({ entities })` or a DataSource. */
export const TWO_FACTOR_ENTITIES = [MethodConfig, UserConfig, ConfirmationState, RateCounter, FailureCounter];
