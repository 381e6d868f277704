/**
 * What the Python SDK (0.19.7) really sends from track_event, track and
 * bulk_events (test/fixtures/sdk-requests/python-events.json, recorded by
 * scripts/sdk-capture/python/events.py), replayed byte for byte, and what its
 * response parser makes of the answers: track_event reads `message_id` (or
 * `error.message`); bulk_events reads `records` before it looks at the status
 * code, so every answer of /v2/bulk/event/, errors included, must carry it.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { build, type CapturedRequest, databaseDigest, loadCapture, replay, stepRequests, WS_A } from '../helpers/index.js';
import { failures, trackEvents } from './fixtures/helpers.js';
import { bulkChunkResult, trackEventResult } from './fixtures/python.js';

type Json = Record<string, unknown>;

const capture = loadCapture('python-events');

/** Replays every captured request in order; the answers by request. */
async function replayAll(t: Test): Promise<{ app: FastifyInstance; answers: Map<CapturedRequest, LightMyRequestResponse> }> {
  const app = await build(t);
  const answers = new Map<CapturedRequest, LightMyRequestResponse>();
  for (const request of capture.requests) answers.set(request, await replay(app, request));
  return { app, answers };
}

const bodyOf = (request: CapturedRequest) => JSON.parse(request.body ?? 'null') as unknown;

t.test('the capture: what each SDK method sent, where', async (t) => {
  const sent = (step: string) => stepRequests(capture, step).map((r) => `${r.method} ${r.url}`);
  t.strictSame(sent('track_event'), ['POST /v2/event/']);
  t.strictSame(sent('track'), ['POST /v2/event/'], 'the deprecated track() too');
  t.strictSame(sent('bulk_events'), ['POST /v2/bulk/event/']);
  t.strictSame(sent('bulk_events 250'), ['POST /v2/bulk/event/', 'POST /v2/bulk/event/', 'POST /v2/bulk/event/']);
  t.strictSame(
    stepRequests(capture, 'bulk_events 250').map((r) => (bodyOf(r) as unknown[]).length),
    [100, 100, 50],
    'the SDK sends 250 events as chunks of 100, 100 and 50',
  );
  t.match(bodyOf(stepRequests(capture, 'track_event')[0]!), {
    event: 'Order Placed',
    distinct_id: 'py-ev-known',
    env: WS_A.key,
    $idempotency_key: 'py-idem-1',
    tenant_id: 'acme',
    brand_id: 'acme-brand',
    $insert_id: /^[0-9a-f-]{36}$/,
    $time: Number,
  });
  t.ok(Array.isArray(bodyOf(stepRequests(capture, 'bulk_events')[0]!)), 'bulk_events sends a JSON array');
});

t.test('replayed: every answer is what was recorded, and the SDK parser returns on each', async (t) => {
  const { answers } = await replayAll(t);
  for (const [request, res] of answers) {
    t.equal(res.statusCode, request.status, `${request.step}: ${request.method} ${request.url} answers ${request.status} as recorded`);
    if (request.url.startsWith('/v2/event/')) {
      t.match(res.headers['content-type'], /^application\/json/, `${request.step}: JSON`);
      t.doesNotThrow(() => trackEventResult(res.statusCode, res.body), `${request.step}: track_event's parser returns`);
    }
    if (request.url.startsWith('/v2/bulk/event/')) {
      t.match(res.headers['content-type'], /^application\/json/, `${request.step}: JSON`);
      t.ok(Array.isArray(res.json().records), `${request.step}: the body carries records (status ${res.statusCode})`);
      const chunk = (bodyOf(request) as unknown[]).length;
      t.doesNotThrow(() => bulkChunkResult(res.statusCode, res.body, chunk), `${request.step}: bulk_events' parser returns`);
    }
  }
});

t.test('track_event and track: 202 with the event’s $insert_id as message_id; stored with tenant, brand, idempotency key', async (t) => {
  const { app, answers } = await replayAll(t);
  for (const step of ['track_event', 'track_event unknown user', 'track']) {
    const request = stepRequests(capture, step)[0]!;
    const res = answers.get(request)!;
    const insertId = (bodyOf(request) as Json).$insert_id;
    t.equal(res.statusCode, 202, `${step}: 202`);
    t.strictSame(res.json(), { status: 'success', message_id: insertId }, `${step}: message_id is the $insert_id`);
    t.strictSame(
      trackEventResult(res.statusCode, res.body),
      { success: true, status_code: 202, message: insertId },
      `${step}: the SDK result`,
    );
  }
  const rows = trackEvents(app);
  const byEvent = (event: string) => rows.find((r) => r.event === event) as unknown as Json;
  const row = (event: string) =>
    app.emulator.db.$client
      .prepare('SELECT tenant_id, brand_id, idempotency_key, user_exists, message_id, insert_id FROM track_events WHERE event = ?')
      .get(event) as Json;
  t.ok(byEvent('Order Placed'), 'stored');
  t.match(row('Order Placed'), { tenant_id: 'acme', brand_id: 'acme-brand', idempotency_key: 'py-idem-1', user_exists: 1 });
  t.equal(row('Order Placed').message_id, row('Order Placed').insert_id, 'the message_id answered is stored');
  t.match(row('Viewed'), { tenant_id: null, brand_id: null, idempotency_key: null, user_exists: 0 }, 'py-ev-ghost has no profile');
  t.match(row('Legacy Track'), { tenant_id: 'acme', idempotency_key: 'py-idem-2', user_exists: 1 }, 'track() passes them too');
});

