/**
 * Authentication under random and replayed credentials: nothing but the exact
 * signature of the exact request, under the workspace's own secret, gets in.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { requestSignature } from '../../src/http/signature.js';
import { ADMIN_TOKEN, bearer, build, errorShapeProblem, signedHeaders, WS_A, WS_B } from '../helpers/index.js';

const SEED = 20250401;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
const CT = 'application/json; charset=utf-8';
const DATE = 'Tue, 01 Apr 2025 10:00:00 GMT';

/** An app with user `target` in each workspace. */
async function appWithTargets(t: Test): Promise<FastifyInstance> {
  const app = await build(t);
  for (const ws of [WS_A, WS_B]) {
    const res = await bearer(app, 'POST', '/v1/user/target/', { v: 0, $email: ['target@example.com'] }, ws.api_keys[0]);
    t.equal(res.statusCode, 201, `target created in ${ws.name}`);
  }
  return app;
}

/** No attack changed anything: `target` is as created and alone in each workspace. */
async function checkTargets(t: Test, app: FastifyInstance): Promise<void> {
  for (const ws of [WS_A, WS_B]) {
    const res = await bearer(app, 'GET', '/v1/user/target/', undefined, ws.api_keys[0]);
    t.equal(res.statusCode, 200, `target still exists in ${ws.name}`);
    t.equal(JSON.parse(res.body).properties.v, 0, `target unchanged in ${ws.name}`);
    const list = await bearer(app, 'GET', '/v1/user/', undefined, ws.api_keys[0]);
    t.equal(JSON.parse(list.body).meta.count, 1, `no user created in ${ws.name}`);
  }
}

/** Throws unless the answer is a long-form 401 (the shape of SuprSend's authentication errors). */
function expect401(res: { statusCode: number; body: string }, what: string): void {
  if (res.statusCode !== 401) throw new Error(`${what}: expected 401, got ${res.statusCode} ${res.body.slice(0, 200)}`);
  const problem = errorShapeProblem(401, res.body);
  if (problem) throw new Error(`${what}: ${problem}`);
  const body = JSON.parse(res.body) as { error_code?: string; type?: string };
  if (body.error_code !== 'authentication_failed' || body.type !== 'AuthenticationFailed') {
    throw new Error(`${what}: not the long form of a 401: ${res.body}`);
  }
}

/** Requests an attacker might send (each served by a route): they would change `target` if they got in. */
const SET = '{"operations":[{"$set":{"v":"pwned"}}]}';
const attackArb = fc.constantFrom(
  { method: 'PATCH', path: '/v1/user/target/', body: SET },
  { method: 'PATCH', path: '/v1/user/target', body: SET },
  { method: 'POST', path: '/v1/user/target/', body: '{"v":"pwned"}' },
  { method: 'POST', path: '/v1/user/new-user/', body: '{"v":"pwned"}' },
  { method: 'DELETE', path: '/v1/user/target/', body: undefined },
  { method: 'GET', path: '/v1/user/target/', body: undefined },
  { method: 'GET', path: '/v1/user/?limit=5', body: undefined },
  { method: 'POST', path: '/v1/user/target/merge/', body: '{"from_user_id":"x"}' },
  { method: 'DELETE', path: '/v1/bulk/user/', body: '{"distinct_ids":["target"]}' },
  { method: 'POST', path: '/event/', body: '{"$schema":"2","distinct_id":"target","$user_operations":[{"$set":{"v":"pwned"}}]}' },
  { method: 'POST', path: '/v2/event/', body: '{"event":"e","distinct_id":"target"}' },
  { method: 'POST', path: '/v1/subscriber_list/', body: '{"list_id":"l1"}' },
);

