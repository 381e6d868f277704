/**
 * Objects over HTTP: upsert, get, edit, delete, list, bulk delete. Expected
 * values come from the spec (§9.2, the OpenAPI subset's examples, decisions
 * 3–7 and 11), not from the server's own output.
 */
import t from 'tap';
import { fixture, matchesSchemas, objectInbox, plainKeys, strict, upstream } from './fixtures/helpers.js';
import { build, call, expectApiError, inboxOf, ok, schemaErrors, signed, TIMESTAMP, WS_A, WS_B, signedAs } from '../helpers/index.js';

const OBJECT_KEYS = ['object_type', 'id', 'subscriptions_count', 'properties', 'created_at', 'updated_at'];

t.test("the spec's own examples pass the (null-adapted) upstream schemas and the strict ones", async (t) => {
  const ex = fixture.response_examples as Record<string, any>;
  const pairs: [string, string, string?][] = [
    ['object_upsert_201', 'object_upsert_201', 'object'],
    ['object_get_200', 'object_get_200', 'object'],
    ['object_edit_200', 'object_edit_200', 'object'],
    ['object_list_200', 'object_list_200', 'object_list'],
    ['subscription_list_200', 'subscription_list_200', 'subscription_list'],
    ['subscription_create_200', 'subscription_create_200'],
    ['object_subscribed_to_200', 'object_subscribed_to_200', 'subscribed_to_list'],
    ['user_subscribed_to_200', 'user_subscribed_to_200', 'subscribed_to_list'],
  ];
  for (const [example, schema, strictName] of pairs) {
    t.same(schemaErrors(upstream[schema]!, ex[example]), [], `${example} passes the upstream schema`);
    if (strictName) t.same(schemaErrors(strict[strictName]!, ex[example]), [], `${example} passes the strict ${strictName} schema`);
  }
  // Without the adaptation, the spec contradicts itself (hence the nullable places, and only those).
  t.not(
    schemaErrors(fixture.responses.subscription_list_200!, ex.subscription_list_200).length,
    0,
    'the raw subscription list schema rejects its example',
  );
  t.equal(ex.object_get_404.message, "object 'obj_type/obj_id' not found", 'the documented 404 message form');
  t.equal(ex.object_edit_400.message, 'Request body must not be empty', 'the documented empty-edit message');
  t.equal(ex.user_subscribed_to_404.message, "User [distinct_id: 'user1'] not found", 'capital U on subscribed_to/object');
});

t.test('upsert creates an object shaped like the docs example, get returns it', async (t) => {
  const app = await build(t);
  const body = {
    department: 'Engineering',
    $locale: 'en_GB',
    $email: ['devs@example.com'],
    $slack: [{ channel: 'CXXXXXXXX', access_token: 'xoxb-XXXXXX' }],
  };
  const created = await ok(t, app, 'POST', '/v1/object/departments/engineering/', body, 201);
  t.same(plainKeys(created), OBJECT_KEYS, 'keys in the order of the docs example');
  t.same(
    { ...created, created_at: 'x', updated_at: 'x' },
    {
      object_type: 'departments',
      id: 'engineering',
      subscriptions_count: 0,
      properties: { department: 'Engineering', $locale: 'en_GB' },
      created_at: 'x',
      updated_at: 'x',
      $email: [{ value: 'devs@example.com', status: 'active', perma_status: 'active' }],
      $inbox: objectInbox('departments', 'engineering'),
      $slack: [{ value: { channel: 'CXXXXXXXX', access_token: 'xoxb-XXXXXX' }, status: 'active', perma_status: 'active' }],
    },
    'properties, channels and the generated $inbox',
  );
  t.match(created.created_at, TIMESTAMP);
  t.equal(created.updated_at, created.created_at, 'new: created_at = updated_at');
  t.match(created.$inbox[0].value, /^[A-Za-z0-9_-]{43}$/, '$inbox is 43 base64url characters');
  matchesSchemas(t, created, 'object_upsert_201', 'object', 'upsert 201');

  const got = await ok(t, app, 'GET', '/v1/object/departments/engineering/', undefined, 200);
  t.same(got, created, 'GET returns what the upsert answered');
  t.same(Object.keys(got), Object.keys(created), 'same key order');
  matchesSchemas(t, got, 'object_get_200', 'object', 'get 200');

  // Served without the trailing slash too, and signed as the SDKs send it.
  t.same(await ok(t, app, 'GET', '/v1/object/departments/engineering', undefined, 200), created, 'no trailing slash');
  const viaSdk = await signed(app, 'GET', '/v1/object/departments/engineering/');
  t.equal(viaSdk.statusCode, 200, 'HMAC-signed request');
});

t.test('a second upsert overwrites properties and merges channels; created_at stays', async (t) => {
  const app = await build(t);
  const first = await ok(t, app, 'POST', '/v1/object/teams/devs/', { name: 'Devs', size: 3, $email: ['a@example.com'] }, 201);
  const second = await ok(t, app, 'POST', '/v1/object/teams/devs/', { size: 4, $email: ['b@example.com', 'a@example.com'] }, 201);
  t.same(second.properties, { name: 'Devs', size: 4 }, 'size overwritten, name kept');
  t.same(
    second.$email.map((i: { value: string }) => i.value),
    ['a@example.com', 'b@example.com'],
    'identities merged, de-duplicated, nothing removed',
  );
  t.equal(second.created_at, first.created_at, 'created_at unchanged');
  t.ok(second.updated_at > first.updated_at, 'updated_at moves forward');
  t.same(second.$inbox, first.$inbox, '$inbox kept');
});

