import { TwoFactorInit1797000000002 } from './1797000000002-TwoFactorInit.js';
import { TwoFactorOperationBinding1797000000302 } from './1797000000302-TwoFactorOperationBinding.js';
import { TwoFactorFactorLastUse1797000000402 } from './1797000000402-TwoFactorFactorLastUse.js';
import { TwoFactorRecovery1797000000502 } from './1797000000502-TwoFactorRecovery.js';

/** The module's MySQL/MariaDB migrations, oldest first. */
export const MYSQL_MIGRATIONS: Function[] = [
  TwoFactorInit1797000000002,
  TwoFactorOperationBinding1797000000302,
  TwoFactorFactorLastUse1797000000402,
  TwoFactorRecovery1797000000502];
