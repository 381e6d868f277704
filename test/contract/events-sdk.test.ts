/**
 * The real `@suprsend/node-sdk` against a real listening emulator: the /event/
 * identity path (async_edit, bulk edit, legacy user.save), track events, merge
 * and bulk delete (sdk-wire-node §2, §3 U5–U7, U10, U11, §5).
 */

import pkg from '@suprsend/node-sdk';
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { failures, inboxChannel, trackEvents, userCount, userSchemaErrors, withoutTimestamps } from '../events/fixtures/helpers.js';
import { active, listening, TIMESTAMP, WS_A } from '../helpers/index.js';
import { sdkFor, type Suprsend } from '../helpers/sdk.js';

const { Event } = pkg;
type Client = InstanceType<typeof Suprsend>;
type Dict = Record<string, unknown>;

interface Server {
  app: FastifyInstance;
  client: Client;
  /** `METHOD path` of every request the server received. */
  requests: string[];
  /** Number of records in each body /event/ ingested. */
  batches: number[];
}

/** A fresh emulator on 127.0.0.1:<random port> and an SDK client pointed at it. */
async function startServer(t: Test): Promise<Server> {
  const { app, baseUrl } = await listening(t);
  const requests: string[] = [];
  app.server.on('request', (req: { method?: string; url?: string }) => {
    requests.push(`${req.method} ${req.url}`);
  });
  const events = app.emulator.events;
  const ingest = events.ingest.bind(events);
  const batches: number[] = [];
  events.ingest = (ws, body) => {
    batches.push(Array.isArray(body) ? body.length : 1);
    return ingest(ws, body);
  };
  return { app, client: sdkFor(baseUrl), requests, batches };
}

const WEBPUSH = { endpoint: 'https://push.example.com/sub/1', keys: { p256dh: 'p256dh-key-1', auth: 'auth-1' } };
const WEBPUSH_GONE = { endpoint: 'https://push.example.com/sub/2', keys: { p256dh: 'p256dh-key-2', auth: 'auth-2' } };
const SLACK = { email: 'ada@example.com', access_token: 'xoxb-1' };
const SLACK_GONE = { incoming_webhook: { url: 'https://hooks.slack.com/services/T/B/X' } };
const TEAMS = { tenant_id: 't-1', service_url: 'https://smba.trafficmanager.net/amer', conversation_id: '19:abc' };
const TEAMS_GONE = { tenant_id: 't-1', service_url: 'https://smba.trafficmanager.net/amer', user_id: 'u-2' };

