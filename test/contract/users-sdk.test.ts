/**
 * Contract tests: the real `@suprsend/node-sdk` (1.15.1) against a real,
 * listening emulator. Every request below is built, signed and sent by the
 * SDK itself (axios over HTTP on 127.0.0.1), so these tests show that an
 * application using the official SDK works unchanged against the emulator.
 *
 * The expected values come from the shared spec (SuprSend's documented user
 * object, the SDK's wire format, and the project's decisions), computed by
 * hand here; nothing is copied from the server's own output.
 */

import t, { type Test } from 'tap';
import { active, CHANNELS, inboxOf, TIMESTAMP, type UserPage, type WireUser, listening, WS_A, WS_B } from '../helpers/index.js';
import { rejectionOf, sdkFor, Suprsend } from '../helpers/sdk.js';

type Client = InstanceType<typeof Suprsend>;
type UserEdit = ReturnType<Client['users']['get_edit_instance']>;
/** What UserEdit keeps besides its typed methods (public fields of the JS class). */
type UserEditState = { operations: Record<string, unknown>[]; errors: string[]; warnings: string[] };

/** A fresh emulator (in-memory database) listening on 127.0.0.1, and an SDK client for workspace A. */
async function startServer(t: Test): Promise<{ baseUrl: string; sdk: Client }> {
  const { baseUrl } = await listening(t);
  return { baseUrl, sdk: sdkFor(baseUrl) };
}

const channelKeys = (user: object) => Object.keys(user).filter((k) => k.startsWith('$'));
const plainKeys = (user: object) =>
  Object.keys(user)
    .filter((k) => !k.startsWith('$'))
    .sort();

t.test('users.upsert creates the full user and users.get returns the same', async (t) => {
  const { sdk } = await startServer(t);
  const id = 'upsert-user-1';
  const webpush = { endpoint: 'https://push.example.com/sub/1', keys: { p256dh: 'p256dh-1', auth: 'auth-1' } };
  const slack = { email: 'alice@example.com', access_token: 'xoxb-alice' };
  const teams = { tenant_id: 'tenant-1', service_url: 'https://smba.trafficmanager.net/amer', conversation_id: '19:conv-1' };

  const created = (await sdk.users.upsert(id, {
    $email: ['alice@example.com'],
    $sms: ['+15555550123'],
    $whatsapp: ['+15555550124'],
    $androidpush: ['android-token-1'],
    $iospush: ['ios-token-1'],
    $webpush: [webpush],
    $slack: [slack],
    $ms_teams: [teams],
    name: 'Alice',
    age: 30,
    vip: true,
    address: { city: 'Paris', zip: '75001' },
    $timezone: 'Europe/Paris',
    $preferred_language: 'fr',
    $locale: 'fr_FR',
  })) as WireUser;

  t.match(created.created_at, TIMESTAMP, 'created_at has microseconds and +00:00');
  t.match(created.updated_at, TIMESTAMP, 'updated_at has microseconds and +00:00');
  t.equal(created.updated_at, created.created_at, 'a new user was created and updated at the same instant');
  t.match(created.$inbox?.[0]?.value, /^[A-Za-z0-9_-]{43}$/, '$inbox is a 43-character base64url value');
  const expected = {
    distinct_id: id,
    properties: {
      name: 'Alice',
      age: 30,
      vip: true,
      address: { city: 'Paris', zip: '75001' },
      $timezone: 'Europe/Paris',
      $preferred_language: 'fr',
      $locale: 'fr_FR',
    },
    created_at: created.created_at,
    updated_at: created.updated_at,
    $email: [active('alice@example.com')],
    $sms: [active('+15555550123')],
    $whatsapp: [active('+15555550124')],
    $inbox: [active(inboxOf(id), 'suprsend')],
    $webpush: [active(webpush, 'vapid')],
    $androidpush: [active('android-token-1', 'fcm')],
    $iospush: [active('ios-token-1', 'apns')],
    $slack: [active(slack)],
    $ms_teams: [active(teams)],
  };
  t.strictSame(created, expected, 'upsert answers the whole user');
  t.strictSame(channelKeys(created), CHANNELS, 'channels come in the documented order');
  t.strictSame(plainKeys(created), ['created_at', 'distinct_id', 'properties', 'updated_at'], 'no other top-level fields');

  const fetched = (await sdk.users.get(id)) as WireUser;
  t.strictSame(fetched, expected, 'users.get returns the same user');

  // A second upsert merges: properties overwrite, identities are added and never duplicated.
  const updated = (await sdk.users.upsert(id, { $email: ['alice@example.com', 'alice2@example.com'], age: 31 })) as WireUser;
  t.match(updated.updated_at, TIMESTAMP);
  t.ok(updated.updated_at > created.updated_at, 'updated_at moves forward on update');
  t.strictSame(
    updated,
    {
      ...expected,
      properties: { ...expected.properties, age: 31 },
      updated_at: updated.updated_at,
      $email: [active('alice@example.com'), active('alice2@example.com')],
    },
    'a second upsert overwrites properties and merges $email without duplicates, created_at unchanged',
  );
});