t.test('random signatures are refused with 401', async (t) => {
  const app = await appWithTargets(t);
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(
      attackArb,
      fc.oneof(
        fc.base64String({ minLength: 0, maxLength: 64 }),
        fc.base64String({ minLength: 44, maxLength: 44 }),
        fc.string({ maxLength: 60 }),
      ),
      fc.constantFrom(WS_A, WS_B),
      fc.constantFrom('signature', 'bearer'),
      async (req, junk, ws, scheme) => {
        cases++;
        const authorization = scheme === 'bearer' ? `Bearer ${junk}` : `${ws.key}:${junk}`;
        const res = await app.inject({
          method: req.method as 'GET',
          url: req.path,
          headers: { authorization, 'content-type': CT, date: DATE },
          ...(req.body === undefined ? {} : { payload: req.body }),
        });
        expect401(res, `${req.method} ${req.path} with Authorization ${JSON.stringify(authorization)}`);
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
  t.equal(cases, 300, '300 random credentials, all refused');
  await checkTargets(t, app);
});

t.test('a signature with one character changed is refused with 401', async (t) => {
  const app = await appWithTargets(t);
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(attackArb, fc.nat(), fc.constantFrom(...B64), fc.constantFrom(WS_A, WS_B), async (req, pos, replacement, ws) => {
      const headers = signedHeaders(ws, req.method, req.path, req.body, DATE);
      const [key, sig] = [headers.authorization!.slice(0, ws.key.length), headers.authorization!.slice(ws.key.length + 1)];
      const at = pos % sig.length;
      fc.pre(sig[at] !== replacement);
      cases++;
      const flipped = sig.slice(0, at) + replacement + sig.slice(at + 1);
      const res = await app.inject({
        method: req.method as 'GET',
        url: req.path,
        headers: { ...headers, authorization: `${key}:${flipped}` },
        ...(req.body === undefined ? {} : { payload: req.body }),
      });
      expect401(res, `${req.method} ${req.path}, signature ${sig} changed at ${at} to ${flipped}`);
    }),
    { seed: SEED, numRuns: 300 },
  );
  t.ok(cases >= 250, `${cases} one-character changes, all refused`);
  await checkTargets(t, app);
});

/** One valid request: a PATCH of `target` in workspace A. */
const BASE = {
  method: 'PATCH',
  url: '/v1/user/target/?source=sdk',
  body: '{"operations":[{"$set":{"v":"pwned"}}]}',
  contentType: CT,
  date: DATE,
};
type Req = typeof BASE;

const sign = (ws: typeof WS_A, r: Req) =>
  requestSignature(ws.secret, { method: r.method, body: Buffer.from(r.body), contentType: r.contentType, date: r.date, target: r.url });

const sendWith = (app: FastifyInstance, r: Req, authorization: string) =>
  app.inject({
    method: r.method as 'PATCH',
    url: r.url,
    headers: { authorization, 'content-type': r.contentType, date: r.date },
    ...(r.method === 'GET' ? {} : { payload: r.body }),
  });

t.test('a signature replayed on a different request is refused with 401', async (t) => {
  const app = await appWithTargets(t);
  const sigA = sign(WS_A, BASE);

  // Each way to reuse the signature of BASE.
  const mutations: Array<[string, (r: Req) => Req, string]> = [
    ['another path', (r) => ({ ...r, url: '/v1/user/other/?source=sdk' }), WS_A.key],
    ['the path without its trailing slash', (r) => ({ ...r, url: '/v1/user/target?source=sdk' }), WS_A.key],
    ['another query', (r) => ({ ...r, url: '/v1/user/target/?source=sdk2' }), WS_A.key],
    ['no query', (r) => ({ ...r, url: '/v1/user/target/' }), WS_A.key],
    ['another method (POST)', (r) => ({ ...r, method: 'POST', body: '{"v":"pwned"}' }), WS_A.key],
    ['another method, same body (POST)', (r) => ({ ...r, method: 'POST' }), WS_A.key],
    ['another method (DELETE)', (r) => ({ ...r, method: 'DELETE' }), WS_A.key],
    ['another method (GET)', (r) => ({ ...r, method: 'GET' }), WS_A.key],
    ['another body', (r) => ({ ...r, body: '{"operations":[{"$set":{"v":"pwned2"}}]}' }), WS_A.key],
    ['the body with a space added', (r) => ({ ...r, body: `${r.body} ` }), WS_A.key],
    ['another content type', (r) => ({ ...r, contentType: 'application/json' }), WS_A.key],
    ['another date', (r) => ({ ...r, date: 'Tue, 01 Apr 2025 10:00:01 GMT' }), WS_A.key],
    ["another workspace's key", (r) => r, WS_B.key],
  ];
  for (const [what, mutate, key] of mutations) {
    const res = await sendWith(app, mutate(BASE), `${key}:${sigA}`);
    t.doesNotThrow(() => expect401(res, what), `${what}: 401`);
  }

  // The signature under B's secret, presented with A's key, and the other way round.
  t.throws(() => expect401({ statusCode: 202, body: '{}' }, 'x'), 'sanity: expect401 throws on a non-401');
  t.throws(() => expect401({ statusCode: 401, body: '{"code":401,"message":"m"}' }, 'x'), 'sanity: and on the short form');
  const sigB = sign(WS_B, BASE);
  const res1 = await sendWith(app, BASE, `${WS_A.key}:${sigB}`);
  t.doesNotThrow(() => expect401(res1, "B's signature with A's key"), "B's signature with A's key: 401");

  // Random pairs of (signed request, sent request) that differ: always 401.
  const reqArb = fc.record({
    method: fc.constantFrom('PATCH', 'POST', 'DELETE'),
    url: fc.constantFrom('/v1/user/target/', '/v1/user/target/?a=1', '/v1/user/target', '/v1/user/%74arget/', '/v1/user/other/'),
    body: fc.constantFrom('{"operations":[{"$set":{"v":"pwned"}}]}', '{"operations":[{"$set":{"v":"pwned"}}]} ', '{"v":"pwned"}'),
    contentType: fc.constantFrom(CT, 'application/json'),
    date: fc.constantFrom(DATE, 'Tue, 01 Apr 2025 10:00:01 GMT', ''),
  });
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(
      reqArb,
      reqArb,
      fc.constantFrom(WS_A, WS_B),
      fc.constantFrom(WS_A, WS_B),
      async (signedReq, sentReq, signer, presented) => {
        const same = JSON.stringify(signedReq) === JSON.stringify(sentReq) && signer === presented;
        fc.pre(!same);
        cases++;
        const res = await sendWith(app, sentReq, `${presented.key}:${sign(signer, signedReq)}`);
        expect401(
          res,
          `signed ${JSON.stringify(signedReq)} as ${signer.name}, sent ${JSON.stringify(sentReq)} with ${presented.name}'s key`,
        );
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
  t.ok(cases >= 250, `${cases} replays of a signature on another request, all refused`);

  // The control: the signature of BASE on BASE itself gets in (so the 401s above are not for another reason).
  const ok = await sendWith(app, BASE, `${WS_A.key}:${sigA}`);
  t.equal(ok.statusCode, 202, 'the signed request itself is accepted');
  t.equal(JSON.parse(ok.body).properties.v, 'pwned', 'and applied');
  const undo = await bearer(app, 'PATCH', '/v1/user/target/', { operations: [{ $set: { v: 0 } }] });
  t.equal(undo.statusCode, 202, 'target restored for the final check');
  await checkTargets(t, app);
});

t.test('credentials of one plane never open the other', async (t) => {
  const app = await appWithTargets(t);
  const api = await app.inject({ method: 'GET', url: '/v1/user/target/', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  t.doesNotThrow(() => expect401(api, 'admin token on the API'), 'the admin token is refused on the API');
  for (const authorization of [
    `Bearer ${WS_A.api_keys[0]}`,
    signedHeaders(WS_A, 'GET', '/_emulator/workspaces', undefined).authorization!,
  ]) {
    const res = await app.inject({ method: 'GET', url: '/_emulator/workspaces', headers: { authorization } });
    t.equal(res.statusCode, 401, `${authorization.slice(0, 12)}… refused on the control plane`);
    t.equal(errorShapeProblem(401, res.body), undefined, 'in the error shape');
  }
  const ok = await app.inject({ method: 'GET', url: '/_emulator/workspaces', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  t.equal(ok.statusCode, 200, 'the admin token opens the control plane');
  await checkTargets(t, app);
});