t.test('users.async_edit with every builder method', async (t) => {
  const { app, client, requests } = await startServer(t);
  const id = 'sdk-full';
  const ue = client.users.get_edit_instance(id);
  ue.add_email('old@example.com');
  ue.add_email('gone@example.com');
  ue.remove_email('gone@example.com');
  ue.add_sms('+15555550100');
  ue.add_sms('+15555550101');
  ue.remove_sms('+15555550101');
  ue.add_whatsapp('+15555550102');
  ue.add_whatsapp('+15555550103');
  ue.remove_whatsapp('+15555550103');
  ue.add_androidpush('android-xiaomi', 'xiaomi');
  ue.add_androidpush('android-default');
  ue.add_androidpush('android-gone', 'fcm');
  ue.remove_androidpush('android-gone');
  ue.add_iospush('ios-token', 'apns', 'com.example.app');
  ue.add_iospush('ios-gone');
  ue.remove_iospush('ios-gone', 'apns');
  ue.add_webpush(WEBPUSH, 'vapid');
  ue.add_webpush(WEBPUSH_GONE);
  // Removal compares objects structurally: key order does not matter.
  ue.remove_webpush({ keys: { auth: 'auth-2', p256dh: 'p256dh-key-2' }, endpoint: WEBPUSH_GONE.endpoint });
  ue.add_slack(SLACK);
  ue.add_slack(SLACK_GONE);
  ue.remove_slack({ incoming_webhook: { url: SLACK_GONE.incoming_webhook.url } });
  ue.add_ms_teams(TEAMS);
  ue.add_ms_teams(TEAMS_GONE);
  ue.remove_ms_teams({ user_id: 'u-2', service_url: TEAMS_GONE.service_url, tenant_id: 't-1' });
  ue.set('name', 'Ada');
  ue.set({ plan: 'pro', age: 36 });
  ue.set_once('first_seen', '2024-01-01');
  ue.set_once('first_seen', '2025-05-05');
  ue.increment('logins', 5);
  ue.increment('logins', -2);
  ue.increment({ credits: -1.5 });
  ue.append('tags', 'a');
  ue.append('tags', 'b');
  ue.append('tags', 'c');
  ue.remove('tags', 'b');
  ue.set('temp', 'x');
  ue.unset('temp');
  ue.unset(['$email']);
  ue.add_email('ada@example.com');
  ue.set_timezone('America/New_York');
  ue.set_preferred_language('fr');
  // The SDK has no set_locale(); $locale goes through set().
  ue.set('$locale', 'fr_FR');

  const result = await client.users.async_edit(ue);
  t.strictSame(result, { success: true, status: 'success', status_code: 202, message: 'OK' });
  t.strictSame(
    requests.filter((r) => r.startsWith('POST')),
    ['POST /event/'],
    'one POST to /event/',
  );
  t.strictSame(failures(app), [], 'no failed record');

  const user = (await client.users.get(id)) as Dict;
  const { created_at, updated_at, rest } = withoutTimestamps(user);
  t.match(created_at, TIMESTAMP);
  t.match(updated_at, TIMESTAMP);
  t.strictSame(rest, {
    distinct_id: id,
    properties: {
      name: 'Ada',
      plan: 'pro',
      age: 36,
      first_seen: '2024-01-01',
      logins: 3,
      credits: -1.5,
      tags: ['a', 'c'],
      $timezone: 'America/New_York',
      $preferred_language: 'fr',
      $locale: 'fr_FR',
    },
    $email: [active('ada@example.com')],
    $sms: [active('+15555550100')],
    $whatsapp: [active('+15555550102')],
    $inbox: inboxChannel(id),
    $webpush: [active(WEBPUSH, 'vapid')],
    $androidpush: [active('android-xiaomi', 'xiaomi'), active('android-default', 'fcm')],
    $iospush: [active('ios-token', 'apns')],
    $slack: [active(SLACK)],
    $ms_teams: [active(TEAMS)],
  });
  t.strictSame(userSchemaErrors(user), []);

  t.test('an empty async edit still creates the user', async (t) => {
    const empty = client.users.get_edit_instance('sdk-empty');
    t.strictSame(await client.users.async_edit(empty), { success: true, status: 'success', status_code: 202, message: 'OK' });
    const got = (await client.users.get('sdk-empty')) as Dict;
    t.strictSame(got.properties, {});
    t.strictSame(got.$inbox, inboxChannel('sdk-empty'));
  });
});

t.test('bulk edit of 1,000 users: 3 calls of 400 + 400 + 200, all applied', async (t) => {
  const { app, client, requests, batches } = await startServer(t);
  const idOf = (i: number) => `bulk-${String(i).padStart(4, '0')}`;
  const phoneOf = (i: number) => `+1555${String(i).padStart(7, '0')}`;
  const bulk = client.users.get_bulk_edit_instance();
  for (let i = 0; i < 1000; i++) {
    const ue = client.users.get_edit_instance(idOf(i));
    ue.add_email(`${idOf(i)}@example.com`);
    ue.add_sms(phoneOf(i));
    ue.set('index', i);
    ue.set('group', i % 2 === 0 ? 'even' : 'odd');
    bulk.append(ue);
  }
  const result = await bulk.save();
  t.match(result, { status: 'success', total: 1000, success: 1000, failure: 0 });
  t.strictSame(result.failed_records, []);

  t.strictSame(
    requests.filter((r) => r.startsWith('POST')),
    ['POST /event/', 'POST /event/', 'POST /event/'],
    'three calls',
  );
  t.strictSame(batches, [400, 400, 200], 'chunks of 400, 400 and 200 records');
  t.strictSame(failures(app), []);

  t.equal(userCount(app), 1000);
  const page = (await client.users.list({ limit: 5 })) as { meta: { count: number; limit: number }; results: unknown[] };
  t.equal(page.meta.count, 1000, 'users.list meta.count');
  t.equal(page.results.length, 5);

  const emails = app.emulator.db.$client
    .prepare("SELECT count(*) AS n FROM identities i JOIN users u ON u.id = i.user_id WHERE u.workspace = ? AND i.channel = '$email'")
    .get(WS_A.name) as { n: number };
  t.equal(emails.n, 1000, 'one email identity per user');

  for (const i of [0, 399, 400, 573, 999]) {
    const user = (await client.users.get(idOf(i))) as Dict;
    const { rest } = withoutTimestamps(user);
    t.strictSame(
      rest,
      {
        distinct_id: idOf(i),
        properties: { index: i, group: i % 2 === 0 ? 'even' : 'odd' },
        $email: [active(`${idOf(i)}@example.com`)],
        $sms: [active(phoneOf(i))],
        $inbox: inboxChannel(idOf(i)),
      },
      `user ${idOf(i)}`,
    );
  }
});

