import { TwoFactorInit1795889441287 } from './1795889441287-TwoFactorInit.js';
import { TwoFactorLimits1795889665320 } from './1795889665320-TwoFactorLimits.js';
import { TwoFactorSignIn1796290000001 } from './1796290000001-TwoFactorSignIn.js';
import { TwoFactorLifecycle1797000000101 } from './1797000000101-TwoFactorLifecycle.js';
import { TwoFactorConfirmationPurpose1797000000201 } from './1797000000201-TwoFactorConfirmationPurpose.js';
import { TwoFactorFactorLastUse1797000000401 } from './1797000000401-TwoFactorFactorLastUse.js';
import { TwoFactorRecovery1797000000501 } from './1797000000501-TwoFactorRecovery.js';

/** The module's postgres migrations, oldest first. */
export const POSTGRES_MIGRATIONS: Function[] = [
  TwoFactorInit1795889441287,
  TwoFactorLimits1795889665320,
  TwoFactorSignIn1796290000001,
  TwoFactorLifecycle1797000000101,
  TwoFactorConfirmationPurpose1797000000201,
  TwoFactorFactorLastUse1797000000401,
  TwoFactorRecovery1797000000501,
];
