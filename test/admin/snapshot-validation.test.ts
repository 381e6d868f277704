/**
 * A snapshot import is checked as the API checks requests: distinct_ids,
 * timestamps (the clock's format), emails and phones, push tokens, id_provider.
 * A bad document is refused as a whole, naming the first bad path.
 */
import t from 'tap';
import { adminOk } from './fixtures/admin.js';
import { identity, richWorkspace, snapshotOf, T0, type WorkspaceDoc } from './fixtures/snapshot.js';
import { admin, build, expectApiError } from '../helpers/index.js';

type Mutation = (w: WorkspaceDoc) => void;

const cases: [string, Mutation, RegExp][] = [
  [
    'a distinct_id of 256 characters',
    (w) => {
      w.users[0]!.distinct_id = 'x'.repeat(256);
    },
    /users\.0\.distinct_id: distinct_id must be at most 255/,
  ],
  [
    'a blank distinct_id',
    (w) => {
      w.users[0]!.distinct_id = '   ';
    },
    /users\.0\.distinct_id: distinct_id must not be empty/,
  ],
  [
    'a blank list member',
    (w) => {
      w.lists[0]!.members[0]!.distinct_id = ' ';
    },
    /lists\.0\.members\.0\.distinct_id/,
  ],
  [
    'a long subscriber distinct_id',
    (w) =>
      w.subscriptions.push({
        object: w.objects[0]!,
        subscriber: { distinct_id: 'y'.repeat(300) },
        properties: {},
        created_at: T0,
        updated_at: T0,
      }),
    /subscriptions\.\d+\.subscriber/,
  ],
  [
    'a timestamp that is not one',
    (w) => {
      w.users[0]!.created_at = 'yesterday';
    },
    /users\.0\.created_at: must be a timestamp/,
  ],
  [
    'a timestamp in another format',
    (w) => {
      w.users[0]!.updated_at = '2024-05-01T10:00:00Z';
    },
    /users\.0\.updated_at/,
  ],
  [
    'an impossible date',
    (w) => {
      w.lists[0]!.created_at = '2024-02-30T10:00:00.000000+00:00';
    },
    /lists\.0\.created_at: must be a real date/,
  ],
  ['a bad email', (w) => w.users[0]!.identities.push(identity('$email', 'not-an-email')), /users\.0\.identities\.\d+\.value: .*email/],
  ['a phone not in E.164', (w) => w.users[0]!.identities.push(identity('$sms', '555-0123')), /identities\.\d+\.value: .*E\.164/],
  ['a bad object identity', (w) => w.objects[0]!.identities.push(identity('$whatsapp', '12')), /objects\.0\.identities\.\d+\.value/],
  [
    'an unknown push provider',
    (w) => w.users[0]!.identities.push(identity('$androidpush', 'tok-1', { id_provider: 'pigeon' })),
    /identities\.\d+\.id_provider: .*not a provider/,
  ],
  [
    'an id_provider on email',
    (w) => w.users[0]!.identities.push(identity('$email', 'p@example.com', { id_provider: 'fcm' })),
    /identities\.\d+\.id_provider: must be null/,
  ],
  [
    'an upper-case provider',
    (w) => w.users[0]!.identities.push(identity('$iospush', 'tok-2', { id_provider: 'APNS' })),
    /id_provider: must be a provider name in lower case/,
  ],
];

t.test('bad documents are refused atomically, naming the first bad path', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/snapshot', snapshotOf(richWorkspace('default', 'a')), 200);
  const before = (await admin(app, 'GET', '/_emulator/snapshot')).body;
  for (const [what, mutate, message] of cases) {
    const bad = richWorkspace('default', 'z');
    mutate(bad);
    // A good new workspace first: it must not be created when the bad one is refused.
    const err = expectApiError(
      t,
      await admin(app, 'POST', '/_emulator/snapshot', snapshotOf({ ...richWorkspace('fresh', 'f') }, bad)),
      400,
      what,
    );
    t.match(err.message, /^not a valid snapshot: workspaces\.1\./, `${what}: the path comes first`);
    t.match(err.message, message, `${what}: ${err.message}`);
  }
  t.equal((await admin(app, 'GET', '/_emulator/snapshot')).body, before, 'nothing changed');
  expectApiError(t, await admin(app, 'GET', '/_emulator/workspaces/fresh'), 404, 'no workspace was created');
});

t.test('what the API accepts, a snapshot accepts', async (t) => {
  const app = await build(t);
  const good = richWorkspace('default', 'g');
  good.users[0]!.distinct_id = 'é'.repeat(255);
  // Its tenant-scoped profile follows the renamed user (a profile of a user the document lacks is refused).
  good.user_tenant_profiles![0]!.distinct_id = 'é'.repeat(255);
  good.users[0]!.identities.push(
    identity('$androidpush', 'tok-3', { id_provider: 'xiaomi' }),
    identity('$iospush', 'tok-4', { id_provider: null }),
    identity('$sms', '+15555550123'),
  );
  await adminOk(t, app, 'POST', '/_emulator/snapshot', snapshotOf(good), 200);
  const exported = await adminOk(t, app, 'GET', '/_emulator/snapshot?workspace=default', undefined, 200);
  await adminOk(t, app, 'POST', '/_emulator/snapshot', exported, 200);
  t.same(
    await adminOk(t, app, 'GET', '/_emulator/snapshot?workspace=default', undefined, 200),
    exported,
    'an export imports back unchanged',
  );
});
