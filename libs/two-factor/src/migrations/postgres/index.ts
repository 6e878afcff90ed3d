import { TwoFactorInit1795889441287 } from './1795889441287-TwoFactorInit.js';

/** The module's postgres migrations, oldest first. */
export const POSTGRES_MIGRATIONS: Function[] = [TwoFactorInit1795889441287];
