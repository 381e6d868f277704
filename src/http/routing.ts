import type { FastifyInstance, HTTPMethods } from 'fastify';
import { ApiError } from '../api/errors.js';

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Answers 405, with an Allow header, for the methods a path does not serve. */
export function methodNotAllowed(app: FastifyInstance, url: string, allowed: HTTPMethods[]): void {
  const others = METHODS.filter((m) => !allowed.includes(m) && !(m === 'GET' && allowed.includes('HEAD')));
  if (others.length === 0) return;
  const allow = allowed.join(', ');
  app.route({
    method: others,
    url,
    config: { public: true },
    schema: { hide: true },
    handler: async (request, reply) => {
      reply.header('allow', allow);
      throw new ApiError(
        405,
        `Method Not Allowed: ${request.method} is not served on ${url.replace(/:(\w+)/g, '{$1}')}; allowed: ${allow}`,
      );
    },
  });
}

/** Replaces a literal "+" in the path (not the query) by "%20", for clients that send spaces as "+". */
export function plusToSpaceInPath(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes('+')) return url;
  return path.replace(/\+/g, '%20') + (q === -1 ? '' : url.slice(q));
}

const RAW_URL = Symbol('rawUrl');

/**
 * Fastify's `rewriteUrl`: keeps the request target as sent (signatures cover
 * it) and, when asked, turns "+" in the path into spaces for routing.
 */
export function rewriteUrl(plusAsSpace: boolean) {
  return (req: { url?: string }): string => {
    const url = req.url ?? '/';
    (req as Record<symbol, string>)[RAW_URL] = url;
    return plusAsSpace ? plusToSpaceInPath(url) : url;
  };
}

/** The request target exactly as received, before any rewrite. */
export function rawUrlOf(req: { url?: string }): string {
  return (req as Record<symbol, string>)[RAW_URL] ?? req.url ?? '/';
}
