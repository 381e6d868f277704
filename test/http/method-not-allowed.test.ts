/**
 * 405 everywhere a path exists: every registered path answers each standard
 * method it does not serve with 405 and an Allow header naming exactly the
 * methods it does serve. The routes are collected by this test's own onRoute
 * hook, attached as Fastify creates the instance, not taken from the app.
 */
import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { build, expectApiError } from '../helpers/index.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Path (trailing slash and parameter names ignored) → its URL as registered and the methods served on it. */
type RouteTable = Map<string, { url: string; methods: Set<string> }>;

const keyOf = (url: string) => url.replace(/:\w+/g, ':').replace(/(.)\/$/, '$1');

/** Builds the app as the other tests do, recording every route it registers that serves a request. */
async function buildRecordingRoutes(t: Test): Promise<{ app: FastifyInstance; served: RouteTable }> {
  const served: RouteTable = new Map();
  const channel = diagnostics.channel('fastify.initialization');
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route) => {
      if (route.config?.methodNotAllowed) return;
      const key = keyOf(route.url);
      const entry = served.get(key) ?? { url: route.url, methods: new Set<string>() };
      for (const m of ([] as string[]).concat(route.method)) entry.methods.add(m.toUpperCase());
      served.set(key, entry);
    });
  };
  channel.subscribe(onInit);
  try {
    return { app: await build(t), served };
  } finally {
    channel.unsubscribe(onInit);
  }
}

/** A concrete URL for a route pattern. */
const concrete = (url: string) => url.replace(/:\w+/g, 'p1').replace(/\*$/, 'anything');
const withoutSlash = (url: string) => (url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : `${url}/`);
const allowOf = (methods: Set<string>) => METHODS.filter((m) => methods.has(m)).join(', ');

t.test('every registered path answers its other methods with 405 and an exact Allow', async (t) => {
  const { app, served } = await buildRecordingRoutes(t);
  for (const url of ['/v1/user/:distinct_id/', '/event/', '/v2/event/', '/_emulator/workspaces', '/healthz', '/docs/json']) {
    t.ok(served.has(keyOf(url)), `the walk covers ${url}`);
  }

  for (const { url, methods } of served.values()) {
    t.ok(
      [...methods].every((m) => (METHODS as readonly string[]).includes(m)),
      `${url}: served only with standard methods (${[...methods].join(', ')})`,
    );
    if (methods.has('GET')) t.ok(methods.has('HEAD'), `${url}: HEAD is served alongside GET`);
    const allow = allowOf(methods);
    for (const target of [concrete(url), withoutSlash(concrete(url))]) {
      for (const method of METHODS) {
        // No credentials: a wrong method is answered before authentication.
        const res = await app.inject({ method, url: target });
        if (methods.has(method)) {
          t.not(res.statusCode, 405, `${method} ${target} is served`);
          continue;
        }
        t.equal(res.statusCode, 405, `${method} ${target}: 405`);
        t.equal(res.headers.allow, allow, `${method} ${target}: Allow ${allow}`);
        if (method === 'HEAD') continue; // no body on HEAD
        const err = expectApiError(t, res, 405, `${method} ${target}`);
        t.match(err.message, `${method} is not served on `, `${method} ${target}: the message names the method`);
        t.match(err.message, `allowed: ${allow}`, `${method} ${target}: the message names what is allowed`);
      }
    }
  }
});

t.test('GET /event/ is a 405 naming POST, without credentials', async (t) => {
  const app = await build(t);
  for (const url of ['/event/', '/event', '/v2/event/']) {
    const res = await app.inject({ method: 'GET', url });
    const err = expectApiError(t, res, 405, `GET ${url}`);
    t.equal(res.headers.allow, 'POST', `GET ${url}: Allow`);
    t.strictSame(Object.keys(err).sort(), ['code', 'message'], `GET ${url}: the short error form`);
  }
});

t.test('the 405 answers are not in the OpenAPI document', async (t) => {
  const app = await build(t);
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  t.notOk(doc.paths['/event/']?.get, 'no GET /event/');
  t.notOk(doc.paths['/v1/user/{distinct_id}/']?.put, 'no PUT on a user');
  t.strictSame(Object.keys(doc.paths['/healthz'] ?? {}), ['get'], '/healthz: only its GET');
  t.strictSame(Object.keys(doc.paths['/event/'] ?? {}), ['post'], '/event/: only its POST');
});
