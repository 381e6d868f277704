import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, badRequest } from '../api/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body bytes exactly as received (signatures hash these), or undefined when there was none. */
    rawBody: Buffer | undefined;
  }
}

/**
 * Bodies are buffered raw, whatever their content type, so the signature can
 * be checked before anything is parsed; `parseJsonBody` runs after auth.
 */
export function bufferAllBodies(app: FastifyInstance): void {
  app.decorateRequest('rawBody', undefined);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, undefined);
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Sets request.body from the raw bytes: 415 for a non-JSON content type, 400 for invalid JSON. */
export function parseJsonBody(request: FastifyRequest): void {
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
  try {
    request.body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw badRequest(`invalid JSON in request body: ${(err as Error).message}`);
  }
}
