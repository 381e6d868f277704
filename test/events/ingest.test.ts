/**
 * `POST /event/` (decision 8, sdk-wire-node §5) and the raw merge / bulk-delete
 * routes (decision 10), through app.inject with SDK-signed requests.
 */
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { failures, inboxChannel, trackEvents, userCount, userSchemaErrors, withoutTimestamps } from './fixtures/helpers.js';
import { active, build, signed, signedHeaders, TIMESTAMP, WS_A, WS_B } from '../helpers/index.js';

const SDK_VERSION = { $ss_sdk_version: 'suprsend/1.2.0;node/16.x' };

/** A schema-2 identity record as the current SDKs send it. */
function identity(distinctId: string, operations: unknown[]): Record<string, unknown> {
  return {
    $schema: '2',
    $insert_id: randomUUID(),
    $time: 1_795_435_702_433,
    env: WS_A.key,
    distinct_id: distinctId,
    $user_operations: operations,
    properties: { $ss_sdk_version: '@suprsend/node-sdk/1.15.1 (node/20.20.2; linux)' },
  };
}

async function getUser(app: FastifyInstance, id: string) {
  const res = await signed(app, 'GET', `/v1/user/${encodeURIComponent(id)}/`);
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

async function postEvent(app: FastifyInstance, body: unknown, url = '/event/') {
  return signed(app, 'POST', url, body);
}

/** Asserts the 202 "OK" answer of /event/ and its failed-records header. */
function assertAccepted(t: Test, res: Awaited<ReturnType<typeof postEvent>>, failed: number) {
  t.equal(res.statusCode, 202, `202 (body: ${res.body.slice(0, 200)})`);
  t.equal(res.body, 'OK');
  t.match(res.headers['content-type'], /^text\/plain/);
  if (failed > 0) t.equal(res.headers['x-emulator-failed-records'], String(failed), 'x-emulator-failed-records');
  else t.equal(res.headers['x-emulator-failed-records'], undefined, 'no x-emulator-failed-records header');
}

/** Asserts a JSON error answer: {code, message} with code equal to the status. */
function assertJsonError(t: Test, res: Awaited<ReturnType<typeof postEvent>>, status: number, message?: RegExp) {
  t.equal(res.statusCode, status, `status ${status} (body: ${res.body.slice(0, 200)})`);
  t.match(res.headers['content-type'], /^application\/json/);
  const body = JSON.parse(res.body) as { code: unknown; message: unknown };
  t.equal(body.code, status, 'code equals the status');
  t.type(body.message, 'string');
  if (message) t.match(body.message, message);
}

t.test('the pre-schema-2 legacy array (Node SDK ≤ 1.2, sdk-wire-node §5.3) on /event/?verify=true', async (t) => {
  const app = await build(t);
  const id = 'legacy-user-1';
  const base = () => ({ $insert_id: randomUUID(), $time: 1_672_000_000_000, env: WS_A.key });
  const captured = [
    { ...base(), event: '$identify', properties: { $identified_id: id, ...SDK_VERSION } },
    { ...base(), distinct_id: id, $append: { $email: 'legacy@example.com' }, properties: SDK_VERSION },
    { ...base(), distinct_id: id, $append: { $androidpush: 'legacy-fcm-token', $pushvendor: 'xiaomi' }, properties: SDK_VERSION },
    { ...base(), distinct_id: id, $append: { $sms: '+15555550123' }, properties: SDK_VERSION },
    { ...base(), distinct_id: id, $append: { $iospush: 'legacy-apns-token', $pushvendor: 'apns' }, properties: SDK_VERSION },
    { ...base(), distinct_id: id, $set: { name: 'Legacy Lee', $preferred_language: 'en', temp: 1 }, properties: SDK_VERSION },
    { ...base(), distinct_id: id, $set: { $timezone: 'Asia/Kolkata' }, $unset: ['$sms', 'temp'], properties: SDK_VERSION },
    { ...base(), distinct_id: id, $remove: { $iospush: 'legacy-apns-token', $pushvendor: 'apns' }, properties: SDK_VERSION },
  ];
  const res = await postEvent(app, captured, '/event/?verify=true');
  assertAccepted(t, res, 0);
  t.strictSame(failures(app), [], 'no record failed');

  const { status, body } = await getUser(app, id);
  t.equal(status, 200);
  const { created_at, updated_at, rest } = withoutTimestamps(body);
  t.match(created_at, TIMESTAMP);
  t.match(updated_at, TIMESTAMP);
  t.strictSame(rest, {
    distinct_id: id,
    properties: { name: 'Legacy Lee', $preferred_language: 'en', $timezone: 'Asia/Kolkata' },
    $email: [active('legacy@example.com')],
    $inbox: inboxChannel(id),
    $androidpush: [active('legacy-fcm-token', 'xiaomi')],
  });

  const tracked = trackEvents(app);
  t.equal(tracked.length, 1, 'the $identify event is kept as a track event');
  t.equal(tracked[0]?.event, '$identify');
  t.equal(tracked[0]?.distinct_id, id, '$identify names its user by properties.$identified_id');
});

t.test('a legacy $identify alone creates the user', async (t) => {
  const app = await build(t);
  const res = await postEvent(
    app,
    [{ event: '$identify', properties: { $identified_id: 'only-identified' }, env: WS_A.key }],
    '/event/?verify=false',
  );
  assertAccepted(t, res, 0);
  const { status, body } = await getUser(app, 'only-identified');
  t.equal(status, 200);
  t.strictSame(body.properties, {});
  t.strictSame(body.$inbox, inboxChannel('only-identified'));
});

t.test('a single object, an array, /event without a slash, and /v2/event/ with and without it', async (t) => {
  const app = await build(t);

  assertAccepted(t, await postEvent(app, identity('single', [{ $set: { n: 1 } }])), 0);
  t.strictSame((await getUser(app, 'single')).body.properties, { n: 1 });

  assertAccepted(
    t,
    await postEvent(app, [identity('arr-1', [{ $set: { n: 2 } }]), identity('arr-2', [{ $append: { $email: 'arr2@example.com' } }])]),
    0,
  );
  t.strictSame((await getUser(app, 'arr-1')).body.properties, { n: 2 });
  t.strictSame((await getUser(app, 'arr-2')).body.$email, [active('arr2@example.com')]);

  assertAccepted(t, await postEvent(app, identity('no-slash', [{ $set: { n: 3 } }]), '/event'), 0);
  t.strictSame((await getUser(app, 'no-slash')).body.properties, { n: 3 });

  const track = {
    $insert_id: 'c3a4e1f0-0000-4000-8000-000000000001',
    $time: 1_795_435_751_757,
    event: 'order_placed',
    env: WS_A.key,
    distinct_id: 'tracker',
    properties: { amount: 42.5, items: ['a', 'b'], $ss_sdk_version: 'suprsend-py-sdk/0.19.7' },
  };
  // /v2/event/ answers JSON naming the event (test/events/v2.test.ts has the rest).
  const first = await postEvent(app, track, '/v2/event/');
  t.equal(first.statusCode, 202);
  t.strictSame(first.json(), { status: 'success', message_id: track.$insert_id });
  const second = await postEvent(app, { ...track, $insert_id: 'c3a4e1f0-0000-4000-8000-000000000002', event: 'second' }, '/v2/event');
  t.strictSame(second.json(), { status: 'success', message_id: 'c3a4e1f0-0000-4000-8000-000000000002' }, 'without the slash too');
  const rows = trackEvents(app);
  t.equal(rows.length, 2);
  t.match(rows[0], {
    workspace: WS_A.name,
    distinct_id: 'tracker',
    event: 'order_placed',
    insert_id: 'c3a4e1f0-0000-4000-8000-000000000001',
    event_time: 1_795_435_751_757,
  });
  t.strictSame(JSON.parse(rows[0]!.properties), track.properties);
  t.strictSame(JSON.parse(rows[0]!.record), track, 'the whole record is kept as received');
  t.equal(rows[1]?.event, 'second');
  t.equal((await getUser(app, 'tracker')).status, 404, 'a plain track event does not create a user');
  t.strictSame(failures(app), []);
});

t.test('records of another workspace stay there', async (t) => {
  const app = await build(t);
  const res = await signed(app, 'POST', '/event/', identity('ws-b-user', [{ $set: { b: true } }]), WS_B);
  assertAccepted(t, res, 0);
  t.equal((await getUser(app, 'ws-b-user')).status, 404, 'invisible to workspace A');
  t.equal(userCount(app, WS_B.name), 1);
});

t.test('a body that is not JSON is a 400 JSON error', async (t) => {
  const app = await build(t);
  for (const raw of ['not json{', '{"distinct_id": "x",', '[1, 2', "{'a': 1}"]) {
    assertJsonError(t, await signed(app, 'POST', '/event/', raw), 400, /JSON/);
  }
  t.equal(userCount(app), 0);
});

t.test('a JSON scalar body is a 400', async (t) => {
  const app = await build(t);
  for (const raw of ['5', '"x"', 'null', 'true', '1e400']) {
    assertJsonError(t, await signed(app, 'POST', '/event/', raw), 400);
  }
  t.strictSame(failures(app), [], 'nothing recorded for a rejected request');
});

t.test('an array with a non-object element: that element fails, the others apply', async (t) => {
  const app = await build(t);
  const body = [identity('ok-0', [{ $set: { i: 0 } }]), 5, identity('ok-2', [{ $set: { i: 2 } }]), null, ['nested'], 'str'];
  assertAccepted(t, await postEvent(app, body), 4);
  t.strictSame((await getUser(app, 'ok-0')).body.properties, { i: 0 });
  t.strictSame((await getUser(app, 'ok-2')).body.properties, { i: 2 });
  const rows = failures(app);
  t.strictSame(
    rows.map((r) => [r.record_index, r.distinct_id, r.record]),
    [
      [1, null, '5'],
      [3, null, 'null'],
      [4, null, '["nested"]'],
      [5, null, '"str"'],
    ],
  );
  for (const row of rows) t.match(row.reason, /must be a JSON object/);
});

t.test('a record with neither operations nor an event fails with a reason', async (t) => {
  const app = await build(t);
  assertAccepted(
    t,
    await postEvent(app, [identity('fine', [{ $set: { a: 1 } }]), { distinct_id: 'nothing', properties: { a: 1 } }, {}]),
    2,
  );
  const rows = failures(app);
  t.equal(rows.length, 2);
  t.match(rows[0], { record_index: 1, distinct_id: 'nothing', reason: /neither \$user_operations/ });
  t.match(rows[1], { record_index: 2, distinct_id: null, reason: /neither/ });
  t.equal((await getUser(app, 'nothing')).status, 404);
  t.equal(userCount(app), 1);
});

t.test('distinct_id rules on /event/', async (t) => {
  const app = await build(t);
  const long = 'u'.repeat(256);
  const max = 'm'.repeat(255);
  const body = [
    identity(long, [{ $set: { a: 1 } }]),
    identity(max, [{ $set: { a: 2 } }]),
    { ...identity('x', [{ $set: { a: 3 } }]), distinct_id: undefined },
    { ...identity('x', [{ $set: { a: 4 } }]), distinct_id: 42 },
    identity('   ', [{ $set: { a: 5 } }]),
    { event: 'clicked', distinct_id: long, properties: {} },
    { event: 'clicked', properties: {} },
  ];
  assertAccepted(t, await postEvent(app, body), 6);
  const rows = failures(app);
  t.strictSame(
    rows.map((r) => r.record_index),
    [0, 2, 3, 4, 5, 6],
  );
  t.match(rows[0], { distinct_id: long, reason: /distinct_id.*at most 255/ });
  t.match(rows[1], { distinct_id: null, reason: /distinct_id is required/ });
  t.match(rows[2], { distinct_id: null, reason: /distinct_id must be a string/ });
  t.match(rows[3], { distinct_id: '   ', reason: /distinct_id must not be empty/ });
  t.match(rows[4], { distinct_id: long, reason: /at most 255/ });
  t.match(rows[5], { distinct_id: null, reason: /distinct_id is required/ });
  t.strictSame((await getUser(app, max)).body.properties, { a: 2 }, 'a 255-character distinct_id is fine');
  t.equal(userCount(app), 1);
  t.equal(trackEvents(app).length, 0);
});

t.test('$user_operations that is not a list, or holds null, fails that record only', async (t) => {
  const app = await build(t);
  const body = [
    { ...identity('not-list', []), $user_operations: { $set: { a: 1 } } },
    identity('null-op', [null]),
    identity('str-op', ['$set']),
    identity('unknown-op', [{ $frobnicate: { a: 1 } }]),
    { ...identity('null-ops', []), $user_operations: null },
    identity('good', [{ $set: { a: 1 } }]),
  ];
  assertAccepted(t, await postEvent(app, body), 5);
  const rows = failures(app);
  t.strictSame(
    rows.map((r) => [r.record_index, r.distinct_id]),
    [
      [0, 'not-list'],
      [1, 'null-op'],
      [2, 'str-op'],
      [3, 'unknown-op'],
      [4, 'null-ops'],
    ],
  );
  t.match(rows[0]?.reason, /list/);
  t.match(rows[1]?.reason, /operations\[0\].*must be an object/);
  t.match(rows[2]?.reason, /must be an object/);
  t.match(rows[3]?.reason, /unknown operator "\$frobnicate"/);
  t.match(rows[4]?.reason, /list/);
  for (const id of ['not-list', 'null-op', 'str-op', 'unknown-op', 'null-ops']) {
    t.equal((await getUser(app, id)).status, 404, `${id} not created`);
  }
  t.strictSame((await getUser(app, 'good')).body.properties, { a: 1 });
});

t.test('an empty array is accepted and changes nothing', async (t) => {
  const app = await build(t);
  assertAccepted(t, await postEvent(app, []), 0);
  t.equal(userCount(app), 0);
  t.strictSame(failures(app), []);
});

t.test('an empty $user_operations list creates the user (empty async_edit)', async (t) => {
  const app = await build(t);
  assertAccepted(t, await postEvent(app, identity('empty-edit', [])), 0);
  const { status, body } = await getUser(app, 'empty-edit');
  t.equal(status, 200);
  t.strictSame(body.properties, {});
});

t.test('a 2 MiB body of 400 records is accepted with the default body limit', async (t) => {
  const app = await build(t, { bodyLimit: loadConfig({}).bodyLimit });
  const records = Array.from({ length: 400 }, (_, i) =>
    identity(`big-${i}`, [{ $set: { blob: `${i}:`.padEnd(5_300, 'x'), i } }, { $append: { $email: `big${i}@example.com` } }]),
  );
  const payload = JSON.stringify(records);
  t.ok(Buffer.byteLength(payload) > 2 * 1024 * 1024, `body is ${Buffer.byteLength(payload)} bytes`);
  assertAccepted(t, await postEvent(app, payload), 0);
  t.equal(userCount(app), 400);
  const last = await getUser(app, 'big-399');
  t.equal((last.body.properties as { i: number }).i, 399);
  t.equal((last.body.properties as { blob: string }).blob.length, 5_300);
  t.strictSame(last.body.$email, [active('big399@example.com')]);
});

t.test('hostile input never yields a 5xx', async (t) => {
  const app = await build(t);

  t.test('deep nesting inside an operation', async (t) => {
    const depth = 100_000;
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const raw = `[${JSON.stringify(identity('deep-op', [{ $set: { ok: 1 } }])).replace('{"ok":1}', `{"ok":${deep}}`)},${JSON.stringify(identity('after-deep', [{ $set: { z: 1 } }]))}]`;
    const res = await signed(app, 'POST', '/event/', raw);
    t.ok(res.statusCode < 500, `status ${res.statusCode}: ${res.body.slice(0, 200)}`);
    t.equal(res.statusCode, 202);
    t.equal(res.headers['x-emulator-failed-records'], '1');
    t.equal((await getUser(app, 'deep-op')).status, 404);
    t.strictSame((await getUser(app, 'after-deep')).body.properties, { z: 1 });
  });

  t.test('deep nesting as a whole record, and inside track-event properties', async (t) => {
    const depth = 100_000;
    const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    for (const raw of [`[${deepArray}]`, `{"distinct_id":"deep-legacy","$set":${deepObject}}`]) {
      const res = await signed(app, 'POST', '/event/', raw);
      t.ok(res.statusCode < 500, `${raw.slice(0, 40)}…: status ${res.statusCode}: ${res.body.slice(0, 200)}`);
      t.equal(res.statusCode, 202, `${raw.slice(0, 40)}… accepted`);
      t.equal(res.headers['x-emulator-failed-records'], '1', `${raw.slice(0, 40)}… recorded as failed`);
    }
    t.equal((await getUser(app, 'deep-legacy')).status, 404);

    const res = await signed(app, 'POST', '/event/', `{"event":"deep","distinct_id":"deep-track","properties":{"x":${deepObject}}}`);
    t.ok(res.statusCode < 500, `deep track event: status ${res.statusCode}: ${res.body.slice(0, 200)}`);
    t.equal(res.statusCode, 202, 'deep track event accepted');
    const stored = trackEvents(app).some((r) => r.distinct_id === 'deep-track');
    t.ok(
      stored !== (res.headers['x-emulator-failed-records'] === '1'),
      'the deep track event is either stored or recorded as failed, exactly one of them',
    );
  });

  t.test('huge numbers', async (t) => {
    await signed(app, 'POST', '/v1/user/counter/', { n: 1 });
    const res = await signed(
      app,
      'POST',
      '/event/',
      `[${JSON.stringify(identity('huge-1', [{ $set: { ok: true } }])).replace('true', '1e400')},` +
        `${JSON.stringify(identity('counter', [{ $add: { n: 1.7e308 } }, { $add: { n: 1.7e308 } }]))},` +
        `${JSON.stringify(identity('huge-2', [{ $set: { big: 1 } }])).replace('"big":1', `"big":1${'0'.repeat(400)}`)},` +
        `${JSON.stringify(identity('precise', [{ $set: { n: 1 } }])).replace('"n":1', '"n":123456789012345678901234567890')},` +
        `{"event":"huge","distinct_id":"huge-track","properties":{"n":1e400},"$time":1e400}]`,
    );
    t.ok(res.statusCode < 500, `status ${res.statusCode}: ${res.body.slice(0, 200)}`);
    assertAccepted(t, res, 5);
    const mine = new Set(['huge-1', 'counter', 'huge-2', 'precise', 'huge-track']);
    const rows = failures(app).filter((r) => r.distinct_id !== null && mine.has(r.distinct_id));
    t.strictSame(
      rows.map((r) => [r.record_index, r.distinct_id, r.reason.replace(/ \(beyond.*| \(2\^53.*/, '')]),
      [
        [0, 'huge-1', '$user_operations[0].$set.ok: a number too large to keep'],
        [1, 'counter', 'operations[1].$add.n: adding 1.7e+308 to "n" gives a number too large to store'],
        [2, 'huge-2', '$user_operations[0].$set.big: a number too large to keep'],
        [3, 'precise', '$user_operations[0].$set.n: 123456789012345678901234567890 is an integer beyond ±9007199254740991'],
        [4, 'huge-track', 'properties.n: a number too large to keep'],
      ],
      'each record with a number it would not keep exactly fails on its own, naming the place inside the record',
    );
    t.strictSame((await getUser(app, 'counter')).body.properties, { n: 1 }, 'counter unchanged');
    t.equal((await getUser(app, 'precise')).status, 404, 'the rounded number was not stored');
    t.notOk(
      trackEvents(app).find((r) => r.event === 'huge'),
      'nor the track event',
    );
  });

  t.test('unicode', async (t) => {
    const id = 'ユーザー/🚀 ñ';
    const res = await postEvent(app, [
      identity(id, [{ $set: { name: 'Zoë 李 🎉', ключ: 'значение', lone: '\ud800' } }, { $append: { tags: '🏷️' } }]),
      { event: 'ñandú 🐦', distinct_id: id, properties: { emoji: '😀' } },
    ]);
    assertAccepted(t, res, 0);
    const { status, body } = await getUser(app, id);
    t.equal(status, 200);
    t.equal(body.distinct_id, id);
    const props = body.properties as Record<string, unknown>;
    t.equal(props.name, 'Zoë 李 🎉');
    t.equal(props.ключ, 'значение');
    t.strictSame(props.tags, ['🏷️']);
    t.equal(typeof props.lone, 'string');
    const track = trackEvents(app).find((r) => r.distinct_id === id);
    t.equal(track?.event, 'ñandú 🐦');
    t.strictSame(JSON.parse(track!.properties), { emoji: '😀' });
  });

  t.test('prototype keys: "constructor" is plain data, a "__proto__" key fails its record', async (t) => {
    // Production serialisation (validateResponses off, as loadConfig sets it).
    const prod = await build(t, { validateResponses: false });
    const raw = `{"$schema":"2","distinct_id":"proto","$user_operations":[{"$set":{"constructor":1,"prototype":{"polluted":true}}}]}`;
    assertAccepted(t, await signed(prod, 'POST', '/event/', raw), 0);
    const res = await signed(prod, 'GET', '/v1/user/proto/');
    t.equal(res.statusCode, 200);
    t.match(res.body, /"properties":\{"constructor":1,"prototype":\{"polluted":true\}\}/, 'both keys come back as data');
    const withProto = `{"$schema":"2","distinct_id":"proto2","$user_operations":[{"$set":{"__proto__":{"polluted":true}}}]}`;
    assertAccepted(t, await signed(prod, 'POST', '/event/', `[${raw},${withProto}]`), 1);
    const failure = failures(prod).find((r) => r.distinct_id === 'proto2');
    t.equal(failure?.reason, '$user_operations[0].$set.__proto__: "__proto__" is not accepted as a key', 'the record fails on its own');
    t.equal((await signed(prod, 'GET', '/v1/user/proto2/')).statusCode, 404, 'nothing of it was applied');
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  });

  t.test('odd shapes of track events and legacy records', async (t) => {
    const before = failures(app).length;
    const res = await postEvent(app, [
      { event: '', distinct_id: 'e1' },
      { event: 5, distinct_id: 'e2' },
      { event: 'ok', distinct_id: 'e3', properties: [1, 2] },
      { event: 'ok', distinct_id: 'e4', properties: 'x' },
      { distinct_id: 'e5', $set: 'not-an-object' },
      { distinct_id: 'e6', $append: { $email: ['a@example.com', 'bad'] } },
    ]);
    assertAccepted(t, res, 6);
    const rows = failures(app).slice(before);
    t.strictSame(
      rows.map((r) => [r.record_index, r.distinct_id]),
      [
        [0, 'e1'],
        [1, 'e2'],
        [2, 'e3'],
        [3, 'e4'],
        [4, 'e5'],
        [5, 'e6'],
      ],
    );
    t.match(rows[0]?.reason, /event must be a non-empty string/);
    t.match(rows[2]?.reason, /properties must be a JSON object/);
    t.match(rows[4]?.reason, /\$set needs an object/);
    t.match(rows[5]?.reason, /"bad" is not a valid email/);
    t.equal((await getUser(app, 'e6')).status, 404, 'one bad item in a channel list fails the whole record');
  });

  t.test('a body that is not JSON-typed is refused cleanly', async (t) => {
    const url = '/event/';
    const payload = JSON.stringify(identity('typed', [{ $set: { a: 1 } }]));
    const headers = { ...signedHeaders(WS_A, 'POST', url, payload), 'content-type': 'text/plain' };
    const res = await app.inject({ method: 'POST', url, headers, payload });
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `status ${res.statusCode}`);
    t.equal((JSON.parse(res.body) as { code: number }).code, res.statusCode);
  });
});

t.test('each record is atomic: an invalid later operation leaves its user as it was', async (t) => {
  const app = await build(t);
  const created = await signed(app, 'POST', '/v1/user/existing/', { $email: ['keep@example.com'], nickname: 'bob', n: 1 });
  t.equal(created.statusCode, 201);
  const before = (await getUser(app, 'existing')).body;

  const body = [
    identity('left', [{ $set: { side: 'left' } }]),
    identity('new-bad', [{ $set: { x: 1 } }, { $append: { $email: 'not-an-email' } }]),
    identity('existing', [
      { $set: { n: 2, extra: true }, $append: { $sms: '+15555550100' } },
      { $unset: ['$email'] },
      { $add: { nickname: 1 } },
    ]),
    identity('existing-2', [{ $set: { a: 1 } }, { $set: { $timezone: 'Mars/Olympus' } }]),
    identity('right', [{ $set: { side: 'right' } }]),
  ];
  assertAccepted(t, await postEvent(app, body), 3);

  t.equal((await getUser(app, 'new-bad')).status, 404, 'a new user is not created by a failed record');
  t.equal((await getUser(app, 'existing-2')).status, 404);
  t.strictSame((await getUser(app, 'existing')).body, before, 'the existing user is exactly as before, updated_at included');
  t.strictSame((await getUser(app, 'left')).body.properties, { side: 'left' });
  t.strictSame((await getUser(app, 'right')).body.properties, { side: 'right' });

  const rows = failures(app);
  t.strictSame(
    rows.map((r) => [r.record_index, r.distinct_id]),
    [
      [1, 'new-bad'],
      [2, 'existing'],
      [3, 'existing-2'],
    ],
  );
  t.match(rows[0]?.reason, /operations\[1\]\.\$append\.\$email: "not-an-email" is not a valid email address/);
  t.match(rows[1]?.reason, /operations\[2\]\.\$add\.nickname: cannot add to "nickname"/);
  t.match(rows[2]?.reason, /operations\[1\]\.\$set\.\$timezone: "Mars\/Olympus" is not an IANA time zone/);
  t.strictSame(JSON.parse(rows[0]!.record), body[1], 'the failed record is kept as received');
});

t.test('x-emulator-failed-records counts the failed records', async (t) => {
  const app = await build(t);
  const bad = (i: number) => identity(`bad-${i}`, [{ $append: { $sms: '12345' } }]);
  const good = (i: number) => identity(`good-${i}`, [{ $set: { i } }]);
  assertAccepted(t, await postEvent(app, [good(0), good(1)]), 0);
  assertAccepted(t, await postEvent(app, [bad(0), good(2), bad(1), bad(2), good(3)]), 3);
  assertAccepted(t, await postEvent(app, bad(3)), 1);
  const rows = failures(app);
  t.equal(rows.length, 4);
  t.strictSame(
    rows.map((r) => r.record_index),
    [0, 2, 3, 0],
  );
  for (const row of rows) t.match(row.reason, /"12345" is not a phone number in E\.164 format/);
  t.equal(userCount(app), 4);
});

t.test('POST /v1/user/{id}/merge/ (raw)', async (t) => {
  const app = await build(t);
  await signed(app, 'POST', '/v1/user/primary/', { $email: ['p@example.com'], name: 'P', shared: 'from-primary' });
  await signed(app, 'POST', '/v1/user/secondary/', {
    $email: ['s@example.com', 'p@example.com'],
    $sms: ['+15555550199'],
    shared: 'from-secondary',
    only_s: 1,
  });

  const res = await signed(app, 'POST', '/v1/user/primary/merge/', { from_user_id: 'secondary' });
  t.equal(res.statusCode, 201);
  const body = res.json() as Record<string, unknown>;
  t.strictSame(userSchemaErrors(body), [], 'the answer is a user');
  const { rest } = withoutTimestamps(body);
  t.strictSame(rest, {
    distinct_id: 'primary',
    properties: { name: 'P', shared: 'from-primary', only_s: 1 },
    $email: [active('p@example.com'), active('s@example.com')],
    $sms: [active('+15555550199')],
    $inbox: [...inboxChannel('primary'), ...inboxChannel('secondary')],
  });
  t.equal((await getUser(app, 'secondary')).status, 404, 'the secondary is deleted');
  t.strictSame((await getUser(app, 'primary')).body, body, 'GET shows the merged user');

  t.test('merge errors', async (t) => {
    await signed(app, 'POST', '/v1/user/third/', { a: 1 });
    assertJsonError(t, await signed(app, 'POST', '/v1/user/primary/merge/', {}), 400, /from_user_id/);
    assertJsonError(t, await signed(app, 'POST', '/v1/user/primary/merge/'), 400);
    assertJsonError(t, await signed(app, 'POST', '/v1/user/primary/merge/', { from_user_id: '' }), 400, /from_user_id/);
    assertJsonError(t, await signed(app, 'POST', '/v1/user/primary/merge/', { from_user_id: 5 }), 400, /from_user_id/);
    assertJsonError(t, await signed(app, 'POST', '/v1/user/primary/merge/', { from_user_id: 'primary' }), 400, /itself/);
    assertJsonError(t, await signed(app, 'POST', '/v1/user/primary/merge/', { from_user_id: 'ghost' }), 404);
    t.equal(
      (await signed(app, 'POST', '/v1/user/primary/merge/', { from_user_id: 'ghost' })).json().message,
      "from_user_id: [distinct_id: 'ghost'] not found",
    );
    const noPrimary = await signed(app, 'POST', '/v1/user/nobody/merge/', { from_user_id: 'third' });
    assertJsonError(t, noPrimary, 404);
    t.equal(noPrimary.json().message, "user [distinct_id: 'nobody'] not found");
    t.equal((await getUser(app, 'third')).status, 200, 'a failed merge deletes nothing');
    t.equal((await getUser(app, 'nobody')).status, 404, 'nor creates the primary');
  });
});

t.test('DELETE /v1/bulk/user/ (raw)', async (t) => {
  const app = await build(t);
  for (const id of ['d1', 'd2', 'd3', 'keep']) await signed(app, 'POST', `/v1/user/${id}/`, { $email: [`${id}@example.com`] });

  const res = await signed(app, 'DELETE', '/v1/bulk/user/', { distinct_ids: ['d1', 'd3', 'unknown-1', 'd1'] });
  t.equal(res.statusCode, 204);
  t.equal(res.body, '', '204 has no body');
  t.equal((await getUser(app, 'd1')).status, 404);
  t.equal((await getUser(app, 'd3')).status, 404);
  t.equal((await getUser(app, 'd2')).status, 200);
  t.equal((await getUser(app, 'keep')).status, 200);
  t.equal(userCount(app), 2);

  t.equal((await signed(app, 'DELETE', '/v1/bulk/user', { distinct_ids: ['d2'] })).statusCode, 204, 'no trailing slash');
  t.equal((await getUser(app, 'd2')).status, 404);

  assertJsonError(t, await signed(app, 'DELETE', '/v1/bulk/user/', { distinct_ids: 'keep' }), 400, /distinct_ids/);
  assertJsonError(t, await signed(app, 'DELETE', '/v1/bulk/user/', { distinct_ids: [] }), 400, /distinct_ids/);
  assertJsonError(t, await signed(app, 'DELETE', '/v1/bulk/user/', { distinct_ids: { a: 1 } }), 400, /distinct_ids/);
  assertJsonError(t, await signed(app, 'DELETE', '/v1/bulk/user/', {}), 400, /distinct_ids/);
  assertJsonError(t, await signed(app, 'DELETE', '/v1/bulk/user/'), 400);
  t.equal((await getUser(app, 'keep')).status, 200, 'rejected calls delete nothing');
});
