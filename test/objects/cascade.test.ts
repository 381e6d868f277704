/**
 * What happens to subscriptions when users and objects go away (decision
 * 10): deleting a user, bulk-deleting users, merging users, deleting an
 * object (as parent and as child). subscriptions_count is checked, through
 * the API and against the rows, after every step.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { dbSubscriptionCount } from './fixtures/helpers.js';
import { build, call, ok } from '../helpers/index.js';

/** Asserts subscriptions_count of each object, through GET and in the database. */
async function counts(t: Test, app: FastifyInstance, expected: Record<string, number>, step: string): Promise<void> {
  for (const [name, n] of Object.entries(expected)) {
    const [type, id] = name.split('/') as [string, string];
    const got = await ok(t, app, 'GET', `/v1/object/${type}/${id}/`, undefined, 200);
    t.equal(got.subscriptions_count, n, `${step}: ${name} subscriptions_count ${n}`);
    t.equal(dbSubscriptionCount(app, type, id), n, `${step}: ${name} has ${n} subscription rows`);
  }
}

const subscribers = async (app: FastifyInstance, type: string, id: string) =>
  ((await call(app, 'GET', `/v1/object/${type}/${id}/subscription/?limit=100`)).body.results as any[]).map(
    (i) => i.user?.distinct_id ?? `${i.object.object_type}/${i.object.id}`,
  );

const subscribedTo = async (app: FastifyInstance, distinctId: string) => {
  const res = await call(app, 'GET', `/v1/user/${distinctId}/subscribed_to/object/?limit=100`);
  return res.status === 200
    ? (res.body.results as any[]).map((i) => `${i.object.object_type}/${i.object.id}:${JSON.stringify(i.properties)}`)
    : res.status;
};

async function world(t: Test): Promise<FastifyInstance> {
  const app = await build(t);
  for (const o of ['teams/a', 'teams/b', 'teams/c']) await ok(t, app, 'POST', `/v1/object/${o}/`, {}, 201);
  return app;
}

t.test('deleting a user removes its subscriptions', async (t) => {
  const app = await world(t);
  await ok(t, app, 'POST', '/v1/object/teams/a/subscription/', { recipients: ['u1', 'u2'] }, 200);
  await ok(t, app, 'POST', '/v1/object/teams/b/subscription/', { recipients: ['u1'] }, 200);
  await counts(t, app, { 'teams/a': 2, 'teams/b': 1 }, 'before');
  t.equal((await call(app, 'DELETE', '/v1/user/u1/')).status, 204, 'user deleted');
  await counts(t, app, { 'teams/a': 1, 'teams/b': 0 }, 'after deleting u1');
  t.same(await subscribers(app, 'teams', 'a'), ['u2']);
  t.equal(await subscribedTo(app, 'u1'), 404, "u1's listing: 404");
  // A user recreated under the same id starts with no subscriptions.
  await ok(t, app, 'POST', '/v1/user/u1/', {}, 201);
  t.same(await subscribedTo(app, 'u1'), [], 'a new u1 inherits nothing');

  t.equal((await call(app, 'DELETE', '/v1/bulk/user/', { distinct_ids: ['u2', 'ghost'] })).status, 204, 'bulk delete');
  await counts(t, app, { 'teams/a': 0 }, 'after bulk-deleting u2');
});

t.test("merging users moves the secondary's subscriptions to the primary; the primary's win on overlap", async (t) => {
  const app = await world(t);
  await ok(t, app, 'POST', '/v1/object/teams/a/subscription/', { recipients: ['primary'], properties: { who: 'primary' } }, 200);
  await ok(t, app, 'POST', '/v1/object/teams/a/subscription/', { recipients: ['secondary'], properties: { who: 'secondary' } }, 200);
  await ok(t, app, 'POST', '/v1/object/teams/b/subscription/', { recipients: ['secondary'], properties: { who: 'secondary' } }, 200);
  await ok(t, app, 'POST', '/v1/object/teams/c/subscription/', { recipients: ['bystander'] }, 200);
  await counts(t, app, { 'teams/a': 2, 'teams/b': 1, 'teams/c': 1 }, 'before');

  t.equal((await call(app, 'POST', '/v1/user/primary/merge/', { from_user_id: 'secondary' })).status, 201, 'merged');
  await counts(t, app, { 'teams/a': 1, 'teams/b': 1, 'teams/c': 1 }, 'after merge');
  t.same(
    ((await subscribedTo(app, 'primary')) as string[]).sort(),
    ['teams/a:{"who":"primary"}', 'teams/b:{"who":"secondary"}'],
    "primary keeps its own on teams/a and gains the secondary's teams/b",
  );
  t.same(await subscribers(app, 'teams', 'a'), ['primary']);
  t.same(await subscribers(app, 'teams', 'b'), ['primary']);
  t.same(await subscribers(app, 'teams', 'c'), ['bystander'], 'others untouched');
  t.equal(await subscribedTo(app, 'secondary'), 404, 'the secondary is gone');
});

