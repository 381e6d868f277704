/**
 * Snapshots through /_emulator/snapshot: rich state built through the public
 * API, exported, imported into a fresh server and exported again (identical
 * JSON); the imported state served by the SuprSend API; bad snapshots refused
 * with nothing changed; a seeded start (SEED_PATH) serving the seeded users.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { adminOk, createWorkspace, type WireWorkspace } from './fixtures/admin.js';
import { identity, richWorkspace, snapshotOf, T0 } from './fixtures/snapshot.js';
import {
  type ErrorBody,
  tempDir,
  admin,
  api,
  build,
  expectJson,
  testConfig,
  type WireUser,
  WS_A,
  WS_B,
  writeIn,
} from '../helpers/index.js';

const A = WS_A.api_keys[0]!;
const B = WS_B.api_keys[0]!;

interface SnapshotDoc {
  format: string;
  version: number;
  workspaces: {
    name: string;
    users: { distinct_id: string; identities: { channel: string; value: unknown; status: string; perma_status: string }[] }[];
    lists: { list_id: string; members: { distinct_id: string }[]; drafts: { version_id: string; members: { distinct_id: string }[] }[] }[];
    objects: { object_type: string; id: string; identities: { channel: string }[] }[];
    subscriptions: { object: { object_type: string; id: string }; subscriber: unknown; properties: Record<string, unknown> }[];
  }[];
}

/** Builds rich state through the SuprSend API and the bounce simulation; returns the draft's version_id. */
async function buildRichState(t: Test, app: FastifyInstance, extraKey: string): Promise<string> {
  const ok = async (method: 'GET' | 'POST' | 'PATCH', url: string, body: unknown, status: number, key = A) =>
    expectJson(t, await api(app, method, url, key, body), status, `${method} ${url}`);
  await ok(
    'POST',
    '/v1/user/alice/',
    {
      name: 'Alice',
      address: { city: 'Paris', zip: '75001' },
      tags: ['a', 'b'],
      $email: ['alice@example.com'],
      $sms: ['+15555550123'],
      $whatsapp: ['+15555550124'],
      $androidpush: ['android-token-1'],
      $iospush: ['ios-token-1'],
      $webpush: [{ endpoint: 'https://push.example.com/sub/1', keys: { p256dh: 'p256dh-1', auth: 'auth-1' } }],
      $slack: [{ email: 'alice@example.com', access_token: 'xoxb-alice' }],
      $ms_teams: [{ tenant_id: 'tenant-1', service_url: 'https://smba.trafficmanager.net/amer', conversation_id: '19:conv-1' }],
      $timezone: 'Europe/Paris',
      $preferred_language: 'fr',
    },
    201,
  );
  await ok('PATCH', '/v1/user/alice/', { operations: [{ $set: { edited: true } }, { $append: { $email: 'alice2@example.com' } }] }, 202);
  await adminOk(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    { distinct_id: 'alice', channel: '$email', value: 'alice@example.com', outcome: 'hard_bounce' },
    200,
  );
  await adminOk(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    { distinct_id: 'alice', channel: '$sms', value: '+15555550123', outcome: 'soft_bounce' },
    200,
  );
  await ok('POST', '/v1/user/bob/', { name: 'Bob', $email: ['bob@example.com'] }, 201);

  await ok(
    'POST',
    '/v1/subscriber_list/',
    { list_id: 'newsletter', list_name: 'News', list_description: 'Weekly news', track_user_entry: true },
    201,
  );
  await ok('POST', '/v1/subscriber_list/', { list_id: 'empty-list', list_name: 'Empty' }, 201);
  await ok('POST', '/v1/subscriber_list/newsletter/subscriber/add/', { distinct_ids: ['alice', 'bob', 'not-a-user'] }, 201);
  const draft = (await ok('POST', '/v1/subscriber_list/newsletter/start_sync/', undefined, 201)) as { version_id: string };
  await ok('POST', `/v1/subscriber_list/newsletter/version/${draft.version_id}/subscriber/add/`, { distinct_ids: ['carol', 'alice'] }, 201);

  await ok(
    'POST',
    '/v1/object/teams/t1/',
    { name: 'Team 1', $email: ['team@example.com'], $slack: [{ channel_id: 'C1', access_token: 'xoxb-team' }] },
    201,
  );
  await ok('POST', '/v1/object/departments/d1/', { name: 'Dept 1' }, 201);
  await ok('POST', '/v1/object/teams/t1/subscription/', { recipients: ['alice', 'bob'], properties: { role: 'member' } }, 200);
  await ok(
    'POST',
    '/v1/object/departments/d1/subscription/',
    { recipients: [{ object_type: 'teams', id: 't1' }], properties: { since: 2024 } },
    200,
  );

  // Another configured workspace, and a runtime one.
  await ok('POST', '/v1/user/alice/', { name: 'Alice in B', $email: ['alice@b.example'] }, 201, B);
  await ok('POST', '/v1/object/teams/t1/', { name: 'B team' }, 201, B);
  await ok('POST', '/v1/user/x1/', { name: 'X' }, 201, extraKey);
  return draft.version_id;
}

