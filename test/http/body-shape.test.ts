/**
 * A JSON body must be of the shape the route takes: `null`, a number or a
 * string (or an array where an object is required) on a POST or PATCH is a
 * 400 in the error shape, and changes nothing. Bytes that are not UTF-8 are a
 * 400 too, never silently read as U+FFFD.
 */
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { bearer, build, databaseDigest, expectApiError, signedHeaders, WS_A } from '../helpers/index.js';

/** The POST and PATCH operations of the SuprSend API that take a body, from the OpenAPI document. */
function bodyRoutes(app: FastifyInstance): Array<{ method: 'POST' | 'PATCH'; path: string; arrays: boolean }> {
  const doc = app.swagger() as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
  };
  const out: Array<{ method: 'POST' | 'PATCH'; path: string; arrays: boolean }> = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (path.startsWith('/_emulator/')) continue;
    for (const [method, op] of Object.entries(ops)) {
      if ((method !== 'post' && method !== 'patch') || !op.requestBody) continue;
      const schema = JSON.stringify(Object.values(op.requestBody.content)[0]?.schema ?? {});
      out.push({
        method: method.toUpperCase() as 'POST' | 'PATCH',
        path,
        arrays: schema.includes('"type":"array"') && path.endsWith('event/'),
      });
    }
  }
  return out;
}

/** An app with one of each thing a body route names (user u1, object teams/t1, list l1 and a draft version), and its body routes with those ids filled in. */
async function bodyRoutesWithIds(t: Test) {
  const app = await build(t);
  t.equal((await bearer(app, 'POST', '/v1/user/u1/', { name: 'u1' })).statusCode, 201);
  t.equal((await bearer(app, 'POST', '/v1/object/teams/t1/', { name: 't1' })).statusCode, 201);
  t.equal((await bearer(app, 'POST', '/v1/subscriber_list/', { list_id: 'l1' })).statusCode, 201);
  const sync = await bearer(app, 'POST', '/v1/subscriber_list/l1/start_sync/');
  t.equal(sync.statusCode, 201, 'a draft version');
  const versionId = JSON.parse(sync.body).version_id as string;
  const fill = (path: string) =>
    path
      .replace('{distinct_id}', 'u1')
      .replace('{list_id}', 'l1')
      .replace('{version_id}', versionId)
      .replace('{object_type}', 'teams')
      .replace('{id}', 't1')
      .replace('{tenant_id}', 'acme')
      .replace('{brand_id}', 'acme')
      .replace('{category}', 'otp');
  const routes = bodyRoutes(app).map((route) => ({ ...route, url: fill(route.path) }));
  t.ok(routes.length >= 13, `${routes.length} routes take a body`);
  return { app, routes };
}

/** Sends `body` to a route both ways the API authenticates. */
function sendBothWays(app: FastifyInstance, route: { method: 'POST' | 'PATCH'; url: string }, body: string) {
  return (['bearer', 'signed'] as const).map(async (how) => {
    const headers =
      how === 'bearer'
        ? { authorization: `Bearer ${WS_A.api_keys[0]}`, 'content-type': 'application/json' }
        : signedHeaders(WS_A, route.method, route.url, body);
    return { how, res: await app.inject({ method: route.method, url: route.url, headers, payload: body }) };
  });
}

t.test('null, a number, a string (and an array where an object is required): 400 on every POST/PATCH route', async (t) => {
  const { app, routes } = await bodyRoutesWithIds(t);
  const before = databaseDigest(app);
  for (const route of routes) {
    const bodies = ['null', '1', '"x"', 'true', ...(route.arrays ? [] : ['[]', '[{"name":"x"}]'])];
    for (const body of bodies) {
      for (const sent of sendBothWays(app, route, body)) {
        const { how, res } = await sent;
        const err = expectApiError(t, res, 400, `${route.method} ${route.path} ${body} (${how})`);
        if (!body.startsWith('['))
          t.equal(err.message, `body: must be a JSON object, got ${body === 'null' ? 'null' : `a ${typeof JSON.parse(body)}`}`);
      }
    }
  }
  t.equal(databaseDigest(app), before, 'nothing changed in the database');
  const user = JSON.parse((await bearer(app, 'GET', '/v1/user/u1/')).body);
  t.same(user.properties, { name: 'u1' }, 'u1 as created');
});