t.test('users.edit applies every UserEdit builder method in order', async (t) => {
  const { sdk } = await startServer(t);
  const id = 'edit-user-1';
  const start = (await sdk.users.upsert(id, {
    $email: ['keep@example.com'],
    name: 'Ada',
    tags: ['a', 'b'],
    obsolete: true,
    logins: 5,
  })) as WireUser;
  t.match(start.created_at, TIMESTAMP);

  const edit: UserEdit = sdk.users.get_edit_instance(id);
  let calls = 0;
  const call = (fn: () => void) => {
    fn();
    calls++;
  };

  // $email: an unset of the whole channel drops the upserted address and one added before it.
  call(() => edit.add_email('early@example.com'));
  call(() => edit.unset(['$email']));
  call(() => edit.add_email('new@example.com'));
  call(() => edit.add_email('gone@example.com'));
  call(() => edit.remove_email('gone@example.com'));

  // $sms and $whatsapp.
  call(() => edit.add_sms('+15555550101'));
  call(() => edit.add_sms('+15555550102'));
  call(() => edit.remove_sms('+15555550102'));
  call(() => edit.add_whatsapp('+15555550201'));
  call(() => edit.add_whatsapp('+15555550202'));
  call(() => edit.remove_whatsapp('+15555550201'));

  // $androidpush with "fcm", with "xiaomi", and with no vendor (sent as $id_provider: null → fcm).
  call(() => edit.add_androidpush('android-fcm-1', 'fcm'));
  call(() => edit.add_androidpush('android-xiaomi-1', 'xiaomi'));
  call(() => edit.add_androidpush('android-default-1'));
  call(() => edit.add_androidpush('android-gone-fcm', 'fcm'));
  call(() => edit.remove_androidpush('android-gone-fcm', 'fcm'));
  call(() => edit.add_androidpush('android-gone-xiaomi', 'xiaomi'));
  call(() => edit.remove_androidpush('android-gone-xiaomi', 'xiaomi'));

  // $iospush with a bundle id.
  call(() => edit.add_iospush('ios-token-1', 'apns', 'com.example.app'));
  call(() => edit.add_iospush('ios-gone', 'apns', 'com.example.app'));
  call(() => edit.remove_iospush('ios-gone', 'apns', 'com.example.app'));

  // $webpush with "vapid"; the removal lists the keys in another order (compared structurally).
  const webKept = { endpoint: 'https://push.example.com/sub/kept', keys: { p256dh: 'p256dh-kept', auth: 'auth-kept' } };
  call(() => edit.add_webpush(webKept, 'vapid'));
  call(() =>
    edit.add_webpush({ endpoint: 'https://push.example.com/sub/gone', keys: { p256dh: 'p256dh-gone', auth: 'auth-gone' } }, 'vapid'),
  );
  call(() =>
    edit.remove_webpush({ keys: { auth: 'auth-gone', p256dh: 'p256dh-gone' }, endpoint: 'https://push.example.com/sub/gone' }, 'vapid'),
  );

  // $slack in each documented shape: one kept, one added then removed (keys reordered on removal).
  const slackKept = [
    { email: 'ada@example.com', access_token: 'xoxb-email' },
    { user_id: 'U01ABCDE2F3', access_token: 'xoxb-user' },
    { channel_id: 'C01ABCDE2F3', access_token: 'xoxb-channel' },
    { incoming_webhook: { url: 'https://hooks.slack.com/services/T000/B000/kept' } },
  ];
  const slackGone = [
    { email: 'gone@example.com', access_token: 'xoxb-email-gone' },
    { user_id: 'U0GONE', access_token: 'xoxb-user-gone' },
    { channel_id: 'C0GONE', access_token: 'xoxb-channel-gone' },
    { incoming_webhook: { url: 'https://hooks.slack.com/services/T000/B000/gone' } },
  ];
  for (const value of slackKept) call(() => edit.add_slack(value));
  for (const value of slackGone) call(() => edit.add_slack(value));
  for (const value of slackGone) call(() => edit.remove_slack(Object.fromEntries(Object.entries(value).reverse())));

  // $ms_teams in each documented shape, the same way.
  const teamsKept = [
    { tenant_id: 'tenant-1', service_url: 'https://smba.trafficmanager.net/amer', conversation_id: '19:conv-kept' },
    { tenant_id: 'tenant-1', service_url: 'https://smba.trafficmanager.net/amer', user_id: '29:user-kept' },
    { incoming_webhook: { url: 'https://example.webhook.office.com/webhookb2/kept' } },
  ];
  const teamsGone = [
    { tenant_id: 'tenant-2', service_url: 'https://smba.trafficmanager.net/emea', conversation_id: '19:conv-gone' },
    { tenant_id: 'tenant-2', service_url: 'https://smba.trafficmanager.net/emea', user_id: '29:user-gone' },
    { incoming_webhook: { url: 'https://example.webhook.office.com/webhookb2/gone' } },
  ];
  for (const value of teamsKept) call(() => edit.add_ms_teams(value));
  for (const value of teamsGone) call(() => edit.add_ms_teams(value));
  for (const value of teamsGone) call(() => edit.remove_ms_teams(Object.fromEntries(Object.entries(value).reverse())));

  // Properties.
  call(() => edit.set('name', 'Grace'));
  call(() => edit.set({ plan: 'pro', age: 36, nested: { a: 1, b: [1, 2] } }));
  call(() => edit.set_once('first_seen', '2024-01-01'));
  call(() => edit.set_once('first_seen', '2025-06-30'));
  call(() => edit.set_once({ name: 'Not Grace' }));
  call(() => edit.increment('logins', 3));
  call(() => edit.increment({ logins: -1, credits: -2.5 }));
  call(() => edit.append('tags', 'c'));
  call(() => edit.append('tags', 'd'));
  call(() => edit.remove('tags', 'a'));
  call(() => edit.append('colors', 'red'));
  call(() => edit.append({ $email: 'combo@example.com', tags: 'e' }));
  call(() => edit.unset('obsolete'));
  call(() => edit.set_timezone('America/New_York'));
  call(() => edit.set_preferred_language('de'));
  // The Node SDK 1.15.1 has no set_locale(); $locale is set like any reserved property.
  call(() => edit.set('$locale', 'de_DE'));

  const state = edit as unknown as UserEditState;
  t.strictSame(state.errors, [], 'the SDK reported no builder errors');
  t.equal(state.operations.length, calls, 'one operation object per builder call');
  t.strictSame(state.operations[1], { $unset: ['$email'] }, 'unset(["$email"]) is sent as $unset');
  t.strictSame(
    state.operations[13],
    { $append: { $androidpush: 'android-default-1', $id_provider: null } },
    'no vendor is sent as $id_provider: null',
  );

  const edited = (await sdk.users.edit(edit)) as WireUser;

  t.match(edited.updated_at, TIMESTAMP);
  t.ok(edited.updated_at > start.updated_at, 'updated_at moves forward');
  const expected = {
    distinct_id: id,
    properties: {
      name: 'Grace',
      tags: ['b', 'c', 'd', 'e'],
      logins: 7,
      plan: 'pro',
      age: 36,
      nested: { a: 1, b: [1, 2] },
      first_seen: '2024-01-01',
      credits: -2.5,
      colors: ['red'],
      $timezone: 'America/New_York',
      $preferred_language: 'de',
      $locale: 'de_DE',
    },
    created_at: start.created_at,
    updated_at: edited.updated_at,
    $email: [active('new@example.com'), active('combo@example.com')],
    $sms: [active('+15555550101')],
    $whatsapp: [active('+15555550202')],
    $inbox: [active(inboxOf(id), 'suprsend')],
    $webpush: [active(webKept, 'vapid')],
    $androidpush: [active('android-fcm-1', 'fcm'), active('android-xiaomi-1', 'xiaomi'), active('android-default-1', 'fcm')],
    $iospush: [active('ios-token-1', 'apns')],
    $slack: slackKept.map((v) => active(v)),
    $ms_teams: teamsKept.map((v) => active(v)),
  };
  t.strictSame(edited, expected, 'edit answers the whole resulting user');
  t.strictSame(channelKeys(edited), CHANNELS, 'channels come in the documented order');
  t.strictSame(plainKeys(edited), ['created_at', 'distinct_id', 'properties', 'updated_at'], 'no other top-level fields');
  t.notOk('obsolete' in edited.properties, 'the unset property is gone');

  const fetched = (await sdk.users.get(id)) as WireUser;
  t.strictSame(fetched, expected, 'users.get shows the edited user');
});

