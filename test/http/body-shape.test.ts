/**
 * A JSON body must be of the shape the route takes: `null`, a number or a
 * string (or an array where an object is required) on a POST or PATCH is a
 * 400 in the error shape, and changes nothing. Bytes that are not UTF-8 are a
 * 400 too, never silently read as U+FFFD.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { bearer, build, expectApiError, signedHeaders, WS_A } from '../helpers/index.js';

/** A digest of every table's rows: equal digests, nothing changed. */
function databaseDigest(app: FastifyInstance): string {
  const db = app.emulator.db.$client;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
  const hash = createHash('sha256');
  for (const { name } of tables) hash.update(name).update(JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all()));
  return hash.digest('hex');
}

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

t.test('null, a number, a string (and an array where an object is required): 400 on every POST/PATCH route', async (t) => {
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
      .replace('{id}', 't1');

  const routes = bodyRoutes(app);
  t.ok(routes.length >= 13, `${routes.length} routes take a body`);
  const before = databaseDigest(app);
  for (const route of routes) {
    const url = fill(route.path);
    const bodies = ['null', '1', '"x"', 'true', ...(route.arrays ? [] : ['[]', '[{"name":"x"}]'])];
    for (const body of bodies) {
      for (const how of ['bearer', 'signed'] as const) {
        const headers =
          how === 'bearer'
            ? { authorization: `Bearer ${WS_A.api_keys[0]}`, 'content-type': 'application/json' }
            : signedHeaders(WS_A, route.method, url, body);
        const res = await app.inject({ method: route.method, url, headers, payload: body });
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
