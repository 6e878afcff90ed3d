/**
 * The database connection broke in the middle of a unit of work: the driver
 * dropped it, so nothing more could run on it (TypeORM's
 * QueryRunnerAlreadyReleasedError is the cause). Nothing uncommitted was kept;
 * like any outage it is answered 503 (see isDatabaseUnavailable).
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';

  constructor(cause: unknown) {
    super('Connection lost in the middle of a unit of work', { cause });
  }
}