t.test('users.list walks 27 users forward and backward with cursors', async (t) => {
  const { sdk } = await startServer(t);
  const ids: string[] = [];
  for (let i = 0; i < 27; i++) {
    const id = `list-user-${String(i).padStart(2, '0')}`;
    ids.push(id);
    await sdk.users.upsert(id, { n: i, $email: [`user${i}@example.com`] });
  }
  // Newest first.
  const newestFirst = ids.slice().reverse();
  const pageIds = (page: UserPage) => page.results.map((r) => r.distinct_id);

  const forward: UserPage[] = [];
  let page = (await sdk.users.list({ limit: 10 })) as UserPage;
  forward.push(page);
  while (page.meta.has_next) {
    t.type(page.meta.after, 'string', 'has_next comes with an after cursor');
    page = (await sdk.users.list({ limit: 10, after: page.meta.after! })) as UserPage;
    forward.push(page);
    if (forward.length > 5) break;
  }
  t.strictSame(
    forward.map((p) => p.results.length),
    [10, 10, 7],
    'pages of 10, 10 and 7',
  );
  t.strictSame(pageIds(forward[0]!), newestFirst.slice(0, 10), 'page 1 holds the 10 newest users');
  t.strictSame(pageIds(forward[1]!), newestFirst.slice(10, 20), 'page 2 holds the next 10');
  t.strictSame(pageIds(forward[2]!), newestFirst.slice(20), 'page 3 holds the 7 oldest');
  const seenForward = forward.flatMap(pageIds);
  t.equal(new Set(seenForward).size, seenForward.length, 'no user repeats going forward');
  t.strictSame([...seenForward].sort(), [...ids].sort(), 'going forward shows every user, no gap');

  t.match(forward[0]!.meta, { count: 27, limit: 10, has_prev: false, before: null, has_next: true, after: String });
  t.match(forward[1]!.meta, { count: 27, limit: 10, has_prev: true, before: String, has_next: true, after: String });
  t.match(forward[2]!.meta, { count: 27, limit: 10, has_prev: true, before: String, has_next: false, after: null });
  t.strictSame(Object.keys(forward[0]!.meta).sort(), ['after', 'before', 'count', 'has_next', 'has_prev', 'limit']);

  const first = forward[0]!.results[0]!;
  t.strictSame(Object.keys(first).sort(), ['created_at', 'distinct_id', 'properties', 'updated_at'], 'list results carry no channels');
  t.strictSame(first.properties, { n: 26 });
  t.match(first.created_at, TIMESTAMP);
  t.match(first.updated_at, TIMESTAMP);

  // Backward from the last page.
  const backward: UserPage[] = [forward[2]!];
  page = forward[2]!;
  while (page.meta.has_prev) {
    t.type(page.meta.before, 'string', 'has_prev comes with a before cursor');
    page = (await sdk.users.list({ limit: 10, before: page.meta.before! })) as UserPage;
    backward.push(page);
    if (backward.length > 5) break;
  }
  t.strictSame(
    backward.map((p) => p.results.length),
    [7, 10, 10],
    'backward: 7, then 10 and 10',
  );
  t.strictSame(pageIds(backward[1]!), newestFirst.slice(10, 20), 'one page back is page 2 again');
  t.strictSame(pageIds(backward[2]!), newestFirst.slice(0, 10), 'two pages back is page 1 again');
  t.match(backward[1]!.meta, { count: 27, limit: 10, has_prev: true, before: String, has_next: true, after: String });
  t.match(backward[2]!.meta, { count: 27, limit: 10, has_prev: false, before: null, has_next: true, after: String });
  const seenBackward = backward.flatMap(pageIds);
  t.equal(new Set(seenBackward).size, seenBackward.length, 'no user repeats going backward');
  t.strictSame([...seenBackward].sort(), [...ids].sort(), 'going backward shows every user, no gap');
});

