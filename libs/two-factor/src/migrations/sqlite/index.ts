import { TwoFactorInit1795889439755 } from './1795889439755-TwoFactorInit.js';
import { TwoFactorLimits1795889661603 } from './1795889661603-TwoFactorLimits.js';

/** The module's sqlite migrations, oldest first. */
export const SQLITE_MIGRATIONS: Function[] = [TwoFactorInit1795889439755, TwoFactorLimits1795889661603];
