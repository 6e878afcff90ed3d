import { TwoFactorInit1797000000002 } from './1797000000002-TwoFactorInit.js';

/** The module's MySQL/MariaDB migrations, oldest first. */
export const MYSQL_MIGRATIONS: Function[] = [TwoFactorInit1797000000002];