t.test('track_event refused: a 400 in the error shape, the SDK reports it, only the failure is journaled', async (t) => {
  const { app, answers } = await replayAll(t);
  const request = stepRequests(capture, 'track_event refused')[0]!;
  t.equal(answers.get(request)!.statusCode, 400, 'refused when recorded');
  // Again on the replayed app, to compare the database around it.
  const before = databaseDigest(app, ['event_failures', 'sqlite_sequence']);
  const failuresBefore = failures(app).length;
  const res = await replay(app, request);
  t.equal(res.statusCode, 400);
  const body = res.json() as Json;
  t.match(body, {
    code: 400,
    status: 'error',
    error: { type: 'validation_error', message: /^properties\.n: 12345678901234567890 is an integer beyond/ },
  });
  t.equal(body.message, (body.error as Json).message, 'message and error.message agree');
  t.strictSame(trackEventResult(400, res.body), { success: false, status_code: 400, message: (body.error as Json).message });
  t.equal(databaseDigest(app, ['event_failures', 'sqlite_sequence']), before, 'nothing stored');
  t.equal(failures(app).length, failuresBefore + 1, 'the refused event is journaled as a failure');
  t.equal(failures(app).at(-1)?.reason, (body.error as Json).message);
});

t.test('bulk_events: 207, one result per event in order; bad events fail alone', async (t) => {
  const { app, answers } = await replayAll(t);
  const request = stepRequests(capture, 'bulk_events')[0]!;
  const sent = bodyOf(request) as Json[];
  const res = answers.get(request)!;
  t.equal(res.statusCode, 207);
  const body = res.json() as { status: string; records: Json[] };
  t.equal(body.status, 'success');
  t.equal(body.records.length, 4);
  t.strictSame(body.records[0], { status: 'success', message_id: sent[0]!.$insert_id, status_code: 202 });
  t.match(body.records[1], { status: 'error', status_code: 400, error: { type: 'validation_error', message: /at most 255 characters/ } });
  t.strictSame(body.records[2], { status: 'success', message_id: sent[2]!.$insert_id, status_code: 202 });
  t.match(body.records[3], { status: 'error', status_code: 400, error: { message: /^properties\.n: 12345678901234567890/ } });
  t.match(bulkChunkResult(207, res.body, 4), {
    status: 'partial',
    total: 4,
    success: 2,
    failure: 2,
    failed: [
      { index: 1, code: 400 },
      { index: 3, code: 400 },
    ],
  });
  t.ok(
    trackEvents(app).some((r) => r.event === 'Bulk One') && trackEvents(app).some((r) => r.event === 'Bulk Three'),
    'the good ones stored',
  );
  t.notOk(
    trackEvents(app).some((r) => r.event === 'Bulk Too Long Id' || r.event === 'Bulk Big Number'),
    'the bad ones not',
  );
  t.match(
    failures(app)
      .filter((f) => f.record_index === 1 || f.record_index === 3)
      .map((f) => f.reason),
    [/at most 255 characters/, /^properties\.n/],
    'the bad ones journaled with their index and reason',
  );
});

t.test('bulk_events of 250: three 207s of 100, 100 and 50 results, all stored', async (t) => {
  const { app, answers } = await replayAll(t);
  for (const request of stepRequests(capture, 'bulk_events 250')) {
    const sent = bodyOf(request) as Json[];
    const res = answers.get(request)!;
    t.equal(res.statusCode, 207);
    const records = res.json().records as Json[];
    t.strictSame(
      records,
      sent.map((e) => ({ status: 'success', message_id: e.$insert_id, status_code: 202 })),
      `${sent.length} results, in the order sent`,
    );
    t.match(bulkChunkResult(207, res.body, sent.length), { status: 'success', total: sent.length, failure: 0 });
  }
  t.equal(trackEvents(app).filter((r) => r.event === 'Chunked').length, 250);
});

t.test('errors on /v2/bulk/event/ (auth, injected fault) carry records: [] and error.message; on /v2/event/ error.message', async (t) => {
  const { answers } = await replayAll(t);
  for (const [step, status] of [
    ['bulk_events wrong secret', 401],
    ['bulk_events fault', 503],
  ] as const) {
    const request = stepRequests(capture, step)[0]!;
    const res = answers.get(request)!;
    t.equal(res.statusCode, status, `${step}: ${status}`);
    const body = res.json() as Json;
    t.strictSame(body.records, [], `${step}: records: []`);
    t.match(body, { code: status, status: 'error', error: { message: String, type: String } }, `${step}: the error envelope`);
    t.match(bulkChunkResult(status, res.body, 1), {
      status: 'fail',
      total: 1,
      failure: 1,
      failed: [{ code: status, error: body.message }],
    });
  }
  const res = answers.get(stepRequests(capture, 'track_event wrong secret')[0]!)!;
  t.equal(res.statusCode, 401);
  t.match(res.json(), { code: 401, status: 'error', error: { type: 'authentication_failed', message: /^Not Authenticated/ } });
  t.match(trackEventResult(401, res.body), { success: false, status_code: 401, message: /^Not Authenticated/ });
});

t.test('the parser mirror is faithful: the bodies the emulator used to send make it raise', async (t) => {
  t.throws(() => bulkChunkResult(401, '{"code":401,"message":"Not Authenticated"}', 1), /KeyError: 'records'/);
  t.throws(() => bulkChunkResult(404, '{"code":404,"message":"no such route: POST /v2/bulk/event/"}', 1), /KeyError: 'records'/);
  t.throws(() => trackEventResult(202, 'OK'), /JSONDecodeError/, 'the old text/plain OK of /v2/event/');
  t.strictSame(trackEventResult(401, '{"code":401,"message":"x"}'), { success: false, status_code: 401, message: undefined });
});