t.test('bulk edit with invalid records: the chunk succeeds, valid records apply, invalid ones are recorded', async (t) => {
  const { app, client, batches } = await startServer(t);
  await client.users.upsert('bulk-nick', { nickname: 'bob' });
  const before = (await client.users.get('bulk-nick')) as Dict;

  const edits = [
    (ue: ReturnType<typeof client.users.get_edit_instance>) => {
      ue.add_email('valid0@example.com');
      ue.set('ok', 0);
    },
    (ue: ReturnType<typeof client.users.get_edit_instance>) => {
      ue.set('x', 1);
      ue.add_email('not-an-email');
    },
    (ue: ReturnType<typeof client.users.get_edit_instance>) => {
      ue.add_sms('5555550100');
    },
    (ue: ReturnType<typeof client.users.get_edit_instance>) => {
      ue.set('touched', true);
      ue.increment('nickname', 1);
    },
    (ue: ReturnType<typeof client.users.get_edit_instance>) => {
      ue.add_sms('+15555550104');
      ue.set('ok', 4);
    },
  ];
  const ids = ['inv-ok-0', 'inv-bad-email', 'inv-bad-phone', 'bulk-nick', 'inv-ok-4'];
  const bulk = client.users.get_bulk_edit_instance();
  edits.forEach((fill, i) => {
    const ue = client.users.get_edit_instance(ids[i]!);
    fill(ue);
    bulk.append(ue);
  });
  const result = await bulk.save();
  t.match(result, { status: 'success', total: 5, success: 5, failure: 0 }, 'the SDK sees a successful chunk');
  t.strictSame(result.failed_records, []);
  t.strictSame(batches, [5]);

  t.strictSame(((await client.users.get('inv-ok-0')) as Dict).properties, { ok: 0 });
  t.strictSame(((await client.users.get('inv-ok-0')) as Dict).$email, [active('valid0@example.com')]);
  t.strictSame(((await client.users.get('inv-ok-4')) as Dict).$sms, [active('+15555550104')]);
  await t.rejects(client.users.get('inv-bad-email'), { message: "404: user [distinct_id: 'inv-bad-email'] not found" });
  await t.rejects(client.users.get('inv-bad-phone'), { message: "404: user [distinct_id: 'inv-bad-phone'] not found" });
  t.strictSame(await client.users.get('bulk-nick'), before, 'the user whose record failed is unchanged');

  const rows = failures(app);
  t.strictSame(
    rows.map((r) => [r.record_index, r.distinct_id]),
    [
      [1, 'inv-bad-email'],
      [2, 'inv-bad-phone'],
      [3, 'bulk-nick'],
    ],
  );
  t.match(rows[0]?.reason, /\$email: "not-an-email" is not a valid email address/);
  t.match(rows[1]?.reason, /\$sms: "5555550100" is not a phone number in E\.164 format/);
  t.match(rows[2]?.reason, /\$add\.nickname: cannot add to "nickname" because its current value is a string/);
  for (const row of rows) {
    const record = JSON.parse(row.record) as Dict;
    t.equal(record.distinct_id, row.distinct_id, 'the record is kept');
    t.equal(record.$schema, '2');
    t.ok(Array.isArray(record.$user_operations));
  }
});

t.test('legacy supr_client.user.get_instance(...).save()', async (t) => {
  const { app, client, requests } = await startServer(t);
  const id = 'legacy-sdk';
  await client.users.upsert(id, { visits: 1, $email: ['first@example.com'] });
  const user = client.user.get_instance(id);
  user.add_email('legacy@example.com');
  user.remove_email('first@example.com');
  user.add_androidpush('legacy-android');
  user.add_iospush('legacy-ios', 'apns', 'com.example');
  user.add_whatsapp('+15555550177');
  user.set({ plan: 'free' });
  user.set_once('plan', 'enterprise');
  user.increment('visits', 2);
  user.append('tags', 'x');
  user.set_preferred_language('de');
  user.set_timezone('Europe/Berlin');
  user.unset(['$whatsapp']);
  const result = await user.save();
  t.strictSame(result, { success: true, status: 'success', status_code: 202, message: 'Accepted' });
  t.ok(requests.includes('POST /event/'));
  t.strictSame(failures(app), []);

  const got = (await client.users.get(id)) as Dict;
  const { rest } = withoutTimestamps(got);
  t.strictSame(rest, {
    distinct_id: id,
    properties: { visits: 3, plan: 'free', tags: ['x'], $preferred_language: 'de', $timezone: 'Europe/Berlin' },
    $email: [active('legacy@example.com')],
    $inbox: inboxChannel(id),
    $androidpush: [active('legacy-android', 'fcm')],
    $iospush: [active('legacy-ios', 'apns')],
  });
});