t.test('users.delete answers 204 and the user is gone', async (t) => {
  const { sdk } = await startServer(t);
  const id = 'doomed-user';
  await sdk.users.upsert(id, { name: 'Doomed', $email: ['doomed@example.com'] });
  await sdk.users.upsert('survivor', { name: 'Survivor' });

  t.strictSame(await sdk.users.delete(id), { success: true, status_code: 204 });

  const afterDelete = await rejectionOf(sdk.users.get(id));
  t.equal(afterDelete?.message, `404: user [distinct_id: '${id}'] not found`);
  const deleteAgain = await rejectionOf(sdk.users.delete(id));
  t.equal(deleteAgain?.message, `404: user [distinct_id: '${id}'] not found`, 'deleting twice is a 404');
  const editGone = sdk.users.get_edit_instance(id);
  editGone.set('name', 'Back');
  const editAfterDelete = await rejectionOf(sdk.users.edit(editGone));
  t.equal(editAfterDelete?.message, `404: user [distinct_id: '${id}'] not found`, 'editing a deleted user is a 404');

  const listed = (await sdk.users.list({ limit: 10 })) as UserPage;
  t.strictSame(
    listed.results.map((r) => r.distinct_id),
    ['survivor'],
    'only the other user is listed',
  );
  t.equal(listed.meta.count, 1);
  t.equal(((await sdk.users.get('survivor')) as WireUser).distinct_id, 'survivor', 'other users are untouched');

  // Upserting the id again starts a new user, with nothing left from the old one.
  const reborn = (await sdk.users.upsert(id, {})) as WireUser;
  t.strictSame(reborn.properties, {});
  t.strictSame(channelKeys(reborn), ['$inbox'], 'the deleted email identity did not come back');
});

