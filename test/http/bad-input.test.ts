import t, { type Test } from 'tap';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { bearer, build, expectApiError, expectJson, signed, WS_A } from '../helpers/index.js';

const API_KEY = WS_A.api_keys[0]!;
const USER = '/v1/user/u1/';

/** A user with properties and identities on several channels. */
const SEED = {
  name: 'Ada',
  visits: 3,
  tags: ['x'],
  $timezone: 'Europe/London',
  $email: ['ada@example.com'],
  $sms: ['+15555550123'],
  $slack: [{ user_id: 'U01', access_token: 'xoxb-1' }],
};

async function seeded(t: Test, overrides = {}): Promise<FastifyInstance> {
  const app = await build(t, overrides);
  expectJson(t, await bearer(app, 'POST', USER, SEED), 201, 'seed u1');
  expectJson(t, await bearer(app, 'POST', '/v1/user/u2/', { name: 'Bob' }), 201, 'seed u2');
  return app;
}

async function snapshot(app: FastifyInstance) {
  const user = await bearer(app, 'GET', USER);
  const list = await bearer(app, 'GET', '/v1/user/?limit=100');
  return { user: user.body, list: list.body };
}

interface Case {
  name: string;
  status: number;
  /** What the message must say, when the contract fixes it. */
  message?: RegExp;
  send: (app: FastifyInstance) => Promise<LightMyRequestResponse>;
}

