import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ConnectionLostError } from '../../persistence/connection-lost.error.js';
import { isDatabaseUnavailable } from './database-outage.js';

const withCode = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['pg: server shutting down (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['pg: connection failure (08006)', withCode('connection failure', '08006')],
    ['pg: a connection that died mid-query', withCode('Connection terminated unexpectedly')],
    ['pg-pool: no connection in time', withCode('timeout exceeded when trying to connect')],
    ['pg: a client the pool already closed', withCode('Client was closed and is not queryable')],
    ['TypeORM wrapping a pg error', new QueryFailedError('SELECT 1', [], withCode('Connection terminated unexpectedly'))],
    ['an error whose cause is one', new Error('outer', { cause: withCode('x', 'ECONNREFUSED') })],
    ['SQLite locked by another writer', withCode('database is locked', 'SQLITE_BUSY')],
    ['a connection lost mid-transaction (SqlRunner)', new ConnectionLostError(new QueryRunnerAlreadyReleasedError())],
    [
      'mysql2: a connection lost mid-query, through TypeORM',
      new QueryFailedError('COMMIT', [], withCode('Connection lost: The server closed the connection.', 'PROTOCOL_CONNECTION_LOST')),
    ],
    ['mysql2: a command on a closed connection', withCode("Can't add new command when connection is in closed state")],
    ['MySQL: too many connections', withCode('Too many connections', 'ER_CON_COUNT_ERROR')],
    [
      'InnoDB: a deadlock rolled the transaction back',
      new QueryFailedError('UPDATE', [], withCode('Deadlock found when trying to get lock', 'ER_LOCK_DEADLOCK')),
    ],
  ])('recognises %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', new QueryFailedError('INSERT', [], withCode('null value in column "title"', '23502'))],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['SQLite NOT NULL', withCode('NOT NULL constraint failed: two_factor_user_config.title', 'SQLITE_CONSTRAINT_NOTNULL')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['MySQL: a duplicate key', new QueryFailedError('INSERT', [], withCode("Duplicate entry 'x' for key 'PRIMARY'", 'ER_DUP_ENTRY'))],
    ['MySQL: a syntax error', withCode('You have an error in your SQL syntax', 'ER_PARSE_ERROR')],
    // Only SqlRunner knows the driver released it: elsewhere it is a bug.
    ['a runner used after its release', new QueryRunnerAlreadyReleasedError()],
    ['not an error', 'ECONNREFUSED'],
  ])('leaves %s alone (a 500)', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
