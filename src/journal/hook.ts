import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { RequestJournal } from './journal.js';

/**
 * The path of a request target as the router matches it: before any "?" or
 * "#", percent-decoded as decodeURI does (reserved characters such as %2F
 * stay encoded), so `/%5Femulator/status` is `/_emulator/status`.
 */
export function routedPath(url: string): string {
  let end = url.indexOf('?');
  const hash = url.indexOf('#');
  if (hash !== -1 && (end === -1 || hash < end)) end = hash;
  const path = end === -1 ? url : url.slice(0, end);
  if (!path.includes('%')) return path;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** Requests the journal keeps: the SuprSend API, not the control plane, docs or health, however their path is spelt. */
export function isApiPath(url: string): boolean {
  return !/^\/(?:_emulator(?:\/|$)|docs(?:\/|$)|openapi\.json|healthz)/.test(routedPath(url));
}

/** After every response: one journal entry (API requests only) and one log line. */
export function recordRequests(app: FastifyInstance, journal: RequestJournal, clock: Clock): void {
  app.addHook('onResponse', async (request, reply) => {
    const ms = Math.round(reply.elapsedTime * 100) / 100;
    if (isApiPath(request.url)) {
      journal.add({
        timeMicros: clock.nowMicros(),
        requestId: request.id,
        workspace: request.workspace?.name ?? null,
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        latencyMs: ms,
        auth: request.authOutcome,
        params: request.params,
        rawBody: request.rawBody,
        declaredBytes: declaredLength(request.headers['content-length']),
        error: request.errorMessage,
      });
    }
    request.log.info(
      { method: request.method, path: request.url.split('?')[0], workspace: request.workspace?.name, status: reply.statusCode, ms },
      'request',
    );
  });
}

function declaredLength(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}
