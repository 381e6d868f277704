import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { RequestJournal } from './journal.js';

/** Requests the journal keeps: the SuprSend API, not the control plane, docs or health. */
function isApiPath(url: string): boolean {
  return !/^\/(?:_emulator(?:\/|$|\?)|docs(?:\/|$|\?)|openapi\.json|healthz)/.test(url);
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
        error: request.errorMessage,
      });
    }
    request.log.info(
      { method: request.method, path: request.url.split('?')[0], workspace: request.workspace?.name, status: reply.statusCode, ms },
      'request',
    );
  });
}
