/**
 * `/v2/event/` (one track event → 202 `{"status": "success", "message_id"}`)
 * and `/v2/bulk/event/` (an array → 207 `{"status": "success", "records"}`),
 * through HTTP: bad input, the error envelope on every kind of failure
 * (records, body, auth, faults), limits, and what is stored.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { MAX_BULK_BODY_BYTES } from '../../src/events/schemas.js';
import { admin, bearer, build, databaseDigest, errorShapeProblem, signed, signedHeaders, WS_A, WS_B } from '../helpers/index.js';
import { failures, trackEvents } from './fixtures/helpers.js';

type Json = Record<string, unknown>;

/** Tables a refused record legitimately writes to. */
const FAILURE_TABLES = ['event_failures', 'sqlite_sequence'];

const ev = (over: Json = {}): Json => ({
  event: 'Clicked',
  distinct_id: 'u1',
  $insert_id: 'a0000000-0000-4000-8000-000000000001',
  $time: 1_795_435_751_757,
  env: WS_A.key,
  properties: { k: 'v' },
  ...over,
});

/** Asserts the error envelope of a /v2/ route and returns its body. */
function expectEnvelope(t: Test, res: LightMyRequestResponse, status: number, bulk: boolean, what: string): Json {
  t.equal(res.statusCode, status, `${what}: ${status} (${res.body.slice(0, 160)})`);
  t.match(res.headers['content-type'], /^application\/json/, `${what}: JSON`);
  t.equal(errorShapeProblem(status, res.body), undefined, `${what}: {code, message} as on every route`);
  const body = res.json() as Json;
  t.equal(body.status, 'error', `${what}: status "error"`);
  t.match(body.error, { message: body.message, type: String }, `${what}: error.message and error.type`);
  if (bulk) t.strictSame(body.records, [], `${what}: records: []`);
  else t.notOk('records' in body, `${what}: no records on /v2/event/`);
  return body;
}

t.test('/v2/event/: 202 JSON; message_id is the $insert_id, else a generated id', async (t) => {
  const app = await build(t);
  const res = await signed(app, 'POST', '/v2/event/', ev());
  t.equal(res.statusCode, 202);
  t.match(res.headers['content-type'], /^application\/json/);
  t.strictSame(res.json(), { status: 'success', message_id: 'a0000000-0000-4000-8000-000000000001' });

  const { $insert_id: _, ...noInsertId } = ev({ event: 'No Insert Id' });
  const generated = (await signed(app, 'POST', '/v2/event/', noInsertId)).json() as Json;
  t.match(generated, { status: 'success', message_id: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/ });
  const again = (await signed(app, 'POST', '/v2/event/', noInsertId)).json() as Json;
  t.not(again.message_id, generated.message_id, 'each generated id is new');
  const stored = app.emulator.db.$client.prepare("SELECT message_id FROM track_events WHERE event = 'No Insert Id' ORDER BY id").all();
  t.strictSame(stored, [{ message_id: generated.message_id }, { message_id: again.message_id }], 'stored with the id answered');

  t.test('with DETERMINISTIC_SEED the generated ids repeat from run to run', async (t) => {
    const ids = async () => {
      const seeded = await build(t, { deterministicSeed: 'events' });
      return [
        (await signed(seeded, 'POST', '/v2/event/', noInsertId)).json(),
        (await signed(seeded, 'POST', '/v2/bulk/event/', [noInsertId])).json(),
      ];
    };
    t.strictSame(await ids(), await ids());
  });
});

