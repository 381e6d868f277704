/**
 * Resetting through the control plane: one workspace in the middle of a run
 * (its users, identities, lists, objects, subscriptions and track events go
 * at once, the other workspace is untouched, new writes work right after, the
 * background deletion leaves no row behind), and every workspace at once.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { adminOk, createWorkspace, listAllUsers, rowsWhere } from './fixtures/admin.js';
import { richWorkspace, snapshotOf } from './fixtures/snapshot.js';
import { type ErrorBody, admin, api, build, expectJson, signed, type WireUser, WS_A, WS_B } from '../helpers/index.js';

const A = WS_A.api_keys[0]!;
const B = WS_B.api_keys[0]!;

/** Tables whose rows carry the workspace's data key. */
const KEYED_TABLES = ['users', 'lists', 'list_members', 'objects', 'subscriptions', 'track_events', 'event_failures'];

/** Child rows whose parent is gone (there must never be any). */
function orphans(app: FastifyInstance): Record<string, number> {
  const q = (sql: string) => (app.emulator.db.$client.prepare(sql).get() as { n: number }).n;
  return {
    identities: q('select count(*) as n from identities c left join users p on p.id = c.user_id where p.id is null'),
    object_identities: q('select count(*) as n from object_identities c left join objects p on p.id = c.object_pk where p.id is null'),
    list_versions: q('select count(*) as n from list_versions c left join lists p on p.id = c.list_pk where p.id is null'),
    list_version_members: q(
      'select count(*) as n from list_version_members c left join list_versions p on p.id = c.version_pk where p.id is null',
    ),
  };
}

function rowCounts(app: FastifyInstance, dataKey: string): Record<string, number> {
  return Object.fromEntries(KEYED_TABLES.map((table) => [table, rowsWhere(app, table, 'workspace', dataKey)]));
}

/** Lists, objects and subscriptions (imported), then users, identities and events through the API. */
async function populate(t: Test, app: FastifyInstance) {
  await adminOk(t, app, 'POST', '/_emulator/snapshot', snapshotOf(richWorkspace('default', 'a'), richWorkspace('other', 'b')), 200);
  for (const [key, tag] of [
    [A, 'a'],
    [B, 'b'],
  ] as const) {
    for (let i = 0; i < 20; i++) {
      expectJson(
        t,
        await api(app, 'POST', `/v1/user/u${i}/`, key, {
          n: i,
          $email: [`u${i}@${tag}.example`],
          $sms: [`+1555555${String(i).padStart(4, '0')}`],
        }),
        201,
        `upsert u${i} in ${tag}`,
      );
    }
    expectJson(
      t,
      await api(app, 'POST', '/event/', key, [
        { distinct_id: 'u1', event: 'Bought', properties: { tag } },
        { distinct_id: 'u2', event: 'Viewed', properties: { tag } },
        { distinct_id: 'u3', $user_operations: [{ $set: { via: 'event' } }] },
        { event: 'no distinct id', properties: {} },
      ]),
      202,
      `events in ${tag}`,
    );
  }
}

/** A workspace's part of a snapshot when it holds nothing. */
const emptyWorkspace = (name: string) => ({
  name,
  users: [],
  lists: [],
  objects: [],
  subscriptions: [],
  tenants: [],
  user_tenant_profiles: [],
  preference_categories: null,
  preferences: [],
  tenant_preference_categories: [],
});

