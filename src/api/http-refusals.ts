// Answers for requests no route can serve, so every request gets an HTTP status rather than a
// dropped connection: 405 with Allow for methods the API does not serve (CONNECT included, which
// Node's server would otherwise drop), and 400/431/408 for what Node's parser refuses, in the
// same error shape as every other answer (api-exception.filter.ts decides status and body).
import type { Server as HttpServer } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { errorBody, errorHeaders, sendError, statusOf } from './api-exception.filter.js';
import {
  HeadersTooLargeError,
  MalformedRequestError,
  MethodNotAllowedError,
  RequestTimeoutError,
} from './http.errors.js';

/** Every method a route or CORS serves (Express answers HEAD with the GET route). */
export const SERVED_METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS'] as const;
const SERVED = new Set<string>(SERVED_METHODS);
// After an answer to a refused request, the client may still be sending (the rest of a 100 KB
// header). Closing with unread input makes the kernel send a reset, which can destroy our answer
// before the client reads it; so input is read and dropped until the client closes, this long at most.
const DRAIN_TIMEOUT_MS = 5_000;

/** Express middleware, installed first: refuses a method no route serves with 405 and Allow. */
export function refuseUnservedMethods(request: Request, response: Response, next: NextFunction): void {
  if (SERVED.has(request.method)) return next();
  sendError(new MethodNotAllowedError(request.method, SERVED_METHODS), request, response);
}

/** Makes `server` answer CONNECT and requests its parser refuses instead of dropping the connection. */
export function answerUnparsedRequests(server: HttpServer): void {
  const answered = new WeakSet<Duplex>();
  const refuse = (socket: Duplex, error: Error): void => {
    if (answered.has(socket)) return;
    answered.add(socket);
    // Errors on a socket being closed are of no interest, and unhandled they would end the process.
    socket.on('error', () => socket.destroy());
    writeAnswer(socket, error);
  };
  // Node hands CONNECT to a 'connect' listener and closes the socket when there is none.
  server.on('connect', (request: { method?: string }, socket: Duplex) => {
    refuse(socket, new MethodNotAllowedError(request.method ?? 'CONNECT', SERVED_METHODS));
  });
  // Node's own answer to a parse error is a bare status line followed by an immediate close
  // (a reset when input is left unread); this one has a body and lets the client read it.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The parser calls back again for every further chunk of a refused request: answered once.
    if (answered.has(socket)) return;
    // A response already under way cannot be followed by another on the same connection.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight) {
      socket.destroy();
      return;
    }
    refuse(socket, refusalOf(error));
  });
}

/** The typed error for a parser failure, by Node's code. */
export function refusalOf(error: NodeJS.ErrnoException): Error {
  if (error.code === 'HPE_HEADER_OVERFLOW') return new HeadersTooLargeError();
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestTimeoutError();
  return new MalformedRequestError(error.code ?? 'unknown');
}

function writeAnswer(socket: Duplex, error: Error): void {
  const status = statusOf(error);
  const body = JSON.stringify(errorBody(error, status));
  const headers: Record<string, string> = {
    ...errorHeaders(error),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head.join('')}\r\n${body}`);
  // The socket closes by itself once the client has closed its side too.
  socket.resume();
  (socket as Socket).setTimeout(DRAIN_TIMEOUT_MS, () => socket.destroy());
}
