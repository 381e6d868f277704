/**
 * Contract tests: the real `@suprsend/node-sdk` (1.15.1) `objects` API, and
 * `users.get_objects_subscribed_to`, against a real, listening emulator.
 * Every request is built, signed and sent by the SDK itself (axios over HTTP
 * on 127.0.0.1).
 *
 * The expected values come from the shared spec (the documented object and
 * subscription shapes, sdk-wire-node §7.2, the project's decisions), computed
 * by hand here; nothing is copied from the server's own output.
 */

import t, { type Test } from 'tap';
import { active, type CursorPage, type Identity, inboxIdentities, listening, TIMESTAMP } from '../helpers/index.js';
import { rejectionOf, sdkFor, type Suprsend } from '../helpers/sdk.js';

type Client = InstanceType<typeof Suprsend>;

interface WireObject {
  object_type: string;
  id: string;
  subscriptions_count: number;
  properties: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  [channel: `$${string}`]: Identity[] | undefined;
}
interface Subscriber {
  properties: Record<string, unknown>;
  user: { distinct_id: string; updated_at: string } | null;
  object: { id: string; object_type: string; subscriptions_count: number; updated_at: string } | null;
  created_at: string;
  updated_at: string;
}
interface SubscribedTo {
  properties: Record<string, unknown>;
  object: { id: string; object_type: string; properties: Record<string, unknown>; subscriptions_count: number; updated_at: string };
  created_at: string;
  updated_at: string;
}

const OBJECT_KEYS = ['object_type', 'id', 'subscriptions_count', 'properties', 'created_at', 'updated_at'];

/** The `$inbox` of a new object: base64url(HMAC-SHA256(inbox secret, "<type>/<id>")) with each part percent-encoded. */
const objectInbox = (type: string, id: string): Identity[] => inboxIdentities(`${encodeURIComponent(type)}/${encodeURIComponent(id)}`);

async function startServer(t: Test): Promise<Client> {
  return sdkFor((await listening(t)).baseUrl);
}

const plainKeys = (o: object) => Object.keys(o).filter((k) => !k.startsWith('$'));

t.test('objects.upsert, get, edit (ObjectEdit and payload), list', async (t) => {
  const sdk = await startServer(t);
  const created = (await sdk.objects.upsert('departments', 'engineering', {
    department: 'Engineering',
    $locale: 'en_GB',
    $email: ['devs@example.com'],
    $slack: [{ channel: 'CXXXXXXXX', access_token: 'xoxb-XXXXXX' }],
  })) as WireObject;
  t.same(plainKeys(created), OBJECT_KEYS, 'documented key order');
  t.match(created.created_at, TIMESTAMP);
  t.same(created, {
    object_type: 'departments',
    id: 'engineering',
    subscriptions_count: 0,
    properties: { department: 'Engineering', $locale: 'en_GB' },
    created_at: created.created_at,
    updated_at: created.created_at,
    $email: [active('devs@example.com')],
    $inbox: objectInbox('departments', 'engineering'),
    $slack: [active({ channel: 'CXXXXXXXX', access_token: 'xoxb-XXXXXX' })],
  });
  t.same(await sdk.objects.get('departments', 'engineering'), created, 'get returns the upserted object');
  t.same(await sdk.objects.get('  departments ', ' engineering  '), created, 'the SDK trims type and id');

  const edit = sdk.objects.get_edit_instance('departments', 'engineering');
  edit.set({ name: 'Engineering Department', floor: 3 });
  edit.set_timezone('America/New_York');
  edit.add_email('team@example.com');
  edit.remove_email('devs@example.com');
  edit.add_sms('+15555550100');
  edit.increment('visits', 2);
  edit.unset('department');
  const edited = (await sdk.objects.edit(edit)) as WireObject;
  t.same(edited.properties, { $locale: 'en_GB', name: 'Engineering Department', floor: 3, $timezone: 'America/New_York', visits: 2 });
  t.same(edited.$email, [active('team@example.com')], 'identity added and removed');
  t.same(edited.$sms, [active('+15555550100')]);
  t.equal(edited.created_at, created.created_at);
  t.ok(edited.updated_at > created.updated_at, 'updated_at moved');

  const byPayload = (await sdk.objects.edit('departments', 'engineering', { operations: [{ $unset: ['$sms', 'floor'] }] })) as WireObject;
  t.notOk('$sms' in byPayload, 'payload form: $unset removed the channel');
  t.notOk('floor' in byPayload.properties);
  const viaGetInstance = sdk.objects.get_instance('departments', 'engineering');
  viaGetInstance.set_once('founded', 1999);
  viaGetInstance.set_once('name', 'ignored');
  const once = (await sdk.objects.edit(viaGetInstance)) as WireObject;
  t.equal(once.properties.founded, 1999);
  t.equal(once.properties.name, 'Engineering Department', '$set_once leaves an existing key');

  await sdk.objects.upsert('departments', 'sales', {});
  await sdk.objects.upsert('departments', 'ops', {});
  const first = (await sdk.objects.list('departments', { limit: 2 })) as CursorPage<WireObject>;
  t.same(
    first.results.map((o) => o.id),
    ['ops', 'sales'],
    'newest first',
  );
  t.same({ ...first.meta, after: null }, { count: 3, limit: 2, has_prev: false, before: null, has_next: true, after: null });
  t.same(first.results[0]!.$inbox, objectInbox('departments', 'ops'), 'listed objects carry channels');
  const second = (await sdk.objects.list('departments', { limit: 2, after: first.meta.after! })) as CursorPage<WireObject>;
  t.same(
    second.results.map((o) => o.id),
    ['engineering'],
  );
  t.equal(second.meta.has_next, false);
  t.equal(second.meta.has_prev, true);
  const back = (await sdk.objects.list('departments', { limit: 2, before: second.meta.before! })) as CursorPage<WireObject>;
  t.same(
    back.results.map((o) => o.id),
    ['ops', 'sales'],
    'before leads back to the first page',
  );
});