t.test('resetting one workspace in the middle of a run', async (t) => {
  const app = await build(t);
  await populate(t, app);
  const otherBefore = await adminOk(t, app, 'GET', '/_emulator/snapshot?workspace=other', undefined, 200);
  const oldKey = app.emulator.workspaces.get('default').dataKey;
  const otherKey = app.emulator.workspaces.get('other').dataKey;
  t.same(
    rowCounts(app, oldKey),
    { users: 22, lists: 1, list_members: 2, objects: 2, subscriptions: 2, track_events: 2, event_failures: 1 },
    'workspace "default" holds data in every table before the reset',
  );
  const otherCountsBefore = rowCounts(app, otherKey);
  t.equal(
    (await adminOk<{ entries: unknown[] }>(t, app, 'GET', '/_emulator/journal?kind=events&workspace=default', undefined, 200)).entries
      .length,
    2,
  );

  const res = await admin(app, 'POST', '/_emulator/workspaces/default/reset');
  t.equal(res.statusCode, 204, 'reset answers 204');
  t.equal(res.body, '');

  // Gone at once, before any background deletion ran.
  expectJson(t, await api(app, 'GET', '/v1/user/u1/', A), 404, 'a user is gone');
  expectJson(t, await api(app, 'GET', '/v1/user/alice/', A), 404, 'an imported user is gone');
  t.same(await listAllUsers(app, A), { count: 0, ids: [] }, 'the user listing is empty');
  const lists = expectJson<{ meta: { count: number }; results: unknown[] }>(
    t,
    await api(app, 'GET', '/v1/subscriber_list/', A),
    200,
    'lists',
  );
  t.same([lists.meta.count, lists.results.length], [0, 0], 'no lists');
  expectJson(t, await api(app, 'GET', '/v1/object/teams/t1/', A), 404, 'an object is gone');
  const events = await adminOk<{ entries: unknown[] }>(t, app, 'GET', '/_emulator/journal?kind=events&workspace=default', undefined, 200);
  t.same(events.entries, [], 'its track events are gone');
  const failures = await adminOk<{ entries: unknown[] }>(
    t,
    app,
    'GET',
    '/_emulator/journal?kind=failures&workspace=default',
    undefined,
    200,
  );
  t.same(failures.entries, [], 'its rejected records are gone');
  const exported = await adminOk<{ workspaces: unknown[] }>(t, app, 'GET', '/_emulator/snapshot?workspace=default', undefined, 200);
  t.same(exported.workspaces, [emptyWorkspace('default')], 'its snapshot is empty');

  // The other workspace is untouched.
  t.same(
    await adminOk(t, app, 'GET', '/_emulator/snapshot?workspace=other', undefined, 200),
    otherBefore,
    'workspace "other" exports the same as before',
  );
  t.same(
    await listAllUsers(app, B, 50),
    { count: 22, ids: [...Array.from({ length: 20 }, (_, i) => `u${19 - i}`), 'bob', 'alice'] },
    'workspace "other" lists all 22 users',
  );
  const otherEvents = await adminOk<{ entries: { event: string }[] }>(
    t,
    app,
    'GET',
    '/_emulator/journal?kind=events&workspace=other',
    undefined,
    200,
  );
  t.same(
    otherEvents.entries.map((e) => e.event),
    ['Viewed', 'Bought'],
    'workspace "other" keeps its track events',
  );

  // New writes work right after, with no trace of the old data.
  const alice = expectJson<WireUser>(t, await api(app, 'POST', '/v1/user/alice/', A, { fresh: true }), 201, 'upsert right after the reset');
  t.same(alice.properties, { fresh: true }, 'a new user: none of the old properties');
  t.equal(alice.$email, undefined, 'none of the old identities');
  t.equal(alice.created_at, alice.updated_at, 'created now');
  const u1 = expectJson<WireUser>(t, await signed(app, 'POST', '/v1/user/u1/', { $email: ['u1@a.example'] }, WS_A), 201, 'signed upsert');
  t.same(u1.$email, [{ value: 'u1@a.example', status: 'active', perma_status: 'active' }]);
  expectJson(
    t,
    await api(app, 'POST', '/v1/subscriber_list/', A, { list_id: 'newsletter', list_name: 'Again' }),
    201,
    'a list of the same id again',
  );
  const list = expectJson<{ subscribers_count: number; list_name: string }>(
    t,
    await api(app, 'GET', '/v1/subscriber_list/newsletter/', A),
    200,
    'GET list',
  );
  t.same([list.list_name, list.subscribers_count], ['Again', 0], 'the new list has no old members');
  expectJson(t, await api(app, 'POST', '/event/', A, { distinct_id: 'alice', event: 'After', properties: {} }), 202, 'a track event');
  const after = await adminOk<{ entries: { event: string }[] }>(
    t,
    app,
    'GET',
    '/_emulator/journal?kind=events&workspace=default',
    undefined,
    200,
  );
  t.same(
    after.entries.map((e) => e.event),
    ['After'],
    'only the new event',
  );
  t.same(await listAllUsers(app, A), { count: 2, ids: ['u1', 'alice'] }, 'only the new users');

  // The background deletion leaves no row of the old data key anywhere.
  app.emulator.workspaces.drainGc();
  t.same(
    rowCounts(app, oldKey),
    { users: 0, lists: 0, list_members: 0, objects: 0, subscriptions: 0, track_events: 0, event_failures: 0 },
    'no rows of the old data key in any table',
  );
  t.same(orphans(app), { identities: 0, object_identities: 0, list_versions: 0, list_version_members: 0 }, 'no child rows left behind');
  const identitiesOfOld = app.emulator.db.$client
    .prepare('select count(*) as n from identities where user_id not in (select id from users)')
    .get() as { n: number };
  t.equal(identitiesOfOld.n, 0);
  t.same(rowCounts(app, otherKey), otherCountsBefore, 'the other workspace kept every row');
  const status = await adminOk<{ pending_deletions: number }>(t, app, 'GET', '/_emulator/status', undefined, 200);
  t.equal(status.pending_deletions, 0, 'nothing left to delete');
  t.same(await listAllUsers(app, A), { count: 2, ids: ['u1', 'alice'] }, 'the new data survives the deletion of the old');
});