t.test('track_event with the SDK Event is stored', async (t) => {
  const { app, client } = await startServer(t);
  const before = Date.now();
  const event = new Event(
    'track-user',
    'order_placed',
    { amount: 42, items: ['a', 'b'], nested: { k: 'v' } },
    {
      idempotency_key: 'idem-1',
      tenant_id: 'tenant-1',
    },
  );
  const result = await client.track_event(event);
  const after = Date.now();
  t.strictSame(result, { success: true, status: 'success', status_code: 202, message: 'Accepted' });

  const rows = trackEvents(app);
  t.equal(rows.length, 1);
  const row = rows[0]!;
  t.equal(row.workspace, WS_A.name);
  t.equal(row.distinct_id, 'track-user');
  t.equal(row.event, 'order_placed');
  const properties = JSON.parse(row.properties) as Dict;
  t.match(properties, { amount: 42, items: ['a', 'b'], nested: { k: 'v' }, $ss_sdk_version: /^@suprsend\/node-sdk\/1\.15\.1/ });
  t.strictSame(Object.keys(properties).sort(), ['$ss_sdk_version', 'amount', 'items', 'nested']);
  t.match(row.insert_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.type(row.event_time, 'number');
  t.ok(row.event_time! >= before - 1000 && row.event_time! <= after + 1000, `$time ${row.event_time} is now (epoch ms)`);
  const record = JSON.parse(row.record) as Dict;
  t.match(record, { $idempotency_key: 'idem-1', tenant_id: 'tenant-1', env: WS_A.key, $time: row.event_time, $insert_id: row.insert_id });
  t.match(
    row,
    { tenant_id: 'tenant-1', brand_id: null, idempotency_key: 'idem-1', user_exists: 0, message_id: null },
    'kept apart: tenant, idempotency key; track-user had no profile; /event/ answers no message_id',
  );
  t.strictSame(failures(app), []);

  t.test('track (deprecated) stores the same, and sees that the user now exists', async (t) => {
    await client.users.upsert('track-user', { name: 'T' });
    const result = await client.track('track-user', 'legacy_track', { via: 'track' }, { tenant_id: 'tenant-2', brand_id: 'brand-2' });
    t.strictSame(result, { success: true, status: 'success', status_code: 202, message: 'Accepted' });
    t.match(trackEvents(app).at(-1), {
      event: 'legacy_track',
      distinct_id: 'track-user',
      tenant_id: 'tenant-2',
      brand_id: 'brand-2',
      idempotency_key: null,
      user_exists: 1,
    });
  });

  t.test('$identify through track_event creates the user', async (t) => {
    const identify = new Event('identified-user', '$identify', { $identified_id: 'identified-user' });
    t.match(await client.track_event(identify), { success: true, status_code: 202 });
    const got = (await client.users.get('identified-user')) as Dict;
    t.strictSame(got.$inbox, inboxChannel('identified-user'));
    t.equal(trackEvents(app).at(-1)?.event, '$identify');
  });
});

t.test('bulk_events: 250 events go to /event/ in chunks of 100, 100 and 50, all stored with their context', async (t) => {
  const { app, client, requests, batches } = await startServer(t);
  await client.users.upsert('bulk-ev-0', {});
  const bulk = client.bulk_events.new_instance();
  for (let i = 0; i < 250; i++) {
    bulk.append(new Event(`bulk-ev-${i % 5}`, 'bulk_clicked', { i }, { tenant_id: `t-${i % 2}`, idempotency_key: `bulk-idem-${i}` }));
  }
  const result = await bulk.trigger();
  t.match(result, { status: 'success', total: 250, success: 250, failure: 0 });
  t.strictSame(result.failed_records, []);
  t.strictSame(
    requests.filter((r) => r.startsWith('POST /event') || r.startsWith('POST /v2')),
    ['POST /event/', 'POST /event/', 'POST /event/'],
    'the Node SDK sends bulk events to /event/ (not /v2/bulk/event/)',
  );
  t.strictSame(batches, [100, 100, 50]);
  const rows = trackEvents(app);
  t.equal(rows.length, 250, 'all 250 stored');
  t.strictSame(
    rows.map((r) => JSON.parse(r.properties).i),
    Array.from({ length: 250 }, (_, i) => i),
    'in the order appended',
  );
  t.match(rows[0], { distinct_id: 'bulk-ev-0', tenant_id: 't-0', idempotency_key: 'bulk-idem-0', user_exists: 1, message_id: null });
  t.match(rows[1], { distinct_id: 'bulk-ev-1', tenant_id: 't-1', idempotency_key: 'bulk-idem-1', user_exists: 0 });
  t.strictSame(failures(app), []);
});

t.test('bulk_events with a record the emulator refuses: the SDK sees success (/event/ answers OK), the failure is journaled', async (t) => {
  const { app, client, batches } = await startServer(t);
  const bulk = client.bulk_events.new_instance();
  bulk.append(
    new Event('bulk-good', 'ok_event', {}),
    new Event('x'.repeat(300), 'too_long_id', {}),
    new Event('bulk-good', 'ok_again', {}),
  );
  const result = await bulk.trigger();
  t.match(result, { status: 'success', total: 3, success: 3, failure: 0 }, 'the Node SDK reads only the status of /event/');
  t.strictSame(batches, [3]);
  t.strictSame(
    trackEvents(app).map((r) => r.event),
    ['ok_event', 'ok_again'],
  );
  t.match(failures(app), [{ record_index: 1, reason: /distinct_id must be at most 255 characters long \(got 300\)/ }]);
});

t.test('users.merge', async (t) => {
  const { client } = await startServer(t);
  await client.users.upsert('m-primary', { $email: ['mp@example.com'], name: 'Primary', shared: 'p', nested: { a: 1 } });
  await client.users.upsert('m-secondary', {
    $email: ['ms@example.com', 'mp@example.com'],
    $sms: ['+15555550111'],
    shared: 's',
    nested: { b: 2 },
    only_secondary: true,
  });
  const primaryBefore = (await client.users.get('m-primary')) as Dict;

  const merged = (await client.users.merge('m-primary', 'm-secondary')) as Dict;
  t.strictSame(userSchemaErrors(merged), []);
  const { created_at, updated_at, rest } = withoutTimestamps(merged);
  t.equal(created_at, primaryBefore.created_at, 'the primary keeps its created_at');
  t.match(updated_at, TIMESTAMP);
  t.strictSame(rest, {
    distinct_id: 'm-primary',
    properties: { name: 'Primary', shared: 'p', nested: { a: 1 }, only_secondary: true },
    $email: [active('mp@example.com'), active('ms@example.com')],
    $sms: [active('+15555550111')],
    $inbox: [...inboxChannel('m-primary'), ...inboxChannel('m-secondary')],
  });
  t.strictSame(await client.users.get('m-primary'), merged, 'GET shows the merged primary');
  await t.rejects(client.users.get('m-secondary'), { message: "404: user [distinct_id: 'm-secondary'] not found" });

  await t.rejects(client.users.merge('m-primary', 'x-missing'), { message: "404: from_user_id: [distinct_id: 'x-missing'] not found" });
  await t.rejects(client.users.merge('no-such-primary', 'm-primary'), { message: "404: user [distinct_id: 'no-such-primary'] not found" });
  t.strictSame(await client.users.get('m-primary'), merged, 'failed merges change nothing');
  await t.rejects(client.users.get('no-such-primary'), { message: "404: user [distinct_id: 'no-such-primary'] not found" });
  await t.rejects(client.users.merge('m-primary', 'm-primary'), { message: /^400: .*itself/ });
});

t.test('users.bulk_delete', async (t) => {
  const { app, client, requests } = await startServer(t);
  for (const id of ['bd-1', 'bd-2', 'bd-3', 'bd-keep']) await client.users.upsert(id, { $email: [`${id}@example.com`], n: 1 });
  const keepBefore = await client.users.get('bd-keep');

  const result = await client.users.bulk_delete({ distinct_ids: ['bd-1', 'bd-3', 'never-existed', 'also/unknown'] });
  t.strictSame(result, { success: true, status_code: 204 });
  t.ok(requests.includes('DELETE /v1/bulk/user/'));
  await t.rejects(client.users.get('bd-1'), { message: "404: user [distinct_id: 'bd-1'] not found" });
  await t.rejects(client.users.get('bd-3'), { message: "404: user [distinct_id: 'bd-3'] not found" });
  t.strictSame(await client.users.get('bd-keep'), keepBefore, 'others untouched');
  t.equal(((await client.users.get('bd-2')) as Dict).distinct_id, 'bd-2');
  t.equal(userCount(app), 2);
  const identities = app.emulator.db.$client.prepare('SELECT count(*) AS n FROM identities').get() as { n: number };
  t.equal(identities.n, 4, 'the deleted users’ identities are gone (2 users × email + inbox)');

  await t.rejects(client.users.bulk_delete({ distinct_ids: [] }), { message: /^400: / });
});