/** What the SuprSend API serves for that state (bodies as text). */
/**
 * What the API serves for the snapshot's state. The opaque `id` of list
 * members is a cursor over row ids, which a snapshot does not carry (old rows
 * still hold them while they are deleted), so it is left out of the comparison.
 */
async function served(
  app: FastifyInstance,
  versionId: string,
  extraKey: string,
): Promise<Record<string, { status: number; body: string }>> {
  const urls: [string, string][] = [
    ['/v1/user/alice/', A],
    ['/v1/user/bob/', A],
    ['/v1/user/?limit=10', A],
    ['/v1/subscriber_list/newsletter/', A],
    ['/v1/subscriber_list/?limit=10', A],
    ['/v1/subscriber_list/newsletter/subscriber/?limit=10', A],
    [`/v1/subscriber_list/newsletter/version/${versionId}/`, A],
    ['/v1/object/teams/t1/', A],
    ['/v1/object/departments/d1/', A],
    ['/v1/object/teams/t1/subscription/?limit=10', A],
    ['/v1/object/departments/d1/subscription/?limit=10', A],
    ['/v1/user/alice/subscribed_to/object/?limit=10', A],
    ['/v1/user/alice/subscribed_to/list/?limit=10', A],
    ['/v1/object/teams/t1/subscribed_to/object/?limit=10', A],
    ['/v1/user/alice/', B],
    ['/v1/object/teams/t1/', B],
    ['/v1/user/x1/', extraKey],
  ];
  const out: Record<string, { status: number; body: string }> = {};
  for (const [url, key] of urls) {
    const res = await api(app, 'GET', url, key);
    const body = url.includes('/subscriber/') ? res.body.replace(/"id":"[^"]*",/g, '') : res.body;
    out[`${key === A ? 'A' : key === B ? 'B' : 'extra'} ${url}`] = { status: res.statusCode, body };
  }
  return out;
}