t.test('a large workspace is emptied at once; the background deletion takes the rest', async (t) => {
  const app = await build(t, { validateResponses: false });
  const batch = (from: number) =>
    Array.from({ length: 400 }, (_, i) => ({
      $schema: '2',
      distinct_id: `bulk-${from + i}`,
      $user_operations: [{ $set: { i: from + i }, $append: { $email: `bulk-${from + i}@example.com` } }],
    }));
  for (let from = 0; from < 2400; from += 400) expectJson(t, await api(app, 'POST', '/event/', A, batch(from)), 202, `batch from ${from}`);
  const oldKey = app.emulator.workspaces.get('default').dataKey;
  t.equal(rowsWhere(app, 'users', 'workspace', oldKey), 2400, '2400 users stored');

  expectJson(t, await admin(app, 'POST', '/_emulator/workspaces/default/reset'), 204, 'reset');
  t.same(await listAllUsers(app, A), { count: 0, ids: [] }, 'empty at once');
  expectJson(t, await api(app, 'POST', '/v1/user/bulk-7/', A, { again: 1 }), 201, 'a write right after');

  app.emulator.workspaces.drainGc();
  t.equal(rowsWhere(app, 'users', 'workspace', oldKey), 0, 'all 2400 old users deleted');
  t.same(orphans(app), { identities: 0, object_identities: 0, list_versions: 0, list_version_members: 0 }, 'and their identities');
  const identities = app.emulator.db.$client.prepare('select count(*) as n from identities').get() as { n: number };
  t.equal(identities.n, 1, "only the new user's $inbox identity remains");
  t.same(await listAllUsers(app, A), { count: 1, ids: ['bulk-7'] });
});

t.test('resetting an unknown workspace', async (t) => {
  const app = await build(t);
  const err = expectJson<ErrorBody>(t, await admin(app, 'POST', '/_emulator/workspaces/nope/reset'), 404, 'unknown');
  t.same(err, { code: 404, message: "workspace 'nope' not found" });
});

t.test('resetting every workspace', async (t) => {
  const app = await build(t);
  await populate(t, app);
  const runtime = await createWorkspace(t, app, { name: 'runtime' });
  expectJson(t, await api(app, 'POST', '/v1/user/r1/', runtime.api_keys[0]!, { n: 1 }), 201, 'user in a runtime workspace');
  const journalBefore = await adminOk<{ entries: unknown[] }>(t, app, 'GET', '/_emulator/journal', undefined, 200);
  t.ok(journalBefore.entries.length > 40, 'the journal holds the requests so far');

  const res = await admin(app, 'POST', '/_emulator/reset');
  t.equal(res.statusCode, 204, 'reset all answers 204');
  for (const kind of ['requests', 'events', 'failures']) {
    const j = await adminOk<{ entries: unknown[] }>(t, app, 'GET', `/_emulator/journal?kind=${kind}`, undefined, 200);
    t.same(j.entries, [], `journal of ${kind} is empty`);
  }

  for (const [name, key] of [
    ['default', A],
    ['other', B],
    ['runtime', runtime.api_keys[0]!],
  ] as const) {
    t.same(await listAllUsers(app, key), { count: 0, ids: [] }, `${name}: no users (and its credentials still work)`);
  }
  const snap = await adminOk<{ workspaces: unknown[] }>(t, app, 'GET', '/_emulator/snapshot', undefined, 200);
  t.same(snap.workspaces, ['default', 'other', 'runtime'].map(emptyWorkspace), 'every workspace is still there, empty');
  t.equal(rowsWhere(app, 'identities', '1', 1), 0, 'no identities at all');
  t.equal(rowsWhere(app, 'object_identities', '1', 1), 0, 'no object identities at all');

  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, { back: true }), 201, 'writes work right after');
  t.same(await listAllUsers(app, A), { count: 1, ids: ['alice'] });
  t.same(await listAllUsers(app, B), { count: 0, ids: [] }, 'and stay in their workspace');
});