t.test('distinct_ids with "/", space, "+", "é" and other reserved characters round-trip', async (t) => {
  const { sdk } = await startServer(t);
  const ids = ['team/alice smith+1é', 'a%2Fb', '100% sure?#&=', 'ü/1'];
  for (const id of ids) {
    await t.test(JSON.stringify(id), async (t) => {
      const created = (await sdk.users.upsert(id, { $email: ['odd@example.com'], label: id })) as WireUser;
      t.equal(created.distinct_id, id, 'upsert answers the decoded id');
      t.strictSame(created.properties, { label: id });
      t.strictSame(created.$inbox, [active(inboxOf(id), 'suprsend')], '$inbox is computed from the decoded id');

      const fetched = (await sdk.users.get(id)) as WireUser;
      t.strictSame(fetched, created, 'get finds the same user');

      const edit = sdk.users.get_edit_instance(id);
      edit.set('edited', true);
      edit.add_sms('+15555550999');
      const edited = (await sdk.users.edit(edit)) as WireUser;
      t.equal(edited.distinct_id, id);
      t.strictSame(edited.properties, { label: id, edited: true });
      t.strictSame(edited.$sms, [active('+15555550999')]);

      const listed = (await sdk.users.list({ limit: 100 })) as UserPage;
      const row = listed.results.find((r) => r.distinct_id === id);
      t.ok(row, 'list shows the id decoded');
      t.strictSame(row?.properties, { label: id, edited: true });

      t.strictSame(await sdk.users.delete(id), { success: true, status_code: 204 });
      const gone = await rejectionOf(sdk.users.get(id));
      t.equal(gone?.message, `404: user [distinct_id: '${id}'] not found`);
    });
  }
  // The ids are distinct users: "a%2Fb" (a literal percent sign) is not "a/b".
  const aSlashB = await rejectionOf(sdk.users.get('a/b'));
  t.equal(aSlashB?.message, `404: user [distinct_id: 'a/b'] not found`);
});