t.test('export → import into a fresh server → export gives identical JSON, and the API serves the same', async (t) => {
  const first = await build(t);
  const extra = await createWorkspace(t, first, { name: 'extra' });
  const versionId = await buildRichState(t, first, extra.api_keys[0]!);

  const exportRes = await admin(first, 'GET', '/_emulator/snapshot');
  t.equal(exportRes.statusCode, 200, 'export answers 200');
  t.match(String(exportRes.headers['content-type']), /^application\/json/);
  const doc = JSON.parse(exportRes.body) as SnapshotDoc;

  // The document holds what was built.
  t.equal(doc.format, 'suprsend-emulator-snapshot');
  t.equal(doc.version, 2);
  t.same(
    doc.workspaces.map((w) => w.name),
    ['default', 'other', 'extra'],
    'every workspace, in order',
  );
  const a = doc.workspaces[0]!;
  t.same(
    a.users.map((u) => u.distinct_id),
    ['alice', 'bob'],
    'users of default',
  );
  const alice = a.users[0]!;
  t.same(
    [...new Set(alice.identities.map((i) => i.channel))].sort(),
    ['$androidpush', '$email', '$inbox', '$iospush', '$ms_teams', '$slack', '$sms', '$webpush', '$whatsapp'],
    'alice has identities on every channel',
  );
  t.match(
    alice.identities.find((i) => i.value === 'alice@example.com'),
    { status: 'inactive', perma_status: 'disabled' },
    'the hard bounce is in the snapshot',
  );
  t.match(
    alice.identities.find((i) => i.value === '+15555550123'),
    { status: 'inactive', perma_status: 'active' },
    'the soft bounce too',
  );
  t.same(a.lists.map((l) => l.list_id).sort(), ['empty-list', 'newsletter']);
  const news = a.lists.find((l) => l.list_id === 'newsletter')!;
  t.same(
    news.members.map((m) => m.distinct_id),
    ['alice', 'bob', 'not-a-user'],
    'list members',
  );
  t.same(
    news.drafts.map((d) => [d.version_id, d.members.map((m) => m.distinct_id)]),
    [[versionId, ['carol', 'alice']]],
    'the draft with its members',
  );
  t.same(
    a.objects.map((o) => `${o.object_type}/${o.id}`),
    ['teams/t1', 'departments/d1'],
  );
  t.same(
    a.subscriptions.map((s) => [`${s.object.object_type}/${s.object.id}`, s.subscriber, s.properties]),
    [
      ['teams/t1', { distinct_id: 'alice' }, { role: 'member' }],
      ['teams/t1', { distinct_id: 'bob' }, { role: 'member' }],
      ['departments/d1', { object: { object_type: 'teams', id: 't1' } }, { since: 2024 }],
    ],
    'user and child-object subscriptions',
  );
  t.same(
    doc.workspaces[2]!.users.map((u) => u.distinct_id),
    ['x1'],
    'the runtime workspace',
  );
  t.notOk(exportRes.body.includes(extra.secret) || exportRes.body.includes(extra.api_keys[0]!), 'a snapshot carries no credentials');

  const before = await served(first, versionId, extra.api_keys[0]!);
  t.ok(
    Object.values(before).every((r) => r.status === 200),
    'every read answers 200 on the first server',
  );

  // Into a fresh server.
  const second = await build(t);
  const imported = await adminOk<{ imported: unknown[] }>(t, second, 'POST', '/_emulator/snapshot', doc, 200);
  t.same(
    imported.imported,
    [
      { name: 'default', users: 2, lists: 2, objects: 2, subscriptions: 3, tenants: 0 },
      { name: 'other', users: 1, lists: 0, objects: 1, subscriptions: 0, tenants: 0 },
      { name: 'extra', users: 1, lists: 0, objects: 0, subscriptions: 0, tenants: 0 },
    ],
    'import answers what it imported',
  );
  const extra2 = await adminOk<WireWorkspace>(t, second, 'GET', '/_emulator/workspaces/extra', undefined, 200);
  t.equal(extra2.origin, 'runtime', 'a workspace missing from the server is created');

  const again = await admin(second, 'GET', '/_emulator/snapshot');
  t.same(JSON.parse(again.body), doc, 'the second export equals the first (parsed)');
  t.equal(again.body, exportRes.body, 'the second export equals the first (byte for byte)');

  const after = await served(second, versionId, extra2.api_keys[0]!);
  for (const [what, res] of Object.entries(before)) {
    const got = after[what]!;
    t.equal(got.status, res.status, `${what}: same status`);
    t.same(JSON.parse(got.body), JSON.parse(res.body), `${what}: same body`);
  }
  const aliceUser = JSON.parse(after['A /v1/user/alice/']!.body) as WireUser;
  t.same(
    aliceUser.$email,
    [
      { value: 'alice@example.com', status: 'inactive', perma_status: 'disabled' },
      { value: 'alice2@example.com', status: 'active', perma_status: 'active' },
    ],
    'the bounced identity is served as bounced',
  );

  // The imported state keeps working: an edit, a new list member, a new subscription.
  expectJson(t, await api(second, 'PATCH', '/v1/user/bob/', A, { operations: [{ $set: { after: 1 } }] }), 202, 'edit an imported user');
  expectJson(
    t,
    await api(second, 'POST', '/v1/subscriber_list/newsletter/subscriber/add/', A, { distinct_ids: ['dave'] }),
    201,
    'add to an imported list',
  );
  const members = expectJson<{ results: { distinct_id: string }[] }>(
    t,
    await api(second, 'GET', '/v1/subscriber_list/newsletter/subscriber/?limit=10', A),
    200,
    'members',
  );
  t.same(members.results.map((m) => m.distinct_id).sort(), ['alice', 'bob', 'dave', 'not-a-user']);
  expectJson(
    t,
    await api(second, 'PATCH', `/v1/subscriber_list/newsletter/version/${versionId}/finish_sync/`, A),
    201,
    'publish the imported draft',
  );
  const published = expectJson<{ results: { distinct_id: string }[] }>(
    t,
    await api(second, 'GET', '/v1/subscriber_list/newsletter/subscriber/?limit=10', A),
    200,
    'members after publish',
  );
  t.same(published.results.map((m) => m.distinct_id).sort(), ['alice', 'carol'], "the draft's members");
});