t.test('type and id with spaces, slashes and unicode survive encodeURIComponent and the signature', async (t) => {
  const sdk = await startServer(t);
  const type = 'org units';
  const id = 'R&D / Zürich #1?';
  const created = (await sdk.objects.upsert(type, id, { city: 'Zürich' })) as WireObject;
  t.equal(created.object_type, type);
  t.equal(created.id, id);
  t.same(created.$inbox, objectInbox(type, id));
  t.same(((await sdk.objects.get(type, id)) as WireObject).properties, { city: 'Zürich' });
  await sdk.objects.upsert('teams', 'a/b', {});
  await sdk.objects.create_subscriptions(type, id, { recipients: ['user with space', { id: 'a/b', object_type: 'teams' }] });
  const subs = (await sdk.objects.get_subscriptions(type, id)) as { results: Subscriber[] };
  t.same(
    subs.results.map((s) => s.user?.distinct_id ?? s.object?.id),
    ['a/b', 'user with space'],
  );
  const parents = (await sdk.objects.get_objects_subscribed_to('teams', 'a/b')) as { results: SubscribedTo[] };
  t.same(
    parents.results.map((p) => [p.object.object_type, p.object.id]),
    [[type, id]],
  );
  await sdk.objects.delete(type, id);
  const gone = await rejectionOf(sdk.objects.get(type, id));
  t.equal(gone?.message, `404: object '${type}/${id}' not found`);
});

