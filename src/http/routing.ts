import type { FastifyInstance, HTTPMethods } from 'fastify';
import { ApiError } from '../api/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the routes that only answer 405 for a path's other methods. */
    methodNotAllowed?: boolean;
  }
}

/** The methods every path answers: served, or else 405. */
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Allow lists methods in this order; others (none today) after them. */
const rank = (m: string) => {
  const i = METHODS.indexOf(m as HTTPMethods);
  return i === -1 ? METHODS.length : i;
};

/** One path of the route table: its URL as first registered, and the methods served on it. */
interface RoutedPath {
  url: string;
  methods: Set<string>;
}

/**
 * The router's notion of "the same path" (trailing slash ignored, parameter
 * names don't matter), so that `/a/:x/` and `/a/:y` share one entry.
 */
const pathKey = (url: string) => url.replace(/:\w+/g, ':').replace(/(.)\/$/, '$1');

/**
 * Answers 405, with an Allow header, for every method a registered path does
 * not serve, derived from the route table rather than kept by hand. Call
 * before any route is added; the returned function, called after the last,
 * adds one hidden route per path for the methods it lacks. HEAD counts as
 * served where Fastify exposes it for a GET route. The 405 routes are public:
 * a wrong method is answered before credentials are looked at.
 */
export function methodNotAllowedFromRouteTable(app: FastifyInstance): () => void {
  const table = new Map<string, RoutedPath>();
  let sealed = false;
  app.addHook('onRoute', (route) => {
    if (sealed) return;
    const key = pathKey(route.url);
    const entry = table.get(key) ?? { url: route.url, methods: new Set<string>() };
    for (const m of ([] as string[]).concat(route.method)) entry.methods.add(m.toUpperCase());
    table.set(key, entry);
  });

  return () => {
    sealed = true;
    for (const { url, methods } of table.values()) {
      const others = METHODS.filter((m) => !methods.has(m));
      if (others.length === 0) continue;
      const allow = [...methods].sort((a, b) => rank(a) - rank(b)).join(', ');
      const shown = url.replace(/:(\w+)/g, '{$1}');
      app.route({
        method: others,
        url,
        exposeHeadRoute: false,
        config: { public: true, methodNotAllowed: true },
        schema: { hide: true },
        handler: async (request, reply) => {
          reply.header('allow', allow);
          throw new ApiError(405, `Method Not Allowed: ${request.method} is not served on ${shown}; allowed: ${allow}`);
        },
      });
    }
  };
}

/** Replaces a literal "+" in the path (not the query) by "%20", for clients that send spaces as "+". */
function plusToSpaceInPath(url: string): string {
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

/** The segments of a path, trailing slash dropped (the router ignores it). */
const segmentsOf = (path: string): string[] => (path.length > 1 ? path.replace(/\/$/, '') : path).split('/');

/** Whether a route's segments (`:param`, `*`, or static) match a request's decoded segments. */
function matches(route: string[], path: string[]): boolean {
  for (let i = 0; i < route.length; i++) {
    const r = route[i]!;
    if (r === '*') return true;
    const p = path[i];
    if (p === undefined) return false;
    if (r.startsWith(':') ? p === '' : r !== p) return false;
  }
  return route.length === path.length;
}

/**
 * Tells whether a route (other than the 405 answers) serves a method on a
 * request target, as the router would find it: the path ends at the first
 * "?" or "#", each segment is percent-decoded, a trailing slash does not
 * matter, and a path that is not valid percent-encoding is served by nothing
 * (the router answers 400). Call before any route is added; it watches the
 * route table as it grows.
 */
export function servedRoutes(app: FastifyInstance): (method: string, target: string) => boolean {
  const routes: Array<{ methods: Set<string>; segments: string[] }> = [];
  app.addHook('onRoute', (route) => {
    if (route.config?.methodNotAllowed) return;
    const methods = new Set(([] as string[]).concat(route.method).map((m) => m.toUpperCase()));
    routes.push({ methods, segments: segmentsOf(route.url) });
  });
  return (method, target) => {
    const end = target.search(/[?#]/);
    let path: string[];
    try {
      path = segmentsOf(end === -1 ? target : target.slice(0, end)).map((s) => decodeURIComponent(s));
    } catch {
      return false;
    }
    const m = method.toUpperCase();
    return routes.some((r) => (r.methods.has(m) || (m === 'HEAD' && r.methods.has('GET'))) && matches(r.segments, path));
  };
}