t.test('importing a snapshot back into the server it came from restores that state', async (t) => {
  const app = await build(t);
  const extra = await createWorkspace(t, app, { name: 'extra' });
  const versionId = await buildRichState(t, app, extra.api_keys[0]!);
  const saved = (await admin(app, 'GET', '/_emulator/snapshot')).body;
  const before = await served(app, versionId, extra.api_keys[0]!);

  // Change things, then restore.
  expectJson(t, await api(app, 'DELETE', '/v1/user/bob/', A), 204, 'delete bob');
  expectJson(t, await api(app, 'POST', '/v1/user/zed/', A, { name: 'Zed' }), 201, 'create zed');
  const restored = await admin(app, 'POST', '/_emulator/snapshot', saved);
  t.equal(restored.statusCode, 200, `restore answers 200 (got ${restored.statusCode}: ${restored.body.slice(0, 300)})`);
  const now = (await admin(app, 'GET', '/_emulator/snapshot')).body;
  t.same(JSON.parse(now), JSON.parse(saved), 'the export equals the saved one again');
  const after = await served(app, versionId, extra.api_keys[0]!);
  t.same(after, before, 'the API serves what it served when the snapshot was taken');
  expectJson(t, await api(app, 'GET', '/v1/user/zed/', A), 404, 'a user created since is gone');
});

t.test('export of one workspace', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/snapshot', snapshotOf(richWorkspace('default', 'a'), richWorkspace('other', 'b')), 200);
  const one = await adminOk<SnapshotDoc>(t, app, 'GET', '/_emulator/snapshot?workspace=other', undefined, 200);
  t.same(one, snapshotOf(richWorkspace('other', 'b')), 'only that workspace, exactly as imported');
  const err = expectJson<ErrorBody>(t, await admin(app, 'GET', '/_emulator/snapshot?workspace=nope'), 404, 'unknown workspace');
  t.same(err, { code: 404, message: "workspace 'nope' not found" });
});

t.test('an import replaces the workspaces it names and leaves the others alone', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/v1/user/old-a/', A, { old: true }), 201, 'old user in default');
  expectJson(t, await api(app, 'POST', '/v1/user/old-b/', B, { old: true }), 201, 'old user in other');
  const otherBefore = (await admin(app, 'GET', '/_emulator/snapshot?workspace=other')).body;

  await adminOk(t, app, 'POST', '/_emulator/snapshot', snapshotOf(richWorkspace('default', 'a')), 200);
  expectJson(t, await api(app, 'GET', '/v1/user/old-a/', A), 404, 'the replaced workspace lost its old user');
  const alice = expectJson<WireUser>(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'and serves the imported one');
  t.same(alice.properties, { name: 'Alice a', plan: 'gold', address: { city: 'Paris' } });
  t.same(alice.$email, [{ value: 'alice@a.example', status: 'inactive', perma_status: 'disabled' }]);
  t.same(alice.$webpush, [
    {
      value: { endpoint: 'https://push.example.com/a', keys: { p256dh: 'p', auth: 'a' } },
      id_provider: 'vapid',
      status: 'active',
      perma_status: 'active',
    },
  ]);
  t.equal(alice.created_at, T0, 'timestamps come from the snapshot');
  t.equal((await admin(app, 'GET', '/_emulator/snapshot?workspace=other')).body, otherBefore, 'the other workspace is untouched');
});

