/**
 * `/event/` takes at most 400 records per request (what the SDKs send at
 * most). A larger batch is answered 413 before any record is parsed,
 * validated or applied, so a 4 MiB body of 2 million tiny records neither
 * takes long nor holds up other requests.
 */
import net from 'node:net';
import t from 'tap';
import { MAX_RECORDS_PER_REQUEST } from '../../src/events/routes.js';
import { bearer, build, countRows, errorShapeProblem, expectApiError, listening, WS_A } from '../helpers/index.js';

const identity = (i: number) => ({ $schema: '2', distinct_id: `cap-${i}`, $user_operations: [{ $set: { i } }] });

t.test('the cap is what the SDKs send at most', async (t) => {
  t.equal(MAX_RECORDS_PER_REQUEST, 400);
});

t.test('one record over the cap (400 on /event/, 100 on the /v2/ routes): 413 and nothing applied; 400 records: applied', async (t) => {
  const app = await build(t);
  for (const [path, cap] of [
    ['/event/', 400],
    ['/v2/event/', 100],
    ['/v2/bulk/event/', 100],
  ] as const) {
    const over = await bearer(
      app,
      'POST',
      path,
      Array.from({ length: cap + 1 }, (_, i) => identity(i)),
    );
    const err = expectApiError(t, over, 413, `${path} ${cap + 1} records`);
    t.match(err.message, new RegExp(`at most ${cap} records per request`));
  }
  t.equal(countRows(app, 'SELECT count(*) AS n FROM users'), 0, 'no user created');
  t.equal(countRows(app, 'SELECT count(*) AS n FROM event_failures'), 0, 'no record failure recorded');
  // Commas inside strings and nested values are not records.
  const tricky = Array.from({ length: 400 }, (_, i) => ({ ...identity(i), note: 'a,b,[c,{d,e}]"', nested: [1, 2, { x: [3, 4] }] }));
  const atCap = await bearer(app, 'POST', '/event/', tricky);
  t.equal(atCap.statusCode, 202, '400 records with commas in strings and nested arrays: accepted');
  t.equal(countRows(app, 'SELECT count(*) AS n FROM users'), 400, 'all 400 applied');
  const empty = await bearer(app, 'POST', '/event/', []);
  t.equal(empty.statusCode, 202, 'an empty batch is still accepted');
});

t.test('a 4 MiB body of 2 million records is refused quickly, and /healthz answers meanwhile', async (t) => {
  const { app, baseUrl, port } = await listening(t);
  const RECORDS = 2_000_000;
  const body = `[${'0,'.repeat(RECORDS - 1)}0]`;
  t.ok(body.length <= 4 * 1024 * 1024, `the body (${body.length} bytes) is within BODY_LIMIT`);

  let stop = false;
  let worst = 0;
  let polls = 0;
  const poll = (async () => {
    while (!stop) {
      const started = performance.now();
      const res = await fetch(`${baseUrl}/healthz`);
      await res.text();
      if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
      worst = Math.max(worst, performance.now() - started);
      polls++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  // Sent from a prebuilt buffer over a raw socket: the client costs this (shared) event loop next to nothing.
  const payload = Buffer.from(body);
  const started = performance.now();
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /event/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${WS_A.api_keys[0]}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n`,
      );
      socket.write(payload);
    });
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = buf.toString('utf8');
      const end = raw.indexOf('\r\n\r\n');
      resolve({ status: Number(raw.split(' ')[1]), text: raw.slice(end + 4) });
    });
  });
  const took = performance.now() - started;
  // Keep polling a little after the answer, then stop.
  await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await poll;

  t.equal(status, 413, '413');
  t.equal(errorShapeProblem(413, text), undefined, 'in the error shape');
  t.ok(took < 2_000, `answered in ${Math.round(took)} ms (< 2 s)`);
  t.ok(polls >= 2, `/healthz polled ${polls} times`);
  t.ok(worst < 1_000, `slowest /healthz: ${Math.round(worst)} ms (< 1 s)`);
  t.equal(countRows(app, 'SELECT count(*) AS n FROM event_failures'), 0, 'no record looked at');
});
