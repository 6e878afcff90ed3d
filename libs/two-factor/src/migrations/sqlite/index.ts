import { TwoFactorInit1795889439755 } from './1795889439755-TwoFactorInit.js';

/** The module's sqlite migrations, oldest first. */
export const SQLITE_MIGRATIONS: Function[] = [TwoFactorInit1795889439755];
