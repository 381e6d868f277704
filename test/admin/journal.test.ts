/**
 * The journal through GET /_emulator/journal: API requests (method, path,
 * status, workspace, auth outcome, distinct_ids, redacted body, error
 * message), newest first; its filters; stored track events and rejected
 * /event/ records; clearing; its bound; what is not journalled.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { adminOk } from './fixtures/admin.js';
import { admin, api, build, expectJson, signed, WS_A, WS_B } from '../helpers/index.js';

const A = WS_A.api_keys[0]!;
const B = WS_B.api_keys[0]!;

interface Entry {
  seq: number;
  time: string;
  request_id: string;
  workspace: string | null;
  method: string;
  path: string;
  query: string;
  status: number;
  latency_ms: number;
  auth: string;
  distinct_ids: string[];
  body: unknown;
  error: string | null;
}

async function journal(t: Test, app: FastifyInstance, query = ''): Promise<Entry[]> {
  const res = await adminOk<{ kind: string; entries: Entry[] }>(t, app, 'GET', `/_emulator/journal${query}`, undefined, 200);
  return res.entries;
}

t.test('each API request is journalled with what the app sent and what it got', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'freeze', at: '2025-03-01T12:00:00Z' }, 200);

  expectJson(
    t,
    await api(app, 'POST', '/v1/user/alice/', A, {
      name: 'Alice',
      secret: 'my-secret-value',
      nested: { api_key: 'nested-api-key', password: 'hunter2', keep: 'visible' },
      $slack: [{ email: 'alice@example.com', access_token: 'xoxb-very-secret-token' }],
    }),
    201,
    'upsert alice',
  );
  expectJson(t, await signed(app, 'GET', '/v1/user/alice/?x=1', undefined, WS_A), 200, 'signed GET with a query');
  expectJson(t, await api(app, 'PATCH', '/v1/user/alice/', A, { operations: 'not-a-list' }), 400, 'a bad PATCH');
  expectJson(t, await api(app, 'GET', '/v1/user/ghost/', A), 404, 'an unknown user');
  expectJson(t, await api(app, 'GET', '/v1/user/alice/', 'not-a-real-api-key'), 401, 'a wrong API key');
  expectJson(t, await api(app, 'DELETE', '/v1/bulk/user/', B, { distinct_ids: ['b1', 'b2'] }), 204, 'bulk delete in B');
  expectJson(
    t,
    await api(app, 'POST', '/event/', A, [
      { distinct_id: 'e1', event: 'E', properties: { token: 'tok-123' } },
      { distinct_id: 'e2', $user_operations: [{ $set: { a: 1 } }] },
    ]),
    202,
    'an /event/ batch',
  );

  const entries = await journal(t, app);
  t.same(
    entries.map((e) => [e.method, e.path, e.status]),
    [
      ['POST', '/event/', 202],
      ['DELETE', '/v1/bulk/user/', 204],
      ['GET', '/v1/user/alice/', 401],
      ['GET', '/v1/user/ghost/', 404],
      ['PATCH', '/v1/user/alice/', 400],
      ['GET', '/v1/user/alice/', 200],
      ['POST', '/v1/user/alice/', 201],
    ],
    'every request, newest first',
  );
  t.same(
    entries.map((e) => e.seq),
    [...entries.map((e) => e.seq)].sort((x, y) => y - x),
    'seq decreases',
  );
  t.ok(
    entries.every((e) => e.time === '2025-03-01T12:00:00.000000+00:00'),
    'time is the (frozen) emulator clock',
  );
  t.ok(
    entries.every((e) => typeof e.request_id === 'string' && e.request_id.length > 0 && typeof e.latency_ms === 'number'),
    'request id and latency',
  );
  t.equal(new Set(entries.map((e) => e.request_id)).size, entries.length, 'request ids differ');
  const [event, bulk, unauth, ghost, badPatch, get, upsert] = entries as [Entry, Entry, Entry, Entry, Entry, Entry, Entry];

  t.match(upsert, { workspace: 'default', auth: 'bearer', distinct_ids: ['alice'], query: '', error: null });
  t.same(
    upsert.body,
    {
      name: 'Alice',
      secret: '[redacted]',
      nested: { api_key: '[redacted]', password: '[redacted]', keep: 'visible' },
      $slack: [{ email: 'alice@example.com', access_token: '[redacted]' }],
    },
    'secret-looking fields are redacted, everything else kept',
  );
  const dump = JSON.stringify(entries);
  for (const secret of [
    'my-secret-value',
    'nested-api-key',
    'hunter2',
    'xoxb-very-secret-token',
    'tok-123',
    'not-a-real-api-key',
    WS_A.secret,
  ]) {
    t.notOk(dump.includes(secret), `"${secret}" never reaches the journal`);
  }

  t.match(get, { workspace: 'default', auth: 'signature', query: 'x=1', body: null, distinct_ids: ['alice'], error: null });
  t.match(badPatch, { workspace: 'default', auth: 'bearer', status: 400, body: { operations: 'not-a-list' } });
  t.match(badPatch.error, /operations/, `a 400 keeps its message (${badPatch.error})`);
  t.match(ghost, { status: 404, error: "user [distinct_id: 'ghost'] not found", distinct_ids: ['ghost'] });
  t.match(unauth, { workspace: null, auth: 'failed', status: 401 });
  t.match(unauth.error, /^Not Authenticated/, 'a 401 keeps its message');
  t.match(bulk, { workspace: 'other', auth: 'bearer', status: 204, body: { distinct_ids: ['b1', 'b2'] } });
  t.same(bulk.distinct_ids, ['b1', 'b2'], 'distinct_ids of a bulk body');
  t.same(event.distinct_ids, ['e1', 'e2'], 'distinct_ids of batch records');
  t.same(event.body, [
    { distinct_id: 'e1', event: 'E', properties: { token: '[redacted]' } },
    { distinct_id: 'e2', $user_operations: [{ $set: { a: 1 } }] },
  ]);
});

t.test('filters: workspace, distinct_id, path, status, since, limit', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'freeze', at: '2025-01-01T00:00:00Z' }, 200);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, { n: 1 }), 201, 'alice in A');
  expectJson(t, await api(app, 'POST', '/v1/user/albert/', A, { n: 2 }), 201, 'albert in A');
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', B, { n: 3 }), 201, 'alice in B');
  expectJson(t, await api(app, 'POST', '/v1/user/alice/merge/', A, { from_user_id: 'albert' }), 201, 'merge albert into alice');

  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'advance', ms: 3_600_000 }, 200);
  expectJson(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'later: GET alice');
  expectJson(t, await api(app, 'GET', '/v1/user/nobody/', B), 404, 'later: unknown in B');
  expectJson(t, await api(app, 'POST', '/event/', B, { distinct_id: 'bob', event: 'Seen', properties: {} }), 202, 'later: an event in B');
  expectJson(
    t,
    await api(app, 'POST', '/v2/event/', B, { distinct_id: 'bob', event: 'Seen again', properties: {} }),
    202,
    'later: a /v2/event/',
  );

  const paths = async (q: string) => (await journal(t, app, q)).map((e) => `${e.workspace} ${e.method} ${e.path} ${e.status}`);
  t.same(
    await paths('?workspace=default'),
    [
      'default GET /v1/user/alice/ 200',
      'default POST /v1/user/alice/merge/ 201',
      'default POST /v1/user/albert/ 201',
      'default POST /v1/user/alice/ 201',
    ],
    'workspace=default',
  );
  t.same(
    await paths('?workspace=other'),
    ['other POST /v2/event/ 202', 'other POST /event/ 202', 'other GET /v1/user/nobody/ 404', 'other POST /v1/user/alice/ 201'],
    'workspace=other',
  );
  expectJson(t, await admin(app, 'GET', '/_emulator/journal?workspace=nope'), 404, 'an unknown workspace');

  t.same(
    await paths('?distinct_id=alice'),
    [
      'default GET /v1/user/alice/ 200',
      'default POST /v1/user/alice/merge/ 201',
      'other POST /v1/user/alice/ 201',
      'default POST /v1/user/alice/ 201',
    ],
    'distinct_id=alice (path parameter)',
  );
  t.same(
    await paths('?distinct_id=albert'),
    ['default POST /v1/user/alice/merge/ 201', 'default POST /v1/user/albert/ 201'],
    'distinct_id=albert (also named by a merge body)',
  );
  t.same(await paths('?distinct_id=bob'), ['other POST /v2/event/ 202', 'other POST /event/ 202'], 'distinct_id=bob (event records)');
  t.same(await paths('?distinct_id=alice&workspace=other'), ['other POST /v1/user/alice/ 201'], 'distinct_id and workspace together');

  t.same(await paths('?path=/merge/'), ['default POST /v1/user/alice/merge/ 201'], 'path: a substring');
  t.same(await paths('?path=event/'), ['other POST /v2/event/ 202', 'other POST /event/ 202'], 'path: a substring matches anywhere');
  t.same(await paths('?path=/event*'), ['other POST /event/ 202'], 'path: a prefix with "*"');
  t.same(
    await paths(`?path=${encodeURIComponent('/v1/user/al*')}`),
    [
      'default GET /v1/user/alice/ 200',
      'default POST /v1/user/alice/merge/ 201',
      'other POST /v1/user/alice/ 201',
      'default POST /v1/user/albert/ 201',
      'default POST /v1/user/alice/ 201',
    ],
    'path: /v1/user/al*',
  );
  t.same(await paths('?path=/nothing/'), [], 'path: no match');

  t.same(await paths('?status=404'), ['other GET /v1/user/nobody/ 404'], 'status=404');
  t.same(
    await paths('?status=201&workspace=default'),
    ['default POST /v1/user/alice/merge/ 201', 'default POST /v1/user/albert/ 201', 'default POST /v1/user/alice/ 201'],
    'status and workspace together',
  );

  t.same(
    await paths('?since=2025-01-01T00:30:00Z'),
    ['other POST /v2/event/ 202', 'other POST /event/ 202', 'other GET /v1/user/nobody/ 404', 'default GET /v1/user/alice/ 200'],
    'since: only the requests after the clock advanced',
  );
  t.equal((await paths('?since=2025-01-01T00:00:00Z')).length, 8, 'since is inclusive');
  t.same(await paths('?since=2025-01-01T01:00:00.000001Z'), [], 'since after everything');
  t.same(
    await paths('?since=2025-01-01T03:00:00%2B02:00&workspace=other'),
    ['other POST /v2/event/ 202', 'other POST /event/ 202', 'other GET /v1/user/nobody/ 404'],
    'since with an offset (01:00Z)',
  );
  expectJson(t, await admin(app, 'GET', '/_emulator/journal?since=yesterday'), 400, 'since: not a time');

  t.same(await paths('?limit=2'), ['other POST /v2/event/ 202', 'other POST /event/ 202'], 'limit=2: the two newest');
  t.same(await paths('?limit=1&workspace=default'), ['default GET /v1/user/alice/ 200'], 'limit with a filter');
  expectJson(t, await admin(app, 'GET', '/_emulator/journal?limit=0'), 400, 'limit=0');
  expectJson(t, await admin(app, 'GET', '/_emulator/journal?kind=nonsense'), 400, 'an unknown kind');
  expectJson(t, await admin(app, 'GET', '/_emulator/journal?status=abc'), 400, 'a status that is not a number');
});

t.test('kind=events shows stored track events; kind=failures the rejected records with reasons', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'freeze', at: '2025-02-01T08:00:00Z' }, 200);
  const res = await api(app, 'POST', '/event/', A, [
    {
      distinct_id: 'u1',
      event: 'Bought',
      properties: { amount: 5, secret: 'x' },
      $insert_id: 'ins-1',
      $time: 1738396800000,
      tenant_id: 'acme',
      brand_id: 'acme-brand',
      $idempotency_key: 'idem-1',
    },
    { distinct_id: 'u2', $user_operations: [{ $set: { plan: 'pro' } }] },
    { event: 'No id', properties: {} },
    { distinct_id: 'u3', event: 'Bad props', properties: 'not-an-object' },
    'just a string',
  ]);
  t.equal(res.statusCode, 202, 'the batch is accepted');
  t.equal(res.headers['x-emulator-failed-records'], '3', 'three records failed');
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'advance', ms: 60_000 }, 200);
  expectJson(t, await api(app, 'POST', '/v1/user/u9/', B, {}), 201, 'u9 has a profile in B');
  t.same(
    expectJson(
      t,
      await api(app, 'POST', '/v2/event/', B, { distinct_id: 'u9', event: 'Opened', properties: { via: 'v2' }, $insert_id: 'ins-9' }),
      202,
      'a track event in B',
    ),
    { status: 'success', message_id: 'ins-9' },
  );

  type Ev = {
    id: number;
    workspace: string;
    distinct_id: string;
    event: string;
    properties: Record<string, unknown>;
    insert_id: string | null;
    time: number | null;
    tenant_id: string | null;
    brand_id: string | null;
    idempotency_key: string | null;
    user_exists: boolean;
    message_id: string | null;
    received_at: string;
  };
  const events = await adminOk<{ kind: string; entries: Ev[] }>(t, app, 'GET', '/_emulator/journal?kind=events', undefined, 200);
  t.equal(events.kind, 'events');
  t.same(
    events.entries.map(({ id: _id, ...e }) => e),
    [
      {
        workspace: 'other',
        distinct_id: 'u9',
        event: 'Opened',
        properties: { via: 'v2' },
        insert_id: 'ins-9',
        time: null,
        tenant_id: null,
        brand_id: null,
        idempotency_key: null,
        user_exists: true,
        message_id: 'ins-9',
        received_at: '2025-02-01T08:01:00.000000+00:00',
      },
      {
        workspace: 'default',
        distinct_id: 'u1',
        event: 'Bought',
        properties: { amount: 5, secret: 'x' },
        insert_id: 'ins-1',
        time: 1738396800000,
        tenant_id: 'acme',
        brand_id: 'acme-brand',
        idempotency_key: 'idem-1',
        user_exists: false,
        message_id: null,
        received_at: '2025-02-01T08:00:00.000000+00:00',
      },
    ],
    'both stored track events, newest first, as sent',
  );
  const byWs = await adminOk<{ entries: Ev[] }>(t, app, 'GET', '/_emulator/journal?kind=events&workspace=default', undefined, 200);
  t.same(
    byWs.entries.map((e) => e.event),
    ['Bought'],
    'events: workspace filter',
  );
  const byId = await adminOk<{ entries: Ev[] }>(t, app, 'GET', '/_emulator/journal?kind=events&distinct_id=u9', undefined, 200);
  t.same(
    byId.entries.map((e) => e.event),
    ['Opened'],
    'events: distinct_id filter',
  );
  const since = await adminOk<{ entries: Ev[] }>(
    t,
    app,
    'GET',
    '/_emulator/journal?kind=events&since=2025-02-01T08:00:30Z',
    undefined,
    200,
  );
  t.same(
    since.entries.map((e) => e.event),
    ['Opened'],
    'events: since filter',
  );
  const limited = await adminOk<{ entries: Ev[] }>(t, app, 'GET', '/_emulator/journal?kind=events&limit=1', undefined, 200);
  t.same(
    limited.entries.map((e) => e.event),
    ['Opened'],
    'events: limit',
  );

  type Fail = { workspace: string; record_index: number; distinct_id: string | null; record: unknown; reason: string };
  const failures = await adminOk<{ kind: string; entries: Fail[] }>(t, app, 'GET', '/_emulator/journal?kind=failures', undefined, 200);
  t.equal(failures.kind, 'failures');
  t.same(
    failures.entries.map((f) => [f.workspace, f.record_index, f.distinct_id, f.record]),
    [
      ['default', 4, null, 'just a string'],
      ['default', 3, 'u3', { distinct_id: 'u3', event: 'Bad props', properties: 'not-an-object' }],
      ['default', 2, null, { event: 'No id', properties: {} }],
    ],
    'the rejected records, newest first, with their index in the batch',
  );
  t.match(
    failures.entries.map((f) => f.reason),
    [/JSON object/, /properties/, /distinct_id/],
    'each with its reason',
  );
  const failuresU3 = await adminOk<{ entries: Fail[] }>(t, app, 'GET', '/_emulator/journal?kind=failures&distinct_id=u3', undefined, 200);
  t.equal(failuresU3.entries.length, 1, 'failures: distinct_id filter');
  const failuresB = await adminOk<{ entries: Fail[] }>(t, app, 'GET', '/_emulator/journal?kind=failures&workspace=other', undefined, 200);
  t.same(failuresB.entries, [], 'failures: workspace filter');
});

t.test('DELETE /_emulator/journal clears requests, events and failures, not data', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, { n: 1 }), 201, 'upsert');
  expectJson(t, await api(app, 'POST', '/event/', A, [{ distinct_id: 'alice', event: 'E', properties: {} }, 42]), 202, 'events');
  t.equal((await journal(t, app)).length, 2);
  t.equal((await journal(t, app, '?kind=events')).length, 1);
  t.equal((await journal(t, app, '?kind=failures')).length, 1);

  const res = await admin(app, 'DELETE', '/_emulator/journal');
  t.equal(res.statusCode, 204);
  t.same(await journal(t, app), [], 'no requests');
  t.same(await journal(t, app, '?kind=events'), [], 'no events');
  t.same(await journal(t, app, '?kind=failures'), [], 'no failures');
  expectJson(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'the data is still there');
  const after = await journal(t, app);
  t.same(
    after.map((e) => e.path),
    ['/v1/user/alice/'],
    'journalling goes on after clearing',
  );
});

t.test('the journal keeps only the newest JOURNAL_SIZE entries', async (t) => {
  const app = await build(t, { journalSize: 5 });
  for (let i = 0; i < 8; i++) expectJson(t, await api(app, 'POST', `/v1/user/u${i}/`, A, { i }), 201, `upsert u${i}`);
  const entries = await journal(t, app, '?limit=100');
  t.same(
    entries.map((e) => e.path),
    ['/v1/user/u7/', '/v1/user/u6/', '/v1/user/u5/', '/v1/user/u4/', '/v1/user/u3/'],
    'only the newest 5 requests remain',
  );

  for (let i = 0; i < 8; i++)
    expectJson(t, await api(app, 'POST', '/event/', A, [{ distinct_id: 'x', event: `E${i}`, properties: {} }, i]), 202, `event batch ${i}`);
  const events = await adminOk<{ entries: { event: string }[] }>(t, app, 'GET', '/_emulator/journal?kind=events&limit=100', undefined, 200);
  t.same(
    events.entries.map((e) => e.event),
    ['E7', 'E6', 'E5', 'E4', 'E3'],
    'only the newest 5 track events remain',
  );
  const failures = await adminOk<{ entries: { record: unknown }[] }>(
    t,
    app,
    'GET',
    '/_emulator/journal?kind=failures&limit=100',
    undefined,
    200,
  );
  t.same(
    failures.entries.map((e) => e.record),
    [7, 6, 5, 4, 3],
    'only the newest 5 rejected records remain',
  );
});

t.test('control-plane, health and docs requests are not journalled', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, { n: 1 }), 201, 'one API request');
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, '/healthz');
  t.equal((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode, 200, '/openapi.json');
  await adminOk(t, app, 'GET', '/_emulator/status', undefined, 200);
  await adminOk(t, app, 'POST', '/_emulator/workspaces', { name: 'x-ws' }, 201);
  await adminOk(t, app, 'GET', '/_emulator/snapshot', undefined, 200);
  expectJson(t, await admin(app, 'GET', '/_emulator/status', undefined, null), 401, 'a refused control-plane call');
  await journal(t, app);
  const entries = await journal(t, app);
  t.same(
    entries.map((e) => `${e.method} ${e.path}`),
    ['POST /v1/user/alice/'],
    'only the API request',
  );
});

t.test('distinct_ids named by list and subscription bodies are journalled', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/v1/subscriber_list/', A, { list_id: 'l1', list_name: 'L1' }), 201, 'a list');
  expectJson(
    t,
    await api(app, 'POST', '/v1/subscriber_list/l1/subscriber/add/', A, { distinct_ids: ['alice', 'bob'] }),
    201,
    'add members',
  );
  expectJson(t, await api(app, 'POST', '/v1/object/teams/t1/', A, { name: 'T1' }), 201, 'an object');
  expectJson(
    t,
    await api(app, 'POST', '/v1/object/teams/t1/subscription/', A, {
      recipients: ['alice', { distinct_id: 'carol', name: 'Carol' }],
      properties: {},
    }),
    200,
    'subscribe alice and carol',
  );
  const forAlice = await journal(t, app, '?distinct_id=alice');
  t.same(
    forAlice.map((e) => e.path),
    ['/v1/object/teams/t1/subscription/', '/v1/subscriber_list/l1/subscriber/add/'],
    'alice: the subscription and the list add',
  );
  const forCarol = await journal(t, app, '?distinct_id=carol');
  t.same(
    forCarol.map((e) => e.path),
    ['/v1/object/teams/t1/subscription/'],
    'carol: named as an inline user recipient',
  );
});

t.test('since filters by time even after the clock was set back', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'freeze', at: '2025-01-02T00:00:00Z' }, 200);
  expectJson(t, await api(app, 'POST', '/v1/user/later/', A, {}), 201, 'a request stamped Jan 2');
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'set', at: '2025-01-01T00:00:00Z' }, 200);
  expectJson(t, await api(app, 'POST', '/v1/user/earlier/', A, {}), 201, 'a request stamped Jan 1 (the clock went back)');
  const since = await journal(t, app, '?since=2025-01-01T12:00:00Z');
  t.same(
    since.map((e) => e.path),
    ['/v1/user/later/'],
    'the entry stamped after "since" is found although a newer entry is stamped before it',
  );
});