t.test('a wrong secret or key is rejected with 401 and changes nothing', async (t) => {
  const { baseUrl, sdk } = await startServer(t);
  await sdk.users.upsert('guarded', { name: 'Guarded' });

  const wrongSecret = new Suprsend(WS_A.key, 'not-the-secret', { base_url: baseUrl });
  const getErr = await rejectionOf(wrongSecret.users.get('guarded'));
  t.match(getErr?.message, /^401: \S/, 'get with a wrong secret: "401: <message>"');
  const upsertErr = await rejectionOf(wrongSecret.users.upsert('intruder', { name: 'Intruder' }));
  t.match(upsertErr?.message, /^401: \S/, 'upsert with a wrong secret: 401');
  const listErr = await rejectionOf(wrongSecret.users.list({ limit: 10 }));
  t.match(listErr?.message, /^401: \S/, 'list with a wrong secret: 401');
  const deleteErr = await rejectionOf(wrongSecret.users.delete('guarded'));
  t.match(deleteErr?.message, /^401: \S/, 'delete with a wrong secret: 401');

  const unknownKey = new Suprsend('unknown_workspace_key_0123456789', WS_A.secret, { base_url: baseUrl });
  const unknownErr = await rejectionOf(unknownKey.users.get('guarded'));
  t.match(unknownErr?.message, /^401: \S/, 'an unknown workspace key: 401');

  const intruder = await rejectionOf(sdk.users.get('intruder'));
  t.equal(intruder?.message, `404: user [distinct_id: 'intruder'] not found`, 'the rejected upsert created nothing');
  t.equal(((await sdk.users.get('guarded')) as WireUser).properties.name, 'Guarded', 'the rejected delete deleted nothing');

  // Workspace B's own credentials work, but it cannot see workspace A's users.
  const other = new Suprsend(WS_B.key, WS_B.secret, { base_url: baseUrl });
  const crossErr = await rejectionOf(other.users.get('guarded'));
  t.equal(crossErr?.message, `404: user [distinct_id: 'guarded'] not found`, "workspace B does not see A's user");
  const otherList = (await other.users.list({ limit: 10 })) as UserPage;
  t.equal(otherList.meta.count, 0, 'workspace B has no users');
});