t.test('a bad snapshot is refused with 400 and changes nothing', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/snapshot', snapshotOf(richWorkspace('default', 'a')), 200);
  expectJson(t, await api(app, 'POST', '/v1/user/live/', B, { name: 'Live' }), 201, 'a user in other');
  const snapshotBefore = (await admin(app, 'GET', '/_emulator/snapshot')).body;
  const workspacesBefore = (await admin(app, 'GET', '/_emulator/workspaces')).body;

  const good = () => richWorkspace('default', 'z');
  const ghostSubscription = richWorkspace('other', 'g');
  ghostSubscription.subscriptions.push({
    object: { object_type: 'teams', id: 'ghost' },
    subscriber: { distinct_id: 'alice' },
    properties: {},
    created_at: T0,
    updated_at: T0,
  });
  const ghostChild = good();
  ghostChild.subscriptions.push({
    object: { object_type: 'teams', id: 't1' },
    subscriber: { object: { object_type: 'teams', id: 'ghost-child' } },
    properties: {},
    created_at: T0,
    updated_at: T0,
  });
  const duplicateUsers = good();
  duplicateUsers.users.push({ ...duplicateUsers.users[1]!, properties: { name: 'Bob again' } });
  const duplicateIdentity = good();
  duplicateIdentity.users[1]!.identities.push(identity('$email', 'bob@z.example'));
  const duplicateMember = good();
  duplicateMember.lists[0]!.members.push({ distinct_id: 'alice', created_at: T0 });
  const duplicateObject = good();
  duplicateObject.objects.push({ ...duplicateObject.objects[0]! });
  const badChannel = good();
  (badChannel.users[0]!.identities[0] as { channel: string }).channel = '$fax';
  const badStatus = good();
  (badStatus.users[0]!.identities[0] as { status: string }).status = 'bounced';

  const cases: [string, unknown, RegExp][] = [
    ['not an object', [1, 2, 3], /not a valid snapshot/],
    ['a JSON string', 'hello', /not a valid snapshot/],
    ['a wrong format', { format: 'something-else', version: 1, workspaces: [] }, /format/],
    ['a wrong version', { format: 'suprsend-emulator-snapshot', version: 3, workspaces: [] }, /version/],
    ['no workspaces', { format: 'suprsend-emulator-snapshot', version: 1 }, /workspaces/],
    ['a subscription to an object not in the snapshot', snapshotOf(good(), ghostSubscription), /teams\/ghost/],
    ['a child object not in the snapshot', snapshotOf({ ...ghostChild, name: 'brand-new' }), /teams\/ghost-child/],
    ['the same user twice', snapshotOf(duplicateUsers), /twice/],
    ['the same identity twice', snapshotOf(duplicateIdentity), /twice/],
    ['the same list member twice', snapshotOf(duplicateMember), /twice/],
    ['the same object twice', snapshotOf(duplicateObject), /twice/],
    ['the same workspace twice', snapshotOf(good(), good()), /twice/],
    ['an unknown channel', snapshotOf(badChannel), /channel/],
    ['an unknown identity status', snapshotOf(badStatus), /status/],
    // A good workspace first: it must not be imported when a later one fails.
    ['a new workspace, then a bad one', snapshotOf({ ...good(), name: 'brand-new' }, duplicateUsers), /twice/],
  ];
  for (const [what, body, message] of cases) {
    const res = await admin(app, 'POST', '/_emulator/snapshot', JSON.stringify(body));
    const err = expectJson<ErrorBody>(t, res, 400, what);
    t.equal(err.code, 400, `${what}: code 400`);
    t.match(err.message, message, `${what}: the message says what is wrong (${err.message})`);
  }
  const notJson = await admin(app, 'POST', '/_emulator/snapshot', '{"format": ');
  t.equal(notJson.statusCode, 400, 'a body that is not JSON');

  t.equal((await admin(app, 'GET', '/_emulator/snapshot')).body, snapshotBefore, 'the data is unchanged');
  t.equal((await admin(app, 'GET', '/_emulator/workspaces')).body, workspacesBefore, 'no workspace was created');
  expectJson(t, await admin(app, 'GET', '/_emulator/workspaces/brand-new'), 404, '"brand-new" does not exist');
  const alice = expectJson<WireUser>(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'the API still serves the old state');
  t.equal(alice.properties.name, 'Alice a');
});