t.test('PATCH applies operations and answers 200 (not 202)', async (t) => {
  const app = await build(t);
  await ok(t, app, 'POST', '/v1/object/teams/devs/', { name: 'Devs', $sms: ['+15555550100'] }, 201);
  const res = await call(app, 'PATCH', '/v1/object/teams/devs/', {
    operations: [
      { $set: { name: 'Engineering Department', $timezone: 'America/New_York' } },
      { $append: { $email: 'team@example.com' } },
      { $unset: ['$sms'] },
      { $increment: { visits: 2 } },
    ],
  });
  t.equal(res.status, 200, '200');
  t.same(res.body.properties, { name: 'Engineering Department', $timezone: 'America/New_York', visits: 2 });
  t.same(res.body.$email, [{ value: 'team@example.com', status: 'active', perma_status: 'active' }]);
  t.notOk('$sms' in res.body, '$unset removed the whole channel');
  t.same(plainKeys(res.body), OBJECT_KEYS);
  matchesSchemas(t, res.body, 'object_edit_200', 'object', 'edit 200');
  t.same(await ok(t, app, 'GET', '/v1/object/teams/devs/', undefined, 200), res.body, 'stored');

  const empty = expectApiError(t, (await call(app, 'PATCH', '/v1/object/teams/devs/', { operations: [] })).raw, 400, 'empty operations');
  t.match(empty.message, /^Request body must not be empty/, 'upstream message');
  const none = expectApiError(t, (await call(app, 'PATCH', '/v1/object/teams/devs/')).raw, 400, 'no body');
  t.match(none.message, /^Request body must not be empty/, 'upstream message without a body');
  const missing = expectApiError(t, (await call(app, 'PATCH', '/v1/object/teams/nobody/', { operations: [{ $set: { a: 1 } }] })).raw, 404);
  t.equal(missing.message, "object 'teams/nobody' not found");
});

t.test('DELETE answers 204, then the object is gone (404 in the short error form)', async (t) => {
  const app = await build(t);
  await ok(t, app, 'POST', '/v1/object/teams/devs/', { name: 'Devs' }, 201);
  const del = await call(app, 'DELETE', '/v1/object/teams/devs/');
  t.equal(del.status, 204);
  t.equal(del.raw.body, '', 'no body');
  const res = await call(app, 'GET', '/v1/object/teams/devs/');
  expectApiError(t, res.raw, 404);
  t.same(res.body, { code: 404, message: "object 'teams/devs' not found" }, 'exactly {code, message}');
  t.same(
    (await call(app, 'DELETE', '/v1/object/teams/devs/')).body,
    { code: 404, message: "object 'teams/devs' not found" },
    'deleting again: 404',
  );
  t.same(schemaErrors(upstream.error_404!, res.body), [], '404 matches the spec schema');
});

t.test('object_type and id are percent-decoded per segment and kept apart', async (t) => {
  const app = await build(t);
  const type = 'org units';
  const id = 'a/b c+d%';
  const url = `/v1/object/${encodeURIComponent(type)}/${encodeURIComponent(id)}/`;
  const created = await ok(t, app, 'POST', url, { n: 1 }, 201);
  t.equal(created.object_type, type);
  t.equal(created.id, id);
  t.equal(
    created.$inbox[0].value,
    inboxOf(`${encodeURIComponent(type)}/${encodeURIComponent(id)}`),
    '$inbox HMAC over the encoded `<type>/<id>`',
  );
  t.same((await ok(t, app, 'GET', url, undefined, 200)).properties, { n: 1 });
  // Same type and id split differently is another object.
  const other = await ok(t, app, 'POST', `/v1/object/${encodeURIComponent('org units/a')}/${encodeURIComponent('b c+d%')}/`, {}, 201);
  t.not(other.$inbox[0].value, created.$inbox[0].value, 'a different split gives a different $inbox');
  t.equal(
    (await ok(t, app, 'GET', `/v1/object/${encodeURIComponent(type)}/`, undefined, 200)).meta.count,
    1,
    'one object of type "org units"',
  );
});

