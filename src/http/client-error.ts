import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * What Node's HTTP parser refuses before any route runs (headers too large,
 * a malformed request line) gets the same envelope and stable `code` as every
 * other error, instead of Node's bare status line.
 */
export function answerClientErrorsInEnvelope(server: Server): void {
  server.on('clientError', answerClientError);
}

/** Answers one error of Node's HTTP parser; Fastify takes it as its `clientErrorHandler` (it owns the server's listener). */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    statusCode: status,
    error: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request',
    code: tooLarge ? 'headers_too_large' : 'malformed_request',
    message: tooLarge ? 'The request headers are too large.' : 'The request could not be parsed.',
  });
  const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
