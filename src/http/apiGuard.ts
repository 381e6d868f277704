import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../api/errors.js';
import { faultMessage, parseFaultHeader, type Fault, type FaultInjector } from '../faults/faults.js';
import type { WorkspaceRegistry } from '../workspaces/registry.js';
import { authenticate, identify } from './auth.js';
import { parseJsonBody } from './body.js';
import { errorBody } from './errorHandler.js';
import { rawUrlOf } from './routing.js';

export interface GuardOptions {
  registry: WorkspaceRegistry;
  faults: FaultInjector;
  /** Honour the X-Emulator-Fault request header. */
  faultHeader: boolean;
  /** Whether a route serves a method on a request target (see `servedRoutes`). */
  isServed: (method: string, target: string) => boolean;
}

/**
 * What every SuprSend API route does before its handler: refuse unknown
 * credentials as soon as the headers arrive (before the body is read), then,
 * with the body, authenticate (Bearer or signature, over the raw body), apply
 * an injected fault if one matches, and parse the JSON body.
 */
export function guardSuprsendApi(api: FastifyInstance, opts: GuardOptions): void {
  const faultFor = (request: FastifyRequest): Fault | undefined => {
    const header = request.headers['x-emulator-fault'];
    if (opts.faultHeader && typeof header === 'string') {
      const fromHeader = parseFaultHeader(header);
      if (fromHeader) return fromHeader;
    }
    return opts.faults.match(request.method, request.url.split('?')[0]!, request.workspace.name);
  };

  api.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config?.public) return;
    // A body announced over the limit gets its 413 next, unread, whatever the credentials.
    const length = Number(request.headers['content-length']);
    if (length > (request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY)) return;
    const known = identify(request.headers.authorization, opts.registry);
    if (!known.ok) {
      request.authOutcome = 'failed';
      throw known.error;
    }
  });

  api.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config?.public) return;
    const result = authenticate(
      {
        method: request.method,
        rawUrl: rawUrlOf(request.raw),
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        date: request.headers.date,
        rawBody: request.rawBody,
        isServed: opts.isServed,
      },
      opts.registry,
    );
    if (!result.ok) {
      request.authOutcome = 'failed';
      throw result.error;
    }
    request.workspace = result.workspace;
    request.authOutcome = result.scheme;
    const fault = faultFor(request);
    if (fault) {
      if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status !== undefined) {
        request.errorMessage = `injected fault${fault.ruleId ? ` (${fault.ruleId})` : ''}`;
        // A rule's own body is sent as given; the default one is the route's error body ({code, message}, in its envelope).
        const body = fault.body ?? errorBody(request, new ApiError(fault.status, faultMessage(fault.status)), 'short');
        return reply.code(fault.status).type('application/json; charset=utf-8').send(body);
      }
    }
    parseJsonBody(request, { objectBodies: true });
  });
}