t.test('workspace names a snapshot brings in follow the rules of POST /_emulator/workspaces', async (t) => {
  const app = await build(t);
  const before = (await admin(app, 'GET', '/_emulator/workspaces')).body;
  for (const [what, name, tag] of [
    ['a name with a space', 'has space', 'n1'],
    ['a name with a slash', 'has/slash', 'n2'],
    ['a name of 65 characters', 'n'.repeat(65), 'n3'],
  ] as const) {
    const viaCreate = await admin(app, 'POST', '/_emulator/workspaces', { name });
    t.equal(viaCreate.statusCode, 400, `${what}: POST /_emulator/workspaces refuses it`);
    const viaImport = await admin(app, 'POST', '/_emulator/snapshot', snapshotOf(richWorkspace(name, tag)));
    t.equal(viaImport.statusCode, 400, `${what}: an import refuses it too (got ${viaImport.statusCode}: ${viaImport.body.slice(0, 150)})`);
  }
  t.equal((await admin(app, 'GET', '/_emulator/workspaces')).body, before, 'no such workspace was created');
});

t.test('an identity key given in a snapshot is not trusted: equality stays structural', async (t) => {
  const app = await build(t);
  const ws = richWorkspace('default', 'k');
  (ws.users[1]!.identities[0]! as Record<string, unknown>).value_key = 's:someone-else@k.example';
  const res = await admin(app, 'POST', '/_emulator/snapshot', snapshotOf(ws));
  t.equal(res.statusCode, 200, 'imported: the key is not part of the format and is derived from the value');
  // The identity must behave as bob@k.example (no duplicate on a second add).
  const bob = expectJson<WireUser>(
    t,
    await api(app, 'POST', '/v1/user/bob/', A, { $email: ['bob@k.example'] }),
    201,
    'add the same email again',
  );
  t.same(
    bob.$email?.map((i) => i.value),
    ['bob@k.example'],
    'one identity, not two',
  );
  const removed = expectJson<WireUser>(
    t,
    await api(app, 'PATCH', '/v1/user/bob/', A, { operations: [{ $remove: { $email: 'bob@k.example' } }] }),
    202,
    'remove it',
  );
  t.equal(removed.$email?.length ?? 0, 0, 'and removing it removes it');
});