t.test(
  'a "__proto__" key, an integer beyond 2^53 − 1 or a number beyond a double: 400 on every POST/PATCH route, a failed record on /event/',
  async (t) => {
    const { app, routes } = await bodyRoutesWithIds(t);
    const cases: Array<[body: string, message: string]> = [
      ['{"__proto__":{"polluted":true}}', '__proto__: "__proto__" is not accepted as a key'],
      ['{"a":{"b":[1,{"__proto__":1}]}}', 'a.b[1].__proto__: "__proto__" is not accepted as a key'],
      ['{"\\u005f_proto__":1}', '__proto__: "__proto__" is not accepted as a key'],
      [
        '{"n":12345678901234567890}',
        'n: 12345678901234567890 is an integer beyond ±9007199254740991 (2^53 − 1), the largest a JSON number is kept exactly; send it as a string',
      ],
      ['{"a b":[{"n":-9007199254740992}]}', '["a b"][0].n: -9007199254740992 is an integer beyond ±9007199254740991'],
      ['{"n":1e400}', 'n: a number too large to keep (beyond ±1.79e308); send it as a string'],
      ['{"n":[-1E+400]}', 'n[0]: a number too large to keep'],
    ];
    const failureReasons = () =>
      (app.emulator.db.$client.prepare('SELECT reason FROM event_failures ORDER BY id').all() as Array<{ reason: string }>).map(
        (r) => r.reason,
      );
    const before = databaseDigest(app, ['event_failures', 'sqlite_sequence']);
    for (const route of routes) {
      for (const [body, message] of cases) {
        for (const sent of sendBothWays(app, route, body)) {
          const { how, res } = await sent;
          const what = `${route.method} ${route.path} ${body} (${how})`;
          if (route.path === '/v2/bulk/event/') continue;
          if (route.arrays) {
            // A batch route answers 202 whatever its records hold; each record fails on its own, with its reason.
            t.equal(res.statusCode, 202, `${what}: 202`);
            t.equal(res.headers['x-emulator-failed-records'], '1', `${what}: the record failed`);
            t.ok(failureReasons().at(-1)?.startsWith(message), `${what}: the reason names the place: ${failureReasons().at(-1)}`);
          } else {
            const err = expectApiError(t, res, 400, what);
            t.ok(err.message.startsWith(message), `names the place: ${err.message}`);
          }
        }
      }
    }
    // The bulk route takes arrays only: the record goes in one, and its result in the 207 says why it failed.
    const bulk = routes.find((r) => r.path === '/v2/bulk/event/');
    t.ok(bulk, '/v2/bulk/event/ is among them');
    for (const [body, message] of cases) {
      for (const sent of sendBothWays(app, { method: 'POST', url: '/v2/bulk/event/' }, `[${body}]`)) {
        const { how, res } = await sent;
        const what = `POST /v2/bulk/event/ [${body}] (${how})`;
        t.equal(res.statusCode, 207, `${what}: 207`);
        const record = JSON.parse(res.body).records[0];
        t.match(record, { status: 'error', status_code: 400, error: { type: 'validation_error' } }, `${what}: the record failed`);
        t.ok(record.error.message.startsWith(message), `${what}: the reason names the place: ${record.error.message}`);
        t.equal(failureReasons().at(-1), record.error.message, `${what}: and is journaled with that reason`);
      }
    }
    t.ok(routes.filter((r) => r.arrays).length >= 2, '/event/ and /v2/bulk/event/ were among the batch routes');
    t.equal(databaseDigest(app, ['event_failures', 'sqlite_sequence']), before, 'nothing changed in the database but the failed records');
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was touched');
  },
);

t.test('no body at all is still accepted where the route allows it', async (t) => {
  const app = await build(t);
  t.equal((await bearer(app, 'POST', '/v1/user/nobody/')).statusCode, 201, 'upsert without a body');
  t.equal((await bearer(app, 'POST', '/v1/user/nobody/', {})).statusCode, 201, 'upsert with {}');
});

t.test('a body that is not UTF-8 is a 400, not U+FFFD', async (t) => {
  const app = await build(t);
  const cases: Array<[string, Buffer]> = [
    ['a lone continuation byte', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0x80]), Buffer.from('"}')])],
    ['a truncated sequence', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3]), Buffer.from('"}')])],
    ['an overlong encoding', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
    ['a UTF-16 surrogate', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
    ['Latin-1 text', Buffer.from('{"name":"café"}', 'latin1')],
  ];
  const before = databaseDigest(app);
  for (const [what, payload] of cases) {
    for (const [method, url] of [
      ['POST', '/v1/user/bytes/'],
      ['POST', '/event/'],
    ] as const) {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${WS_A.api_keys[0]}`, 'content-type': 'application/json' },
        payload,
      });
      const err = expectApiError(t, res, 400, `${what} on ${url}`);
      t.match(err.message, /not valid UTF-8/);
    }
  }
  t.equal(databaseDigest(app), before, 'nothing changed');
  const good = await bearer(app, 'POST', '/v1/user/bytes/', { name: 'café ✓ 😀' });
  t.equal(JSON.parse(good.body).properties.name, 'café ✓ 😀', 'valid multibyte UTF-8 is read as before');
});