t.test('track events keep tenant_id, brand_id, $idempotency_key, and whether the user existed', async (t) => {
  const app = await build(t);
  t.equal((await bearer(app, 'POST', '/v1/user/known/', {})).statusCode, 201);
  const sent = [
    ev({ distinct_id: 'known', tenant_id: 'acme', brand_id: 'acme-b', $idempotency_key: 'k1', event: 'E1' }),
    ev({ distinct_id: 'ghost', event: 'E2', tenant_id: null }),
    ev({ distinct_id: 'newbie', event: '$identify', properties: { $identified_id: 'newbie' } }),
  ];
  t.equal((await signed(app, 'POST', '/v2/event/', sent[0])).statusCode, 202);
  t.equal((await signed(app, 'POST', '/v2/bulk/event/', sent.slice(1))).statusCode, 207);
  t.equal((await signed(app, 'POST', '/event/', ev({ distinct_id: 'known', event: 'E4', tenant_id: 't4' }))).body, 'OK');
  const rows = app.emulator.db.$client
    .prepare('SELECT event, tenant_id, brand_id, idempotency_key, user_exists, message_id FROM track_events ORDER BY id')
    .all();
  t.strictSame(rows, [
    { event: 'E1', tenant_id: 'acme', brand_id: 'acme-b', idempotency_key: 'k1', user_exists: 1, message_id: sent[0]!.$insert_id },
    { event: 'E2', tenant_id: null, brand_id: null, idempotency_key: null, user_exists: 0, message_id: sent[1]!.$insert_id },
    { event: '$identify', tenant_id: null, brand_id: null, idempotency_key: null, user_exists: 0, message_id: sent[2]!.$insert_id },
    { event: 'E4', tenant_id: 't4', brand_id: null, idempotency_key: null, user_exists: 1, message_id: null },
  ]);
  t.equal((await bearer(app, 'GET', '/v1/user/newbie/')).statusCode, 200, '$identify still creates its user (it did not exist before)');

  const journal = (await admin(app, 'GET', '/_emulator/journal?kind=events&distinct_id=known')).json() as { entries: Json[] };
  t.match(journal.entries, [
    { event: 'E4', tenant_id: 't4', brand_id: null, idempotency_key: null, user_exists: true, message_id: null },
    { event: 'E1', tenant_id: 'acme', brand_id: 'acme-b', idempotency_key: 'k1', user_exists: true, message_id: sent[0]!.$insert_id },
  ]);
});