t.test('subscriptions: create, list, objects subscribed to, delete; the user sees exactly theirs', async (t) => {
  const sdk = await startServer(t);
  await sdk.objects.upsert('teams', 'devs', { name: 'Devs' });
  await sdk.objects.upsert('teams', 'frontend', { stack: 'react' });
  await sdk.objects.upsert('departments', 'eng', { floor: 3 });

  const created = (await sdk.objects.create_subscriptions('teams', 'devs', {
    recipients: ['alice', { distinct_id: 'bob', $email: ['bob@example.com'], name: 'Bob' }, { object_type: 'teams', id: 'frontend' }],
    properties: { role: 'developer' },
  })) as { results: Subscriber[] };
  t.same(Object.keys(created), ['results']);
  t.equal(created.results.length, 3);
  for (const item of created.results) {
    t.same(Object.keys(item), ['properties', 'user', 'object', 'created_at', 'updated_at'], 'documented item keys');
    t.same(item.properties, { role: 'developer' });
    t.match(item.created_at, TIMESTAMP);
  }
  t.same(
    created.results.map((r) => r.user?.distinct_id ?? null),
    ['alice', 'bob', null],
  );
  t.same(created.results[2]!.object, {
    id: 'frontend',
    object_type: 'teams',
    subscriptions_count: 0,
    updated_at: ((await sdk.objects.get('teams', 'frontend')) as WireObject).updated_at,
  });
  const bob = (await sdk.users.get('bob')) as { properties: Record<string, unknown>; $email: Identity[] };
  t.same(bob.properties, { name: 'Bob' }, 'the inline user was upserted');
  t.same(bob.$email, [active('bob@example.com')]);
  t.equal(((await sdk.users.get('alice')) as { distinct_id: string }).distinct_id, 'alice', 'the distinct_id was created as a user');

  await sdk.objects.create_subscriptions('departments', 'eng', {
    recipients: ['alice', { id: 'frontend', object_type: 'teams' }],
    properties: { level: 2 },
  });
  // Subscribing again replaces the properties.
  await sdk.objects.create_subscriptions('teams', 'devs', { recipients: ['alice'], properties: { role: 'lead' } });

  const subs = (await sdk.objects.get_subscriptions('teams', 'devs', { limit: 10 })) as CursorPage<Subscriber>;
  t.same(subs.meta, { count: 3, limit: 10, has_prev: false, before: null, has_next: false, after: null });
  t.same(
    subs.results.map((s) => [s.user?.distinct_id ?? `${s.object!.object_type}/${s.object!.id}`, s.properties]),
    [
      ['teams/frontend', { role: 'developer' }],
      ['bob', { role: 'developer' }],
      ['alice', { role: 'lead' }],
    ],
    'newest subscription first; alice re-subscribed in place',
  );
  t.equal(subs.results[0]!.object!.subscriptions_count, 0, "the child's own count");
  t.equal(((await sdk.objects.get('teams', 'devs')) as WireObject).subscriptions_count, 3);

  const parents = (await sdk.objects.get_objects_subscribed_to('teams', 'frontend')) as CursorPage<SubscribedTo>;
  t.same(
    parents.results.map((p) => [p.object.object_type, p.object.id, p.object.properties, p.object.subscriptions_count, p.properties]),
    [
      ['departments', 'eng', { floor: 3 }, 2, { level: 2 }],
      ['teams', 'devs', { name: 'Devs' }, 3, { role: 'developer' }],
    ],
  );
  t.equal(parents.meta.count, 2);

  const removed = await sdk.objects.delete_subscriptions('teams', 'devs', {
    recipients: ['bob', { object_type: 'teams', id: 'frontend' }],
  });
  t.same(removed, { success: true, status_code: 204 });
  t.equal(((await sdk.objects.get('teams', 'devs')) as WireObject).subscriptions_count, 1);

  const mine = (await sdk.users.get_objects_subscribed_to('alice')) as CursorPage<SubscribedTo>;
  t.same(mine.meta, { count: 2, limit: 10, has_prev: false, before: null, has_next: false, after: null });
  const devs = (await sdk.objects.get('teams', 'devs')) as WireObject;
  const eng = (await sdk.objects.get('departments', 'eng')) as WireObject;
  t.same(
    mine.results.map(({ created_at, updated_at, ...rest }) => rest),
    [
      {
        properties: { level: 2 },
        object: { id: 'eng', object_type: 'departments', properties: { floor: 3 }, subscriptions_count: 2, updated_at: eng.updated_at },
      },
      {
        properties: { role: 'lead' },
        object: { id: 'devs', object_type: 'teams', properties: { name: 'Devs' }, subscriptions_count: 1, updated_at: devs.updated_at },
      },
    ],
    "exactly alice's subscriptions, newest first: eng (subscribed after devs; re-subscribing keeps the place), then devs",
  );
  for (const item of mine.results) {
    t.same(Object.keys(item), ['properties', 'object', 'created_at', 'updated_at']);
    t.match(item.created_at, TIMESTAMP);
  }
  const devsItem = mine.results.find((r) => r.object.id === 'devs')!;
  t.ok(devsItem.updated_at > devsItem.created_at, 're-subscribing moved updated_at');
  const bobs = (await sdk.users.get_objects_subscribed_to('bob')) as { results: SubscribedTo[] };
  t.same(bobs.results, [], 'bob was unsubscribed');
  const nobody = await rejectionOf(sdk.users.get_objects_subscribed_to('nobody'));
  t.equal(nobody?.message, "404: User [distinct_id: 'nobody'] not found", 'capital U, as upstream');
});

t.test('delete, bulk_delete and the errors the SDK surfaces', async (t) => {
  const sdk = await startServer(t);
  for (const id of ['a', 'b', 'c']) await sdk.objects.upsert('teams', id, {});
  await sdk.objects.create_subscriptions('teams', 'a', { recipients: ['u1', { id: 'b', object_type: 'teams' }] });

  t.same(await sdk.objects.delete('teams', 'a'), { success: true, status_code: 204 });
  const gone = await rejectionOf(sdk.objects.get('teams', 'a'));
  t.equal(gone?.name, 'SuprsendApiError');
  t.equal(gone?.message, "404: object 'teams/a' not found");
  t.same(
    ((await sdk.users.get_objects_subscribed_to('u1')) as { results: unknown[] }).results,
    [],
    "u1's subscription went with the object",
  );

  t.same(await sdk.objects.bulk_delete('teams', { object_ids: ['b', 'zzz'] }), { success: true, status_code: 204 });
  const list = (await sdk.objects.list('teams')) as { results: WireObject[] };
  t.same(
    list.results.map((o) => o.id),
    ['c'],
  );

  const missingParent = await rejectionOf(sdk.objects.create_subscriptions('teams', 'ghost', { recipients: ['u1'] }));
  t.equal(missingParent?.message, "404: object 'teams/ghost' not found");
  const tooMany = await rejectionOf(
    sdk.objects.create_subscriptions('teams', 'c', { recipients: Array.from({ length: 101 }, (_, i) => `u${i}`) }),
  );
  t.match(tooMany?.message, /^400: .*at most 100 recipients/);
  const emptyEdit = await rejectionOf(sdk.objects.edit(sdk.objects.get_edit_instance('teams', 'c')));
  t.match(emptyEdit?.message, /^400: Request body must not be empty/, 'an ObjectEdit with no operations');
  const badEdit = await rejectionOf(sdk.objects.edit('teams', 'c', { operations: [{ $append: { $email: 'not-an-email' } }] }));
  t.match(badEdit?.message, /^400: .*email/);
  const missingEdit = await rejectionOf(sdk.objects.edit('teams', 'ghost', { operations: [{ $set: { a: 1 } }] }));
  t.equal(missingEdit?.message, "404: object 'teams/ghost' not found");
});
