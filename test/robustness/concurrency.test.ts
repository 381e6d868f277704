/**
 * Concurrent writes to one user over many keep-alive connections of a real
 * listening server: no update is lost, none is applied twice.
 */
import http from 'node:http';
import t, { type Test as Tap } from 'tap';
import { mapLimit, send, type Reply } from './fixtures/server.js';
import { listening, signedHeaders, WS_A } from '../helpers/index.js';

const CONNECTIONS = 50;

t.test('concurrent edits of one user over 50 keep-alive connections', async (t) => {
  const { app, port } = await listening(t, { validateResponses: false });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  t.teardown(() => agent.destroy());

  const sockets = new Set<unknown>();
  app.server.on('connection', (s) => sockets.add(s));

  /** Alternates the SDK signature and the API key. */
  const call = (i: number, method: string, path: string, body?: unknown): Promise<Reply> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers =
      i % 2 === 0
        ? signedHeaders(WS_A, method, path, payload)
        : { authorization: `Bearer ${WS_A.api_keys[0]}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) };
    return send({ port, method, path, headers, ...(payload === undefined ? {} : { body: payload }), agent, timeoutMs: 20_000 });
  };
  const getUser = async (t: Tap, id: string) => {
    const res = await call(1, 'GET', `/v1/user/${encodeURIComponent(id)}/`);
    t.equal(res.status, 200, `GET ${id}`);
    return JSON.parse(res.body) as { properties: Record<string, unknown>; $email?: Array<{ value: string }> };
  };
  const statuses = (replies: Reply[]) => {
    const counts: Record<string, number> = {};
    for (const r of replies) counts[r.status] = (counts[r.status] ?? 0) + 1;
    return counts;
  };

  t.test('500 concurrent $add of 1: n is exactly 500', async (t) => {
    t.equal((await call(0, 'POST', '/v1/user/counter/', { n: 0 })).status, 201, 'user created');
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 500 }, (_, i) => call(i, 'PATCH', '/v1/user/counter/', { operations: [{ $add: { n: 1 } }] })),
    );
    const ms = Date.now() - started;
    t.same(statuses(replies), { 202: 500 }, 'all 500 answered 202');
    const seen = replies.map((r) => (JSON.parse(r.body) as { properties: { n: number } }).properties.n).sort((a, b) => a - b);
    t.same(
      seen,
      Array.from({ length: 500 }, (_, i) => i + 1),
      'each answer saw a different n, 1 to 500: no lost or doubled update',
    );
    t.equal((await getUser(t, 'counter')).properties.n, 500, 'final n is 500');
    t.ok(sockets.size > 1 && sockets.size <= CONNECTIONS + 2, `requests spread over ${sockets.size} connections (at most ${CONNECTIONS})`);
    t.comment(`500 PATCHes in ${ms} ms`);
  });

  t.test('200 concurrent $append of distinct emails: all 200 present', async (t) => {
    t.equal((await call(0, 'POST', '/v1/user/appender/', { name: 'A' })).status, 201);
    const emails = Array.from({ length: 200 }, (_, i) => `user${i}@example.com`);
    const replies = await Promise.all(
      emails.map((email, i) => call(i, 'PATCH', '/v1/user/appender/', { operations: [{ $append: { $email: email } }] })),
    );
    t.same(statuses(replies), { 202: 200 }, 'all 200 answered 202');
    const user = await getUser(t, 'appender');
    t.same((user.$email ?? []).map((i) => i.value).sort(), [...emails].sort(), 'every email is there, once');
  });

  t.test('concurrent /event/ batches on one user: every record applied once', async (t) => {
    const batches = 100;
    const perBatch = 4;
    const replies = await Promise.all(
      Array.from({ length: batches }, (_, b) =>
        call(b, 'POST', '/event/', [
          ...Array.from({ length: perBatch }, (_, r) => ({
            $schema: '2',
            distinct_id: 'evented',
            $insert_id: `b${b}-r${r}`,
            $time: 1_700_000_000_000 + b,
            $user_operations: [{ $add: { n: 1 } }, { $append: { $email: `ev${b}.${r}@example.com` } }],
          })),
          { event: 'batch_sent', distinct_id: 'evented', properties: { batch: b } },
        ]),
      ),
    );
    t.same(statuses(replies), { 202: batches }, `all ${batches} batches answered 202`);
    t.same(
      replies.filter((r) => r.body !== 'OK' || r.headers['x-emulator-failed-records'] !== undefined).map((r) => r.body),
      [],
      'every answer is "OK" with no failed record',
    );
    const user = await getUser(t, 'evented');
    t.equal(user.properties.n, batches * perBatch, `n is ${batches * perBatch}`);
    t.equal((user.$email ?? []).length, batches * perBatch, `${batches * perBatch} emails`);
    const expected = Array.from({ length: batches * perBatch }, (_, i) => `ev${Math.floor(i / perBatch)}.${i % perBatch}@example.com`);
    t.same((user.$email ?? []).map((i) => i.value).sort(), expected.sort(), 'each email once');

    // 500 single-record posts of `$add` (the Node SDK's flush of one record).
    const singles = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        call(i, 'POST', '/event/', { $schema: '2', distinct_id: 'single', $insert_id: `s${i}`, $user_operations: [{ $add: { n: 1 } }] }),
      ),
    );
    t.same(statuses(singles), { 202: 500 }, 'all 500 single records answered 202');
    t.equal((await getUser(t, 'single')).properties.n, 500, 'n is 500 after 500 concurrent records');

    // The same through /v2/event/ (track events only): every event stored once.
    const v2 = await mapLimit(
      Array.from({ length: 100 }, (_, i) => i),
      CONNECTIONS,
      (i) => call(i, 'POST', '/v2/event/', { event: 'clicked', distinct_id: 'evented', $insert_id: `v2-${i}`, properties: { i } }),
    );
    t.same(statuses(v2), { 202: 100 }, 'all 100 /v2/event/ posts answered 202');
    const stored = app.emulator.db.$client
      .prepare("select count(*) as n, count(distinct insert_id) as d from track_events where event = 'clicked'")
      .get() as { n: number; d: number };
    t.same(stored, { n: 100, d: 100 }, '100 distinct track events stored');
    const batchEvents = app.emulator.db.$client.prepare("select count(*) as n from track_events where event = 'batch_sent'").get() as {
      n: number;
    };
    t.equal(batchEvents.n, batches, 'the track event of each batch stored once');
  });
});