t.test('list: newest first, with channels, counted per type and workspace', async (t) => {
  const app = await build(t);
  for (const id of ['a', 'b', 'c']) await ok(t, app, 'POST', `/v1/object/teams/${id}/`, { name: id.toUpperCase() }, 201);
  await ok(t, app, 'POST', '/v1/object/departments/x/', {}, 201);
  const page = await ok(t, app, 'GET', '/v1/object/teams/', undefined, 200);
  t.same(page.meta, { count: 3, limit: 10, has_prev: false, before: null, has_next: false, after: null });
  t.same(
    page.results.map((o: { id: string }) => o.id),
    ['c', 'b', 'a'],
    'newest first, only this type',
  );
  t.same(page.results[0].$inbox, objectInbox('teams', 'c'), 'results carry channels');
  t.same(plainKeys(page.results[0]), OBJECT_KEYS);
  matchesSchemas(t, page, 'object_list_200', 'object_list', 'list 200');

  // Workspace B sees none of it.
  const other = await signed(app, 'GET', '/v1/object/teams/', undefined, WS_B);
  t.equal(JSON.parse(other.body).meta.count, 0, 'another workspace sees no objects');
  const limited = await ok(t, app, 'GET', '/v1/object/teams/?limit=2&unknown=1', undefined, 200);
  t.same(
    limited.results.map((o: { id: string }) => o.id),
    ['c', 'b'],
  );
  t.equal(limited.meta.has_next, true);
  t.type(limited.meta.after, 'string');
  const empty = await ok(t, app, 'GET', '/v1/object/nothing_here/', undefined, 200);
  t.same(
    empty,
    { meta: { count: 0, limit: 10, has_prev: false, before: null, has_next: false, after: null }, results: [] },
    'an unknown type lists nothing',
  );
});

t.test('bulk delete: 204, unknown ids are fine, other types untouched', async (t) => {
  const app = await build(t);
  for (const id of ['a', 'b', 'c']) await ok(t, app, 'POST', `/v1/object/teams/${id}/`, {}, 201);
  await ok(t, app, 'POST', '/v1/object/departments/a/', {}, 201);
  const res = await call(app, 'DELETE', '/v1/bulk/object/teams/', { object_ids: ['a', 'c', 'zzz'] });
  t.equal(res.status, 204);
  const left = await ok(t, app, 'GET', '/v1/object/teams/', undefined, 200);
  t.same(
    left.results.map((o: { id: string }) => o.id),
    ['b'],
  );
  await ok(t, app, 'GET', '/v1/object/departments/a/', undefined, 200);
  t.equal((await call(app, 'DELETE', '/v1/bulk/object/teams/', { object_ids: ['nope'] })).status, 204, 'only unknown ids: still 204');
});

t.test('other methods answer 405 with Allow', async (t) => {
  const app = await build(t);
  const cases: [string, string, string][] = [
    ['PUT', '/v1/object/teams/devs/', 'GET, HEAD, POST, PATCH, DELETE'],
    ['POST', '/v1/object/teams/', 'GET, HEAD'],
    ['GET', '/v1/bulk/object/teams/', 'DELETE'],
    ['PATCH', '/v1/object/teams/devs/subscription/', 'GET, HEAD, POST, DELETE'],
    ['POST', '/v1/object/teams/devs/subscribed_to/object/', 'GET, HEAD'],
    ['DELETE', '/v1/user/u1/subscribed_to/object/', 'GET, HEAD'],
  ];
  for (const [method, url, allow] of cases) {
    const res = await call(app, method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
    expectApiError(t, res.raw, 405, `${method} ${url}`);
    t.equal(res.raw.headers.allow, allow, `${method} ${url}: Allow`);
  }
});

t.test('objects and subscriptions belong to one workspace, and go with its reset', async (t) => {
  const app = await build(t);
  await ok(t, app, 'POST', '/v1/object/teams/devs/', { name: 'A' }, 201);
  await ok(t, app, 'POST', '/v1/object/teams/devs/subscription/', { recipients: ['u1'] }, 200);
  const inB = (method: string, url: string, body?: unknown) => call(app, method, url, body, signedAs(WS_B));
  t.equal((await inB('GET', '/v1/object/teams/devs/')).status, 404, 'B cannot read A’s object');
  t.equal((await inB('GET', '/v1/user/u1/subscribed_to/object/')).status, 404, 'nor A’s user');
  t.equal((await inB('POST', '/v1/object/teams/devs/subscription/', { recipients: ['u1'] })).status, 404, 'nor subscribe to it');
  const own = await inB('POST', '/v1/object/teams/devs/', { name: 'B' });
  t.equal(own.status, 201, 'B has its own teams/devs');
  t.equal(own.body.subscriptions_count, 0);
  t.not(own.body.$inbox[0].value, inboxOf('teams/devs'), "B's $inbox uses B's inbox secret");
  t.equal(own.body.$inbox[0].value, inboxOf('teams/devs', WS_B.inbox_secret), 'same HMAC, other secret');
  t.same((await ok(t, app, 'GET', '/v1/object/teams/devs/', undefined, 200)).properties, { name: 'A' }, 'A unchanged');

  app.emulator.workspaces.reset(WS_A.name);
  t.equal((await call(app, 'GET', '/v1/object/teams/devs/')).status, 404, 'after a reset A’s object is gone');
  t.equal((await ok(t, app, 'GET', '/v1/object/teams/', undefined, 200)).meta.count, 0);
  t.same((await inB('GET', '/v1/object/teams/devs/')).body.properties, { name: 'B' }, "B's object stays");
  const again = await ok(t, app, 'POST', '/v1/object/teams/devs/', {}, 201);
  t.equal(again.subscriptions_count, 0, 'a new teams/devs in A starts with no subscriptions');
});
