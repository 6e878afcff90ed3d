import { ConfirmationState } from './confirmation-state.entity.js';
import { MethodConfig } from './method-config.entity.js';
import { UserConfig } from './user-config.entity.js';

export { ConfirmationState, MethodConfig, UserConfig };
export { Status } from './status.js';

/** Every entity of the module, for `TypeOrmModule.forRoot({ entities })` or a DataSource. */
export const TWO_FACTOR_ENTITIES = [MethodConfig, UserConfig, ConfirmationState];