t.test('SEED_PATH: a seeded start serves the seeded state', async (t) => {
  // A seed written from a real export.
  const source = await build(t);
  const extra = await createWorkspace(t, source, { name: 'extra' });
  const versionId = await buildRichState(t, source, extra.api_keys[0]!);
  const exported = (await admin(source, 'GET', '/_emulator/snapshot')).body;
  const dir = tempDir(t, 'emulator-snapshot-');
  const seedPath = join(dir, 'seed.json');
  writeFileSync(seedPath, exported);

  const seeded = await build(t, { seedPath });
  t.equal((await admin(seeded, 'GET', '/_emulator/snapshot')).body, exported, 'the seeded server exports the seed');
  const aliceSource = (await api(source, 'GET', '/v1/user/alice/', A)).body;
  const aliceSeeded = await api(seeded, 'GET', '/v1/user/alice/', A);
  t.equal(aliceSeeded.statusCode, 200, 'a seeded user is served');
  t.same(JSON.parse(aliceSeeded.body), JSON.parse(aliceSource), 'exactly as on the source server');
  const bob = expectJson<WireUser>(t, await api(seeded, 'GET', '/v1/user/bob/', A), 200, 'bob is served');
  t.same(bob.properties, { name: 'Bob' });
  const extraSeeded = await adminOk<WireWorkspace>(t, seeded, 'GET', '/_emulator/workspaces/extra', undefined, 200);
  const x1 = expectJson<WireUser>(
    t,
    await api(seeded, 'GET', '/v1/user/x1/', extraSeeded.api_keys[0]!),
    200,
    'a workspace only the seed names is created',
  );
  t.same(x1.properties, { name: 'X' });
  const draft = expectJson<{ version_id: string; subscribers_count: number }>(
    t,
    await api(seeded, 'GET', `/v1/subscriber_list/newsletter/version/${versionId}/`, A),
    200,
    'the draft',
  );
  t.same([draft.version_id, draft.subscribers_count], [versionId, 2]);
});

t.test('SEED_PATH on a file database: every start begins from the seed', async (t) => {
  const dir = tempDir(t, 'emulator-snapshot-');
  const handSeed = join(dir, 'hand.json');
  writeFileSync(handSeed, JSON.stringify(snapshotOf(richWorkspace('default', 'h'))));
  const config = testConfig({ seedPath: handSeed, databasePath: join(dir, 'seeded.db') });
  const run1 = await buildApp(config);
  const alice1 = expectJson<WireUser>(t, await api(run1, 'GET', '/v1/user/alice/', A), 200, 'hand seed: alice');
  t.equal(alice1.properties.name, 'Alice h');
  expectJson(t, await api(run1, 'POST', '/v1/user/between/', A, { n: 1 }), 201, 'a user written during the run');
  await run1.close();

  let run2: FastifyInstance | undefined;
  try {
    run2 = await buildApp(config);
  } catch (err) {
    t.fail(`the second start with the same SEED_PATH should succeed; it failed: ${(err as Error).message}`);
  }
  if (!run2) return;
  t.teardown(() => run2.close());
  expectJson(t, await api(run2, 'GET', '/v1/user/between/', A), 404, 'the seed replaces the workspace again at the next start');
  const alice2 = expectJson<WireUser>(t, await api(run2, 'GET', '/v1/user/alice/', A), 200, 'the seeded user is there');
  t.same(alice2, alice1);
});

t.test('a bad seed file stops the start with a message naming SEED_PATH', async (t) => {
  const dir = tempDir(t, 'emulator-snapshot-');
  const write = (name: string, text: string) => writeIn(dir, name, text);
  const badDoc = richWorkspace('default', 'x');
  badDoc.subscriptions.push({
    object: { object_type: 'teams', id: 'ghost' },
    subscriber: { distinct_id: 'alice' },
    properties: {},
    created_at: T0,
    updated_at: T0,
  });
  const seeds: [string, string, RegExp][] = [
    ['a missing file', join(dir, 'missing.json'), /cannot read/],
    ['not JSON', write('broken.json', '{"format": "suprsend-emulator-snapshot", '), /cannot read/],
    ['not a snapshot', write('other.json', JSON.stringify({ users: [] })), /not a valid snapshot/],
    ['a subscription to a missing object', write('ghost.json', JSON.stringify(snapshotOf(badDoc))), /teams\/ghost/],
  ];
  for (const [what, seedPath, detail] of seeds) {
    let error: Error | undefined;
    try {
      const app = await buildApp(testConfig({ seedPath }));
      await app.close();
    } catch (err) {
      error = err as Error;
    }
    t.ok(error, `${what}: buildApp rejects`);
    t.match(error?.message, /^SEED_PATH/, `${what}: the message starts with the setting's name`);
    t.ok(error?.message.includes(seedPath), `${what}: and names the file`);
    t.match(error?.message, detail, `${what}: and says what is wrong`);
  }
});
