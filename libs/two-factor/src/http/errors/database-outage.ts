import { ConnectionLostError } from '../../persistence/connection-lost.error.js';

/** Socket-level failures: the database (or the way to it) is not there. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs that say "not now" rather than "wrong": class 08 (connection
 * exception), 57P01–57P03 (shut down, crashed, starting up), 53300 (too many
 * connections); SQLite's "busy/locked" and I/O failures; and mysql2's codes for a
 * connection lost, closed or refused by MySQL/MariaDB (too many connections, shutting
 * down, killed), and for a transaction the server rolled back for a deadlock or a lock
 * wait timeout: it decided nothing and may be tried again.
 */
const DATABASE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
]);

/** Messages of pg and pg-pool that carry no code. */
const MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  // A pooled client the pool already ended after its connection broke (a named statement raced the reset).
  /Client was closed and is not queryable/i,
  /Connection is not established/i,
  /the database system is (shutting down|starting up|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  // mysql2: a pooled connection used after its socket closed.
  /Can't add new command when connection is in closed state/i,
];

/**
 * Whether `error` (or what it wraps: TypeORM's `driverError`, an Error's `cause`)
 * says the database is unavailable, as opposed to a query that is wrong. Such a
 * request decided nothing, so the caller may retry: 503, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionLostError) return true;
  for (let current: unknown = error, hops = 0; current && typeof current === 'object' && hops < 5; hops++) {
    const { code, message, driverError, cause } = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || DATABASE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = driverError ?? cause;
  }
  return false;
}