t.test('deleting an object removes its subscriptions, as parent and as child', async (t) => {
  const app = await world(t);
  // b is a child of a, and the parent of c and u1.
  await ok(t, app, 'POST', '/v1/object/teams/a/subscription/', { recipients: [{ id: 'b', object_type: 'teams' }, 'u0'] }, 200);
  await ok(t, app, 'POST', '/v1/object/teams/b/subscription/', { recipients: [{ id: 'c', object_type: 'teams' }, 'u1'] }, 200);
  await ok(t, app, 'POST', '/v1/object/teams/c/subscription/', { recipients: ['u1'] }, 200);
  await counts(t, app, { 'teams/a': 2, 'teams/b': 2, 'teams/c': 1 }, 'before');
  t.same((await ok(t, app, 'GET', '/v1/object/teams/c/subscribed_to/object/', undefined, 200)).meta.count, 1, 'c is subscribed to b');

  t.equal((await call(app, 'DELETE', '/v1/object/teams/b/')).status, 204, 'b deleted');
  await counts(t, app, { 'teams/a': 1, 'teams/c': 1 }, 'after deleting b');
  t.same(await subscribers(app, 'teams', 'a'), ['u0'], "b's subscription to a is gone");
  t.same(
    (await ok(t, app, 'GET', '/v1/object/teams/c/subscribed_to/object/', undefined, 200)).results,
    [],
    "c's subscription to b is gone",
  );
  t.same(await subscribedTo(app, 'u1'), ['teams/c:{}'], "u1's subscription to b is gone");
  await ok(t, app, 'GET', '/v1/user/u1/', undefined, 200); // users stay
  const rows = app.emulator.db.$client.prepare('SELECT count(*) AS n FROM subscriptions').get() as { n: number };
  t.equal(rows.n, 2, 'two subscription rows left in all');

  // A re-created b starts with no subscriptions either way.
  const again = await ok(t, app, 'POST', '/v1/object/teams/b/', {}, 201);
  t.equal(again.subscriptions_count, 0);

  t.equal((await call(app, 'DELETE', '/v1/bulk/object/teams/', { object_ids: ['a', 'c'] })).status, 204, 'bulk delete');
  t.equal((app.emulator.db.$client.prepare('SELECT count(*) AS n FROM subscriptions').get() as { n: number }).n, 0, 'no rows left');
  t.same(await subscribedTo(app, 'u1'), [], 'u1 is subscribed to nothing');
});

t.test('subscriptions_count follows unsubscribes and stays per object', async (t) => {
  const app = await world(t);
  await ok(t, app, 'POST', '/v1/object/teams/a/subscription/', { recipients: ['u1', 'u2', 'u3', { id: 'c', object_type: 'teams' }] }, 200);
  await counts(t, app, { 'teams/a': 4, 'teams/b': 0, 'teams/c': 0 }, 'subscribed');
  await call(app, 'DELETE', '/v1/object/teams/a/subscription/', { recipients: ['u2', { id: 'c', object_type: 'teams' }] });
  await counts(t, app, { 'teams/a': 2, 'teams/c': 0 }, 'after unsubscribing two');
  const list = await ok(t, app, 'GET', '/v1/object/teams/', undefined, 200);
  t.same(
    Object.fromEntries(list.results.map((o: any) => [o.id, o.subscriptions_count])),
    { a: 2, b: 0, c: 0 },
    'the listing shows the same counts',
  );
});
