import { TwoFactorInit1795889439755 } from './1795889439755-TwoFactorInit.js';
import { TwoFactorLimits1795889661603 } from './1795889661603-TwoFactorLimits.js';
import { TwoFactorSignIn1796290000000 } from './1796290000000-TwoFactorSignIn.js';
import { TwoFactorLifecycle1797000000100 } from './1797000000100-TwoFactorLifecycle.js';
import { TwoFactorConfirmationPurpose1797000000200 } from './1797000000200-TwoFactorConfirmationPurpose.js';
import { TwoFactorFactorLastUse1797000000400 } from './1797000000400-TwoFactorFactorLastUse.js';
import { TwoFactorRecovery1797000000500 } from './1797000000500-TwoFactorRecovery.js';

/** The module's sqlite migrations, oldest first. */
export const SQLITE_MIGRATIONS: Function[] = [
  TwoFactorInit1795889439755,
  TwoFactorLimits1795889661603,
  TwoFactorSignIn1796290000000,
  TwoFactorLifecycle1797000000100,
  TwoFactorConfirmationPurpose1797000000200,
  TwoFactorFactorLastUse1797000000400,
  TwoFactorRecovery1797000000500,
];