const raw = (method: InjectOptions['method'], url: string, payload: string | undefined, contentType?: string) => (app: FastifyInstance) =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${API_KEY}`, ...(contentType ? { 'content-type': contentType } : {}) },
    ...(payload === undefined ? {} : { payload }),
  });
const patchOps = (operations: unknown) => (app: FastifyInstance) => bearer(app, 'PATCH', USER, { operations });

const CASES: Case[] = [
  { name: 'invalid JSON (POST)', status: 400, send: raw('POST', USER, '{"name": "Eve",', 'application/json') },
  { name: 'invalid JSON (PATCH)', status: 400, send: raw('PATCH', USER, '{"operations": [', 'application/json') },
  { name: 'invalid JSON (signed)', status: 400, send: (app) => signed(app, 'POST', USER, '{not json}') },
  {
    name: 'channel as a string, not an array',
    status: 400,
    message: /\$email/,
    send: (app) => bearer(app, 'POST', USER, { name: 'Eve', $email: 'a@b.com' }),
  },
  {
    name: 'bad email (upsert)',
    status: 400,
    message: /email/,
    send: (app) => bearer(app, 'POST', USER, { name: 'Eve', $email: ['not-an-email'] }),
  },
  {
    name: 'bad email ($append)',
    status: 400,
    message: /email/,
    send: patchOps([{ $set: { name: 'Eve' } }, { $append: { $email: 'nope@' } }]),
  },
  {
    name: 'non-E.164 phone (upsert $sms)',
    status: 400,
    message: /E\.164/,
    send: (app) => bearer(app, 'POST', USER, { name: 'Eve', $sms: ['5555550123'] }),
  },
  {
    name: 'non-E.164 phone ($append $whatsapp)',
    status: 400,
    message: /E\.164/,
    send: patchOps([{ $set: { name: 'Eve' }, $append: { $whatsapp: '00 44 20 7946 0000' } }]),
  },
  {
    name: 'unknown timezone (upsert)',
    status: 400,
    message: /\$timezone/,
    send: (app) => bearer(app, 'POST', USER, { name: 'Eve', $timezone: 'Mars/Olympus_Mons' }),
  },
  {
    name: 'unknown timezone ($set)',
    status: 400,
    message: /\$timezone/,
    send: patchOps([{ $set: { name: 'Eve', $timezone: 'Not/AZone' } }]),
  },
  {
    name: 'unknown operator',
    status: 400,
    message: /\$frobnicate/,
    send: patchOps([{ $set: { name: 'Eve' } }, { $frobnicate: { a: 1 } }]),
  },
  { name: '$add onto a string property', status: 400, message: /name/, send: patchOps([{ $set: { visits: 4 } }, { $add: { name: 1 } }]) },
  { name: '$increment onto a string property', status: 400, message: /name/, send: patchOps([{ $increment: { name: 2 } }]) },
  {
    name: 'operations is an object',
    status: 400,
    message: /operations/,
    send: (app) => bearer(app, 'PATCH', USER, { operations: { $set: { name: 'Eve' } } }),
  },
  { name: 'operations is a string', status: 400, message: /operations/, send: (app) => bearer(app, 'PATCH', USER, { operations: '$set' }) },
  { name: 'an operation that is not an object', status: 400, send: patchOps([{ $set: { name: 'Eve' } }, 'oops']) },
  // Empty edits: "Request body must not be empty", the upstream message for an empty edit body.
  { name: 'empty PATCH: no body', status: 400, message: /must not be empty/i, send: raw('PATCH', USER, undefined) },
  {
    name: 'empty PATCH: no body, JSON content type',
    status: 400,
    message: /must not be empty/i,
    send: raw('PATCH', USER, undefined, 'application/json'),
  },
  { name: 'empty PATCH: {}', status: 400, message: /must not be empty/i, send: (app) => bearer(app, 'PATCH', USER, {}) },
  {
    name: 'empty PATCH: {"operations":[]}',
    status: 400,
    message: /must not be empty/i,
    send: (app) => bearer(app, 'PATCH', USER, { operations: [] }),
  },
  { name: 'empty PATCH: signed, no body', status: 400, message: /must not be empty/i, send: (app) => signed(app, 'PATCH', USER) },
  {
    name: '256-character distinct_id (POST)',
    status: 400,
    message: /255/,
    send: (app) => bearer(app, 'POST', `/v1/user/${'d'.repeat(256)}/`, { name: 'Eve' }),
  },
  {
    name: '256-character distinct_id (GET)',
    status: 400,
    message: /255/,
    send: (app) => bearer(app, 'GET', `/v1/user/${'d'.repeat(256)}/`),
  },
  {
    name: '256-character distinct_id (PATCH)',
    status: 400,
    message: /255/,
    send: (app) => bearer(app, 'PATCH', `/v1/user/${'d'.repeat(256)}/`, { operations: [{ $set: { a: 1 } }] }),
  },
  { name: 'non-JSON content type (text/plain)', status: 415, send: raw('POST', USER, '{"name":"Eve"}', 'text/plain') },
  { name: 'non-JSON content type (form)', status: 415, send: raw('PATCH', USER, 'operations=1', 'application/x-www-form-urlencoded') },
];

t.test('bad input: a SuprSend-shaped 4xx and no change', async (t) => {
  const app = await seeded(t);
  const first = await snapshot(app);
  t.equal(JSON.parse(first.user).properties.name, 'Ada', 'seeded user');
  t.equal(JSON.parse(first.list).meta.count, 2, 'two users');

  for (const c of CASES) {
    await t.test(c.name, async (t) => {
      const before = await snapshot(app);
      const res = await c.send(app);
      const err = expectApiError(t, res, c.status, c.name);
      if (c.message) t.match(err.message, c.message, `message says ${c.message.source} (got ${JSON.stringify(err.message)})`);
      const after = await snapshot(app);
      t.equal(after.user, before.user, 'u1 is byte-for-byte unchanged');
      t.same(JSON.parse(after.user), JSON.parse(before.user), 'u1 is unchanged');
      t.equal(after.list, before.list, 'the listing is unchanged (no user created)');
    });
  }
  t.equal((await snapshot(app)).user, first.user, 'u1 equals its first snapshot after all cases');
});

t.test('a body over the limit: 413, nothing changed', async (t) => {
  const app = await seeded(t, { bodyLimit: 2048 });
  const before = await snapshot(app);
  const big = JSON.stringify({ name: 'x'.repeat(3000) });
  t.ok(big.length > 2048);

  const post = await bearer(app, 'POST', USER, big);
  const err = expectApiError(t, post, 413, 'POST over the limit');
  const patch = await bearer(app, 'PATCH', USER, JSON.stringify({ operations: [{ $set: { name: 'y'.repeat(3000) } }] }));
  expectApiError(t, patch, 413, 'PATCH over the limit');
  const signedPost = await signed(app, 'POST', USER, big);
  expectApiError(t, signedPost, 413, 'signed POST over the limit');

  const after = await snapshot(app);
  t.equal(after.user, before.user, 'u1 byte-for-byte unchanged');
  t.equal(after.list, before.list, 'listing unchanged');
  // A message a person can act on names the limit.
  t.match(err.message, /2048/, `the 413 message states the limit (got ${JSON.stringify(err.message)})`);

  // Just under the limit still works.
  const small = JSON.stringify({ name: 'z'.repeat(1500) });
  t.equal((await bearer(app, 'POST', USER, small)).statusCode, 201, 'a body under the limit is accepted');
});

t.test('unknown routes answer 404 JSON', async (t) => {
  const app = await build(t);
  for (const [method, url] of [
    ['GET', '/v1/nope/'],
    ['GET', '/v2/user/u1/'],
    ['POST', '/v1/users/u1/'],
    ['GET', '/v1/user/u1/frobnicate/'],
    ['GET', '/'],
  ] as const) {
    expectApiError(t, await bearer(app, method, url), 404, `${method} ${url} (authenticated)`);
    expectApiError(t, await app.inject({ method, url }), 404, `${method} ${url} (no credentials)`);
  }
});

t.test('unsupported methods answer 405 with an Allow header', async (t) => {
  const app = await seeded(t);
  const before = await snapshot(app);
  const allowOf = (h: unknown) =>
    String(h ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort();

  for (const url of [USER, '/v1/user/u1']) {
    const put = await bearer(app, 'PUT', url, { name: 'Eve' });
    expectApiError(t, put, 405, `PUT ${url}`);
    t.same(allowOf(put.headers.allow), ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST'], `Allow on ${url}`);
  }
  const putNoAuth = await app.inject({ method: 'PUT', url: USER });
  expectApiError(t, putNoAuth, 405, 'PUT without credentials');
  t.ok(putNoAuth.headers.allow, 'Allow header without credentials too');

  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    const res = await bearer(app, method, '/v1/user/', method === 'DELETE' ? undefined : {});
    expectApiError(t, res, 405, `${method} /v1/user/`);
    t.same(allowOf(res.headers.allow), ['GET', 'HEAD'], `Allow on /v1/user/ for ${method}`);
  }
  const after = await snapshot(app);
  t.equal(after.user, before.user, 'u1 unchanged');
  t.equal(after.list, before.list, 'listing unchanged');
});

t.test('every path is served with and without its trailing slash, never redirected', async (t) => {
  const app = await build(t);
  const not3xx = (res: { statusCode: number }, what: string) =>
    t.notOk(res.statusCode >= 300 && res.statusCode < 400, `${what}: no redirect`);

  for (const [i, slash] of [
    [1, '/'],
    [2, ''],
  ] as const) {
    const url = `/v1/user/slash-${i}${slash}`;
    const post = await bearer(app, 'POST', url, { n: i });
    not3xx(post, `POST ${url}`);
    t.equal(expectJson<{ distinct_id: string }>(t, post, 201, `POST ${url}`).distinct_id, `slash-${i}`);
    const get = await bearer(app, 'GET', url);
    not3xx(get, `GET ${url}`);
    t.equal(expectJson<{ properties: { n: number } }>(t, get, 200, `GET ${url}`).properties.n, i);
    const signedGet = await signed(app, 'GET', url);
    t.equal(signedGet.statusCode, 200, `signed GET ${url}`);
    const patch = await bearer(app, 'PATCH', url, { operations: [{ $set: { m: i } }] });
    not3xx(patch, `PATCH ${url}`);
    t.equal(expectJson<{ properties: { m: number } }>(t, patch, 202, `PATCH ${url}`).properties.m, i);
  }
  // The other form of each path reaches the same user.
  t.equal((await bearer(app, 'GET', '/v1/user/slash-1')).statusCode, 200, 'created with slash, read without');
  t.equal((await bearer(app, 'GET', '/v1/user/slash-2/')).statusCode, 200, 'created without slash, read with');

  for (const url of ['/v1/user/', '/v1/user']) {
    const res = await bearer(app, 'GET', url);
    not3xx(res, `GET ${url}`);
    t.equal(expectJson<{ meta: { count: number } }>(t, res, 200, `GET ${url}`).meta.count, 2);
    t.equal((await signed(app, 'GET', `${url}?limit=1`)).statusCode, 200, `signed GET ${url}?limit=1`);
  }
  for (const url of ['/v1/user/slash-1', '/v1/user/slash-2/']) {
    const del = await bearer(app, 'DELETE', url);
    not3xx(del, `DELETE ${url}`);
    t.equal(del.statusCode, 204, `DELETE ${url}`);
  }
  for (const url of ['/healthz', '/healthz/']) t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `GET ${url}`);
});

t.test('listing query parameters', async (t) => {
  const app = await seeded(t);
  expectJson(t, await bearer(app, 'POST', '/v1/user/u3/', { name: 'Cy' }), 201, 'seed u3');
  const before = await snapshot(app);

  const first = expectJson<{ meta: { after: string | null; has_next: boolean; limit: number } }>(
    t,
    await bearer(app, 'GET', '/v1/user/?limit=1'),
    200,
    'page 1',
  );
  t.equal(first.meta.has_next, true);
  t.type(first.meta.after, 'string');
  const cursor = encodeURIComponent(first.meta.after ?? '');
  const second = expectJson<{ meta: { before: string | null } }>(
    t,
    await bearer(app, 'GET', `/v1/user/?limit=1&after=${cursor}`),
    200,
    'page 2',
  );
  const back = encodeURIComponent(second.meta.before ?? '');

  for (const [query, message] of [
    ['limit=0', /limit/],
    ['limit=-1', /limit/],
    ['limit=abc', /limit/],
    ['limit=1.5', /limit/],
    ['limit=1001', /limit/],
    ['limit=', /limit/],
    ['after=not-a-cursor', /after/],
    ['before=not-a-cursor', /before/],
    ['after=%FF%FE', /after/],
    [`after=${cursor}&before=${back}`, /after|before/],
  ] as const) {
    const res = await bearer(app, 'GET', `/v1/user/?${query}`);
    const err = expectApiError(t, res, 400, `?${query}`);
    t.match(err.message, message, `?${query}: message names the parameter (got ${JSON.stringify(err.message)})`);
  }

  // Limits at the edges are fine.
  t.equal(expectJson<{ meta: { limit: number } }>(t, await bearer(app, 'GET', '/v1/user/?limit=1000'), 200, 'limit=1000').meta.limit, 1000);
  t.equal(expectJson<{ meta: { limit: number } }>(t, await bearer(app, 'GET', '/v1/user/?limit=1'), 200, 'limit=1').meta.limit, 1);

  // Unknown query parameters are ignored.
  const extra = await bearer(app, 'GET', '/v1/user/?limit=2&foo=bar&sort=-id&page=3');
  const page = expectJson<{ meta: { limit: number; count: number }; results: unknown[] }>(t, extra, 200, 'unknown list params');
  t.equal(page.meta.limit, 2);
  t.equal(page.meta.count, 3);
  t.equal(page.results.length, 2);
  const userExtra = await bearer(app, 'GET', `${USER}?foo=bar&expand=all`);
  t.equal(userExtra.statusCode, 200, 'unknown params on a user GET');
  t.same(JSON.parse(userExtra.body), JSON.parse(before.user), 'same user');
  const signedExtra = await signed(app, 'GET', `${USER}?x=1`);
  t.equal(signedExtra.statusCode, 200, 'signed, with an unknown param');

  const after = await snapshot(app);
  t.equal(after.user, before.user, 'nothing changed');
  t.equal(after.list, before.list, 'listing unchanged');
});
