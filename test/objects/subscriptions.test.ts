/**
 * Object subscriptions over HTTP: adding (distinct_ids, inline users, child
 * objects), the upsert semantics, removing (JSON body or query), and the
 * three listings. Expected shapes come from the OpenAPI subset's examples.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { dbSubscriptionCount, matchesSchemas } from './fixtures/helpers.js';
import { build, call, expectApiError, inboxOf, ok, TIMESTAMP } from '../helpers/index.js';

const SUBS = '/v1/object/teams/devs/subscription/';

async function seeded(t: Test): Promise<FastifyInstance> {
  const app = await build(t);
  await ok(t, app, 'POST', '/v1/object/teams/devs/', { name: 'Devs' }, 201);
  await ok(t, app, 'POST', '/v1/object/teams/frontend/', { stack: 'react' }, 201);
  return app;
}

t.test('subscribing a distinct_id, an inline user and a child object', async (t) => {
  const app = await seeded(t);
  await ok(t, app, 'POST', '/v1/user/existing/', { name: 'Old' }, 201);
  const existingBefore = await ok(t, app, 'GET', '/v1/user/existing/', undefined, 200);
  const res = await call(app, 'POST', SUBS, {
    recipients: [
      'new_user',
      'existing',
      { distinct_id: 'inline', $email: ['inline@example.com'], name: 'Inline' },
      { id: 'frontend', object_type: 'teams' },
    ],
    properties: { role: 'developer' },
  });
  t.equal(res.status, 200, 'documented status 200');
  matchesSchemas(t, res.body, 'subscription_create_200', 'subscription_create', 'POST subscription');
  const items = res.body.results as any[];
  t.equal(items.length, 4, 'one item per recipient');
  t.same(Object.keys(items[0]), ['properties', 'user', 'object', 'created_at', 'updated_at'], 'item keys in the documented order');
  t.same(
    items.map((i) => i.user?.distinct_id ?? null),
    ['new_user', 'existing', 'inline', null],
  );
  t.same(items[3].object, { id: 'frontend', object_type: 'teams', subscriptions_count: 0, updated_at: items[3].object.updated_at });
  t.ok(
    items.every((i) => i.properties.role === 'developer'),
    'properties on every subscription',
  );
  t.ok(
    items.every((i) => i.created_at === i.updated_at),
    'new subscriptions: created_at = updated_at',
  );
  t.match(items[0].created_at, TIMESTAMP);

  // Users: created when missing (with their $inbox), upserted inline, left alone otherwise.
  const created = await ok(t, app, 'GET', '/v1/user/new_user/', undefined, 200);
  t.same(created.$inbox[0].value, inboxOf('new_user'), 'a missing user is created like any new user');
  t.equal(items[0].user.updated_at, created.updated_at, "user.updated_at is the user's updated_at");
  const inline = await ok(t, app, 'GET', '/v1/user/inline/', undefined, 200);
  t.same(inline.properties, { name: 'Inline' });
  t.same(inline.$email, [{ value: 'inline@example.com', status: 'active', perma_status: 'active' }]);
  t.same(await ok(t, app, 'GET', '/v1/user/existing/', undefined, 200), existingBefore, 'an existing user named by id is not touched');

  const parent = await ok(t, app, 'GET', '/v1/object/teams/devs/', undefined, 200);
  t.equal(parent.subscriptions_count, 4, 'subscriptions_count counts users and child objects');
  t.equal(dbSubscriptionCount(app, 'teams', 'devs'), 4, 'four rows');
});

t.test('subscribing again is an upsert: properties replaced, updated_at moves, no duplicate', async (t) => {
  const app = await seeded(t);
  const first = (
    await ok(t, app, 'POST', SUBS, { recipients: ['u1', { id: 'frontend', object_type: 'teams' }], properties: { role: 'a', x: 1 } }, 200)
  ).results;
  const again = (
    await ok(t, app, 'POST', SUBS, { recipients: ['u1', { id: 'frontend', object_type: 'teams' }], properties: { role: 'b' } }, 200)
  ).results;
  for (const i of [0, 1]) {
    t.same(again[i].properties, { role: 'b' }, `#${i}: properties replaced`);
    t.equal(again[i].created_at, first[i].created_at, `#${i}: created_at kept`);
    t.ok(again[i].updated_at > first[i].updated_at, `#${i}: updated_at moved`);
  }
  const kept = (await ok(t, app, 'POST', SUBS, { recipients: ['u1'] }, 200)).results;
  t.same(kept[0].properties, { role: 'b' }, 'without properties, the existing ones stay');
  t.equal(dbSubscriptionCount(app, 'teams', 'devs'), 2, 'still two subscriptions');
  const dup = (await ok(t, app, 'POST', SUBS, { recipients: ['u2', 'u2', { distinct_id: 'u2' }] }, 200)).results;
  t.equal(dup.length, 1, 'the same recipient three times: one subscription, one item');
  t.equal((await ok(t, app, 'GET', '/v1/object/teams/devs/', undefined, 200)).subscriptions_count, 3);
});

t.test('extra keys of a child-object recipient are upserted into the child', async (t) => {
  const app = await seeded(t);
  const res = await ok(
    t,
    app,
    'POST',
    SUBS,
    { recipients: [{ id: 'frontend', object_type: 'teams', lead: 'Ada', $email: ['fe@example.com'] }] },
    200,
  );
  const child = await ok(t, app, 'GET', '/v1/object/teams/frontend/', undefined, 200);
  t.same(child.properties, { stack: 'react', lead: 'Ada' });
  t.same(child.$email, [{ value: 'fe@example.com', status: 'active', perma_status: 'active' }]);
  t.equal(res.results[0].object.updated_at, child.updated_at, "object.updated_at is the child's");
});

t.test('GET …/subscription/ lists users and child objects, newest first, in the documented shape', async (t) => {
  const app = await seeded(t);
  await ok(t, app, 'POST', SUBS, { recipients: ['u1'], properties: { role: 'employee' } }, 200);
  await ok(t, app, 'POST', SUBS, { recipients: [{ id: 'frontend', object_type: 'teams' }] }, 200);
  await ok(t, app, 'POST', '/v1/object/teams/frontend/subscription/', { recipients: ['u9'] }, 200);
  const page = await ok(t, app, 'GET', SUBS, undefined, 200);
  matchesSchemas(t, page, 'subscription_list_200', 'subscription_list', 'subscription list');
  t.same(page.meta, { count: 2, limit: 10, has_prev: false, before: null, has_next: false, after: null });
  const [child, user] = page.results;
  t.same(child.user, null);
  t.same(
    child.object,
    { id: 'frontend', object_type: 'teams', subscriptions_count: 1, updated_at: child.object.updated_at },
    "the child's own count",
  );
  t.same(child.properties, {});
  t.same(user.object, null);
  t.equal(user.user.distinct_id, 'u1');
  t.same(user.properties, { role: 'employee' });
  const missing = await call(app, 'GET', '/v1/object/teams/none/subscription/');
  expectApiError(t, missing.raw, 404);
  t.equal(missing.body.message, "object 'teams/none' not found");
});

t.test('DELETE …/subscription/ with a JSON body, and with ?recipients=', async (t) => {
  const app = await seeded(t);
  await ok(t, app, 'POST', '/v1/object/teams/backend/', {}, 201);
  await ok(
    t,
    app,
    'POST',
    SUBS,
    { recipients: ['u1', 'u2', 'u3', 'u4', { id: 'frontend', object_type: 'teams' }, { id: 'backend', object_type: 'teams' }] },
    200,
  );
  const body = await call(app, 'DELETE', SUBS, {
    recipients: ['u1', { id: 'frontend', object_type: 'teams' }, 'never-subscribed', { id: 'ghost', object_type: 'teams' }],
  });
  t.equal(body.status, 204, 'body form: 204, unknown recipients ignored');
  t.equal(body.raw.body, '');
  const query = await call(app, 'DELETE', `${SUBS}?recipients=u2,u3`);
  t.equal(query.status, 204, 'query form: 204');
  const left = await ok(t, app, 'GET', SUBS, undefined, 200);
  t.same(
    left.results.map((i: any) => i.user?.distinct_id ?? `${i.object.object_type}/${i.object.id}`),
    ['teams/backend', 'u4'],
    'exactly the others are left',
  );
  t.equal((await ok(t, app, 'GET', '/v1/object/teams/devs/', undefined, 200)).subscriptions_count, 2);
  await ok(t, app, 'GET', '/v1/user/u1/', undefined, 200); // the user itself stays
  const missing = await call(app, 'DELETE', '/v1/object/teams/none/subscription/', { recipients: ['u4'] });
  expectApiError(t, missing.raw, 404);
  t.equal(missing.body.message, "object 'teams/none' not found");
});

t.test('GET /v1/user/{id}/subscribed_to/object/', async (t) => {
  const app = await seeded(t);
  await ok(t, app, 'POST', '/v1/object/departments/eng/', { floor: 3 }, 201);
  await ok(t, app, 'POST', SUBS, { recipients: ['u1', 'u2'], properties: { role: 'manager' } }, 200);
  await ok(t, app, 'POST', '/v1/object/departments/eng/subscription/', { recipients: ['u1'] }, 200);
  const page = await ok(t, app, 'GET', '/v1/user/u1/subscribed_to/object/', undefined, 200);
  matchesSchemas(t, page, 'user_subscribed_to_200', 'subscribed_to_list', 'user subscribed_to');
  t.same(page.meta, { count: 2, limit: 10, has_prev: false, before: null, has_next: false, after: null });
  const eng = await ok(t, app, 'GET', '/v1/object/departments/eng/', undefined, 200);
  t.same(page.results[0], {
    properties: {},
    object: { id: 'eng', object_type: 'departments', properties: { floor: 3 }, subscriptions_count: 1, updated_at: eng.updated_at },
    created_at: page.results[0].created_at,
    updated_at: page.results[0].created_at,
  });
  t.same(
    Object.keys(page.results[0].object),
    ['id', 'object_type', 'properties', 'subscriptions_count', 'updated_at'],
    'documented key order',
  );
  t.same(page.results[1].object.id, 'devs');
  t.same(page.results[1].object.subscriptions_count, 2);
  t.same(page.results[1].properties, { role: 'manager' });

  await ok(t, app, 'POST', '/v1/user/lonely/', {}, 201);
  t.same((await ok(t, app, 'GET', '/v1/user/lonely/subscribed_to/object/', undefined, 200)).results, [], 'no subscriptions: empty');
  const missing = await call(app, 'GET', '/v1/user/nobody/subscribed_to/object/');
  expectApiError(t, missing.raw, 404);
  t.same(missing.body, { code: 404, message: "User [distinct_id: 'nobody'] not found" }, 'capital U');
  const bad = await call(app, 'GET', `/v1/user/${'x'.repeat(256)}/subscribed_to/object/`);
  expectApiError(t, bad.raw, 400, 'distinct_id over 255 characters');
});

t.test('GET /v1/object/{type}/{id}/subscribed_to/object/ lists the parents', async (t) => {
  const app = await seeded(t);
  await ok(t, app, 'POST', '/v1/object/departments/eng/', { floor: 3 }, 201);
  await ok(t, app, 'POST', SUBS, { recipients: [{ id: 'frontend', object_type: 'teams' }], properties: { weight: 1 } }, 200);
  await ok(
    t,
    app,
    'POST',
    '/v1/object/departments/eng/subscription/',
    { recipients: [{ id: 'frontend', object_type: 'teams' }, 'u1'] },
    200,
  );
  const page = await ok(t, app, 'GET', '/v1/object/teams/frontend/subscribed_to/object/', undefined, 200);
  matchesSchemas(t, page, 'object_subscribed_to_200', 'subscribed_to_list', 'object subscribed_to');
  t.equal(page.meta.count, 2);
  t.same(
    page.results.map((i: any) => `${i.object.object_type}/${i.object.id}`),
    ['departments/eng', 'teams/devs'],
    'newest first',
  );
  t.same(page.results[0].object.properties, { floor: 3 });
  t.equal(page.results[0].object.subscriptions_count, 2);
  t.same(page.results[1].properties, { weight: 1 });
  t.same(
    (await ok(t, app, 'GET', '/v1/object/teams/devs/subscribed_to/object/', undefined, 200)).results,
    [],
    'devs subscribes to nothing',
  );
  const missing = await call(app, 'GET', '/v1/object/teams/none/subscribed_to/object/');
  expectApiError(t, missing.raw, 404);
  t.equal(missing.body.message, "object 'teams/none' not found");
});
