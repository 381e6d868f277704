import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, badRequest } from '../api/errors.js';
import { findInexactJson, findInexactRecords } from '../engine/jsonText.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body bytes exactly as received (signatures hash these), or undefined when there was none. */
    rawBody: Buffer | undefined;
    /**
     * On batch routes (`maxRecords`): records holding JSON the emulator would
     * not keep exactly (engine/jsonText.ts), by index, with the reason. They
     * fail on their own; the rest of the batch applies.
     */
    refusedRecords: ReadonlyMap<number, string> | undefined;
  }
  interface FastifyContextConfig {
    /** Set on routes taking a batch: the most records (elements of a top-level array) one request may carry. */
    maxRecords?: number;
  }
}

/**
 * Bodies are buffered raw, whatever their content type, so the signature can
 * be checked before anything is parsed; `parseJsonBody` runs after auth.
 */
export function bufferAllBodies(app: FastifyInstance): void {
  app.decorateRequest('rawBody', undefined);
  app.decorateRequest('refusedRecords', undefined);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, undefined);
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Fails on bytes that are not UTF-8 (rather than turning them into U+FFFD); a BOM is kept, as JSON.parse refuses it. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const [SPACE, TAB, LF, CR, QUOTE, BACKSLASH, COMMA, OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [
  0x20, 0x09, 0x0a, 0x0d, 0x22, 0x5c, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d,
];

/**
 * How many records a JSON body holds, counted over its bytes without parsing
 * them: the elements of a top-level array (commas at depth 1, plus one), or 1
 * for anything else. Stops as soon as the count passes `limit`, so no work is
 * done for the records past it. On invalid JSON the count may be off; the
 * parse that follows refuses such a body anyway.
 */
export function countRecords(raw: Buffer, limit: number): number {
  let i = 0;
  const n = raw.length;
  while (i < n && (raw[i] === SPACE || raw[i] === TAB || raw[i] === LF || raw[i] === CR)) i++;
  if (raw[i] !== OPEN_ARRAY) return 1;
  i++;
  while (i < n && (raw[i] === SPACE || raw[i] === TAB || raw[i] === LF || raw[i] === CR)) i++;
  if (raw[i] === CLOSE_ARRAY) return 0;
  let count = 1;
  let depth = 1;
  let inString = false;
  for (; i < n; i++) {
    const c = raw[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
    else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (--depth === 0) break;
    } else if (c === COMMA && depth === 1 && ++count > limit) return count;
  }
  return count;
}

const describe = (v: unknown) => (v === null ? 'null' : `a ${typeof v}`);

/**
 * Sets request.body from the raw bytes: 415 for a non-JSON content type, 413
 * for more records than the route's `maxRecords` (counted before anything is
 * decoded or parsed), 400 for bytes that are not UTF-8 or not JSON or JSON the
 * emulator would not keep exactly (engine/jsonText.ts; on batch routes such
 * records are listed in `refusedRecords` instead), and, with `objectBodies`, 400
 * when a POST or PATCH route that takes a body gets a JSON value that is not
 * an object or an array (`null`, a number, a string, a boolean); arrays are
 * left to the route's schema.
 */
export function parseJsonBody(request: FastifyRequest, { objectBodies = false } = {}): void {
  const raw = request.rawBody;
  if (!raw || raw.length === 0) {
    request.body = undefined;
    return;
  }
  const type = request.headers['content-type'];
  if (!type || !JSON_TYPE.test(type)) {
    throw new ApiError(
      415,
      `Unsupported Media Type: request bodies must be JSON sent with "Content-Type: application/json" (got ${type ? `"${type}"` : 'no Content-Type'})`,
    );
  }
  const maxRecords = request.routeOptions.config?.maxRecords;
  if (maxRecords !== undefined && countRecords(raw, maxRecords) > maxRecords) {
    throw new ApiError(413, `Request body too large: at most ${maxRecords} records per request; split the batch`);
  }
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw badRequest('invalid JSON in request body: it is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw badRequest(`invalid JSON in request body: ${(err as Error).message}`);
  }
  if (maxRecords === undefined) {
    const inexact = findInexactJson(text, body);
    if (inexact) throw badRequest(inexact.error.message);
  } else {
    const refused = findInexactRecords(text, body);
    if (refused.size > 0) request.refusedRecords = new Map([...refused].map(([index, failure]) => [index, failure.error.message]));
  }
  const takesBody =
    objectBodies && request.routeOptions.schema?.body !== undefined && (request.method === 'POST' || request.method === 'PATCH');
  if (takesBody && (body === null || typeof body !== 'object')) {
    throw badRequest(`body: must be a JSON object, got ${describe(body)}`);
  }
  request.body = body;
}
