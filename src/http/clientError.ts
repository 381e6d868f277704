import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { ApiError } from '../api/errors.js';

/**
 * Errors Node's HTTP parser detects before a request reaches Fastify (a
 * request not received within REQUEST_TIMEOUT_MS, oversize headers, bytes
 * that are not HTTP). Fastify's default answer is `{"error","message",
 * "statusCode"}`; these get SuprSend's error shape like every other error.
 */
function clientErrorAnswer(err: NodeJS.ErrnoException): ApiError {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(408, 'Request Timeout: the request was not received completely in time (setting REQUEST_TIMEOUT_MS)');
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'Request Header Fields Too Large: the request headers exceed 16 KiB');
    default:
      return new ApiError(400, 'Bad Request: the request is not valid HTTP/1.1');
  }
}

/**
 * Replaces the server's `clientError` listener with one answering in the
 * error shape, and makes REQUEST_TIMEOUT_MS hold for the whole request.
 * Node applies `requestTimeout` to a request body only when `headersTimeout`
 * (60 s unless set) is not longer, and checks for timed-out requests only
 * every `connectionsCheckingInterval` (30 s): a slow body was never cut off,
 * and slow headers after up to 30 s more than the setting. Call before `listen`.
 */
export function installClientErrorHandling(server: Server, log: FastifyBaseLogger, requestTimeoutMs: number): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset connection, or one already gone: nothing to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const error = clientErrorAnswer(err);
    log.debug({ err }, 'client error');
    // As Node itself: never write a second response over one already started.
    const response = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !response?.headersSent) {
      const body = JSON.stringify(error.toBody('short'));
      socket.write(
        `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(err);
  });
  if (requestTimeoutMs > 0) {
    server.headersTimeout = Math.min(server.headersTimeout, requestTimeoutMs);
    // Read by Node when the server starts listening.
    (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
      1_000,
      Math.max(50, Math.floor(requestTimeoutMs / 4)),
    );
  }
}