t.test('/v2/bulk/event/: 207, one result per record, in order; an empty array is 207 with no records', async (t) => {
  const app = await build(t);
  const sent = [
    ev({ $insert_id: 'id-0' }),
    ev({ distinct_id: '' }),
    ev({ $insert_id: 'id-2', event: 'Other' }),
    { distinct_id: 'u1', $user_operations: [{ $set: { a: 1 } }] },
    'not an object',
    ev({ $insert_id: 'id-5', tenant_id: 12 }),
    ev({ $insert_id: 'id-6', brand_id: 'b'.repeat(65) }),
  ];
  const res = await signed(app, 'POST', '/v2/bulk/event/', sent);
  t.equal(res.statusCode, 207);
  const body = res.json() as { status: string; records: Json[] };
  t.equal(body.status, 'success');
  const err = (message: RegExp) => ({ status: 'error', status_code: 400, error: { type: 'validation_error', message } });
  t.match(body.records, [
    { status: 'success', message_id: 'id-0', status_code: 202 },
    err(/distinct_id must not be empty/),
    { status: 'success', message_id: 'id-2', status_code: 202 },
    err(/identity records .* are taken by \/event\//),
    err(/record must be a JSON object/),
    err(/tenant_id must be a string or null, got a number/),
    err(/brand_id must be at most 64 characters long \(got 65\)/),
  ]);
  t.equal(body.records.length, sent.length);
  t.strictSame(
    trackEvents(app).map((r) => r.insert_id),
    ['id-0', 'id-2'],
    'the two good events stored',
  );
  t.equal((await bearer(app, 'GET', '/v1/user/u1/')).statusCode, 404, 'the identity record did nothing');
  t.strictSame(
    failures(app).map((f) => [f.record_index, f.reason]),
    body.records.flatMap((r, i) => (r.status === 'error' ? [[i, (r.error as Json).message]] : [])),
    'every failed record journaled with its index and the reason answered',
  );

  const empty = await signed(app, 'POST', '/v2/bulk/event/', []);
  t.equal(empty.statusCode, 207);
  t.strictSame(empty.json(), { status: 'success', records: [] });
});

t.test('bad input on /v2/event/: 4xx in the error envelope, nothing stored but the failed record', async (t) => {
  const app = await build(t);
  t.equal((await bearer(app, 'POST', '/v1/user/u1/', { n: 1 })).statusCode, 201);
  const before = databaseDigest(app, FAILURE_TABLES);
  const cases: Array<[what: string, body: unknown, status: number, message: RegExp, journaled: boolean]> = [
    ['no distinct_id', { event: 'E', properties: {} }, 400, /^distinct_id is required$/, true],
    ['an empty event name', ev({ event: ' ' }), 400, /event must be a non-empty string/, true],
    ['properties not an object', ev({ properties: [1] }), 400, /properties must be a JSON object/, true],
    ['an identity record', { distinct_id: 'u1', $user_operations: [{ $set: { n: 2 } }] }, 400, /are taken by \/event\//, true],
    ['a legacy $set record', { distinct_id: 'u1', $set: { n: 2 } }, 400, /are taken by \/event\//, true],
    ['a number as tenant_id', ev({ tenant_id: 5 }), 400, /tenant_id must be a string or null/, true],
    ['a long $idempotency_key', ev({ $idempotency_key: 'k'.repeat(256) }), 400, /\$idempotency_key must be at most 255/, true],
    ['an integer beyond 2^53', '{"event":"E","distinct_id":"u1","properties":{"n":12345678901234567890}}', 400, /^properties\.n: /, true],
    ['a __proto__ key', '{"event":"E","distinct_id":"u1","properties":{"__proto__":{}}}', 400, /__proto__/, true],
    ['an array (one event per request)', [ev()], 400, /must be one track event, a JSON object; send batches to \/v2\/bulk\/event\//, false],
    ['an empty array', [], 400, /send batches to \/v2\/bulk\/event\//, false],
    ['null', 'null', 400, /must be a JSON object, got null/, false],
    ['a string', '"x"', 400, /must be a JSON object, got a string/, false],
    ['not JSON', '{"event":', 400, /invalid JSON/, false],
  ];
  for (const [what, body, status, message, journaled] of cases) {
    const count = failures(app).length;
    const res = await signed(app, 'POST', '/v2/event/', body);
    const err = expectEnvelope(t, res, status, false, what);
    t.match(err.message, message, `${what}: says why`);
    t.equal((err.error as Json).type, 'validation_error');
    t.equal(failures(app).length, count + (journaled ? 1 : 0), journaled ? `${what}: journaled as a failed record` : `${what}: no record`);
    if (journaled) t.equal(failures(app).at(-1)?.reason, err.message, `${what}: with the reason answered`);
  }
  const text = await app.inject({
    method: 'POST',
    url: '/v2/event/',
    headers: { authorization: `Bearer ${WS_A.api_keys[0]}`, 'content-type': 'text/plain' },
    payload: JSON.stringify(ev()),
  });
  expectEnvelope(t, text, 415, false, 'text/plain');
  t.equal(databaseDigest(app, FAILURE_TABLES), before, 'nothing changed besides the journaled failures');
  t.strictSame((await bearer(app, 'GET', '/v1/user/u1/')).json().properties, { n: 1 }, 'u1 untouched by the identity records');
});

t.test('bad input on /v2/bulk/event/: 4xx in the error envelope with records: [], nothing changed', async (t) => {
  const app = await build(t);
  t.equal((await signed(app, 'POST', '/v2/bulk/event/', [ev()])).statusCode, 207, 'one event stored first');
  const before = databaseDigest(app);
  const big = JSON.stringify([ev({ properties: { blob: 'x'.repeat(MAX_BULK_BODY_BYTES) } })]);
  const cases: Array<[what: string, body: unknown, status: number, message: RegExp]> = [
    ['an object (not an array)', ev(), 400, /body: must be a JSON array of track events/],
    ['null', 'null', 400, /must be a JSON object, got null/],
    ['a number', '7', 400, /must be a JSON object, got a number/],
    ['not JSON', '[{"event":', 400, /invalid JSON/],
    ['101 events', Array.from({ length: 101 }, (_, i) => ev({ $insert_id: `i-${i}` })), 413, /at most 100 records per request/],
    ['over 800 KB', big, 413, new RegExp(`the limit is ${MAX_BULK_BODY_BYTES} bytes \\(the SDKs' 800 KB chunk`)],
  ];
  for (const [what, body, status, message] of cases) {
    const err = expectEnvelope(t, await signed(app, 'POST', '/v2/bulk/event/', body), status, true, what);
    t.match(err.message, message, `${what}: says why`);
  }
  const oversizeUnsigned = await app.inject({
    method: 'POST',
    url: '/v2/bulk/event/',
    headers: { 'content-type': 'application/json', 'content-length': String(MAX_BULK_BODY_BYTES + 1) },
    payload: 'x'.repeat(MAX_BULK_BODY_BYTES + 1),
  });
  expectEnvelope(t, oversizeUnsigned, 413, true, 'a body announced over the limit, before credentials');
  t.equal(databaseDigest(app), before, 'nothing changed (no record was looked at, none journaled)');

  t.test('100 events just under the byte limit are taken', async (t) => {
    const blob = 'y'.repeat(Math.floor(MAX_BULK_BODY_BYTES / 100) - 300);
    const batch = Array.from({ length: 100 }, (_, i) => ev({ $insert_id: `full-${i}`, properties: { blob } }));
    t.ok(JSON.stringify(batch).length > 800 * 1000, `${JSON.stringify(batch).length} bytes`);
    const res = await signed(app, 'POST', '/v2/bulk/event/', batch);
    t.equal(res.statusCode, 207);
    t.equal((res.json().records as Json[]).filter((r) => r.status === 'success').length, 100);
  });
});

t.test('auth failures: the envelope on the /v2/ routes, the usual body elsewhere', async (t) => {
  const app = await build(t);
  const before = databaseDigest(app);
  const wrong = { ...WS_A, secret: 'not-the-secret-0123456789' };
  for (const [url, bulk] of [
    ['/v2/event/', false],
    ['/v2/bulk/event/', true],
  ] as const) {
    const body = bulk ? [ev()] : ev();
    const badSignature = await signed(app, 'POST', url, body, wrong);
    const err = expectEnvelope(t, badSignature, 401, bulk, `${url} wrong secret`);
    t.match(err, { error_code: 'authentication_failed', error: { type: 'authentication_failed' } }, 'the long 401 form, in the envelope');
    const unknownKey = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expectEnvelope(t, unknownKey, 401, bulk, `${url} unknown API key (refused before the body is read)`);
  }
  for (const url of ['/event/', '/v1/user/u1/']) {
    const res = await signed(app, 'POST', url, { distinct_id: 'u1', event: 'E' }, wrong);
    t.equal(res.statusCode, 401);
    const body = res.json() as Json;
    t.notOk('status' in body || 'error' in body || 'records' in body, `${url}: no envelope keys (${res.body.slice(0, 80)})`);
  }
  t.equal(databaseDigest(app), before, 'nothing changed');
});

t.test('injected faults: the default body in the envelope on the /v2/ routes; a rule’s own body as given', async (t) => {
  const app = await build(t);
  const rule = async (r: Json) => t.equal((await admin(app, 'POST', '/_emulator/faults', r)).statusCode, 201);
  await rule({ method: 'POST', path: '/v2/bulk/event/', status: 503, count: 1 });
  await rule({ method: 'POST', path: '/v2/event/', status: 500, count: 1 });
  await rule({ method: 'POST', path: '/event/', status: 503, count: 1 });
  const bulk = expectEnvelope(t, await signed(app, 'POST', '/v2/bulk/event/', [ev()]), 503, true, 'bulk fault');
  t.match(bulk, { message: /Injected fault: the emulator answered 503/, error: { type: 'service_unavailable' } });
  expectEnvelope(t, await signed(app, 'POST', '/v2/event/', ev()), 500, false, 'single fault');
  const legacy = await signed(app, 'POST', '/event/', ev());
  t.equal(legacy.statusCode, 503);
  t.strictSame(legacy.json(), { code: 503, message: 'Injected fault: the emulator answered 503 on purpose' }, '/event/ as before');
  t.strictSame(trackEvents(app), [], 'nothing stored while faulted');

  await rule({ method: 'POST', path: '/v2/bulk/event/', status: 502, body: { custom: true }, count: 1 });
  const custom = await signed(app, 'POST', '/v2/bulk/event/', [ev()]);
  t.equal(custom.statusCode, 502);
  t.strictSame(custom.json(), { custom: true }, 'a rule with its own body answers exactly that');
  t.equal((await signed(app, 'POST', '/v2/bulk/event/', [ev()])).statusCode, 207, 'the rules are spent');
});

t.test('workspaces stay apart on the /v2/ routes', async (t) => {
  const app = await build(t);
  t.equal((await signed(app, 'POST', '/v2/bulk/event/', [ev({ event: 'In B' })], WS_B)).statusCode, 207);
  t.equal((await signed(app, 'POST', '/v2/event/', ev({ event: 'In A' }))).statusCode, 202);
  t.strictSame(
    trackEvents(app).map((r) => r.event),
    ['In A'],
  );
  t.strictSame(
    trackEvents(app, WS_B.name).map((r) => r.event),
    ['In B'],
  );
});

/** Keeps the helpers honest: signedHeaders is what `signed` uses, so a replay with another body must fail. */
t.test('a signature over another body is refused on /v2/bulk/event/', async (t) => {
  const app: FastifyInstance = await build(t);
  const headers = signedHeaders(WS_A, 'POST', '/v2/bulk/event/', JSON.stringify([ev()]));
  const res = await app.inject({ method: 'POST', url: '/v2/bulk/event/', headers, payload: JSON.stringify([ev({ event: 'Tampered' })]) });
  expectEnvelope(t, res, 401, true, 'tampered body');
  t.strictSame(trackEvents(app), []);
});
