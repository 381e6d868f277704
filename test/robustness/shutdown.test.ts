/**
 * Graceful shutdown of the real server process: on SIGTERM the request in
 * flight completes, new connections are refused, the process exits 0 and the
 * database file is left clean.
 */
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test as Tap } from 'tap';
import { send, serverEnv, spawnServer, waitExit, type Reply } from './fixtures/server.js';
import { tempDir, ADMIN_TOKEN, errorShapeProblem, signedHeaders, WS_A } from '../helpers/index.js';

const AUTH = `Bearer ${WS_A.api_keys[0]}`;
const DELAY_MS = 800;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the connect error code, or 'connected' (the socket is then closed). */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(1_000, () => {
      s.destroy();
      resolve('timeout');
    });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
  });
}

const tempDb = (t: Tap): string => join(tempDir(t, 'suprsend-robust-shutdown-'), 'emulator.db');

t.test('SIGTERM with a request in flight', async (t) => {
  const dbFile = tempDb(t);
  // info level: the child logs "shutting down" when it gets the signal.
  const child = await spawnServer(t, serverEnv({ DATABASE_PATH: dbFile, LOG_LEVEL: 'info' }));
  const { port } = child;

  t.equal(
    (
      await send({
        port,
        method: 'POST',
        path: '/v1/user/slow/',
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body: '{"v":1}',
      })
    ).status,
    201,
    'user created',
  );
  const fault = await send({
    port,
    method: 'POST',
    path: '/_emulator/faults',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'PATCH', path: '/v1/user/slow/', delay_ms: DELAY_MS }),
  });
  t.equal(fault.status, 201, `fault rule added: ${fault.body}`);

  // An idle keep-alive connection must not keep the process alive.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  t.equal(
    (await send({ port, method: 'GET', path: '/v1/user/slow/', headers: { authorization: AUTH }, agent })).status,
    200,
    'keep-alive request',
  );

  // A connection that has sent half of its request headers before the signal.
  const late = net.connect(port, '127.0.0.1');
  t.teardown(() => late.destroy());
  let lateText = '';
  let lateClosed = false;
  late.on('data', (d) => (lateText += d));
  late.on('close', () => (lateClosed = true));
  late.on('error', () => {});
  await new Promise((r) => late.once('connect', r));
  const lateBody = '{"late":true}';
  late.write('POST /v1/user/late-user/ HTTP/1.1\r\nHost: 127.0.0.1\r\n');

  // The request in flight: held DELAY_MS by the fault rule.
  const body = JSON.stringify({ operations: [{ $set: { done: true } }] });
  const startedAt = Date.now();
  const inFlight: Promise<Reply | Error> = send({
    port,
    method: 'PATCH',
    path: '/v1/user/slow/',
    headers: signedHeaders(WS_A, 'PATCH', '/v1/user/slow/', body),
    body,
    timeoutMs: 10_000,
  }).catch((err: Error) => err);
  await sleep(200);

  child.proc.kill('SIGTERM');
  const signalAt = Date.now();
  await child.waitForStdout('shutting down', 3_000);
  t.pass('the server logged "shutting down"');

  // New connections are refused once the listener is closed (give it a few ms).
  let outcome = '';
  for (let i = 0; i < 20; i++) {
    outcome = await tryConnect(port);
    if (outcome === 'ECONNREFUSED') break;
    await sleep(25);
  }
  t.equal(outcome, 'ECONNREFUSED', 'a new connection is refused during the shutdown');

  // The half-sent request is completed now, after the signal.
  late.write(`Authorization: ${AUTH}\r\nContent-Type: application/json\r\nContent-Length: ${lateBody.length}\r\n\r\n${lateBody}`);

  const res = await inFlight;
  if (res instanceof Error) {
    t.fail(`the request in flight failed: ${res.message}`);
  } else {
    t.equal(res.status, 202, 'the request in flight completes with 202');
    t.equal(JSON.parse(res.body).properties.done, true, 'with its change applied');
    t.ok(Date.now() - startedAt >= DELAY_MS - 50, 'it was really held by the fault rule');
  }

  const exit = await waitExit(child, 10_000);
  t.equal(exit.timedOut, false, 'the process exits by itself');
  t.equal(exit.code, 0, 'exit code 0');
  t.ok(Date.now() - signalAt < 5_000, `exited ${Date.now() - signalAt} ms after SIGTERM, despite an idle keep-alive client`);
  t.equal(child.stderr(), '', 'nothing on stderr');
  t.notMatch(child.stdout(), /"level":50|unhandled error/, 'no error logged');

  // The late request: served and committed, or refused in the error shape with nothing committed.
  await sleep(50);
  const lateStatus = Number(/^HTTP\/1\.1 (\d{3})/.exec(lateText)?.[1] ?? 0);
  const lateResBody = lateText.slice(lateText.indexOf('\r\n\r\n') + 4);
  t.ok(lateClosed, 'the connection of the late request is closed');
  t.ok(
    (lateStatus >= 200 && lateStatus < 300) || lateStatus === 503,
    `the late request got a 2xx or 503 (got ${lateStatus}: ${JSON.stringify(lateText.slice(0, 300))})`,
  );
  if (lateStatus >= 400)
    t.equal(errorShapeProblem(lateStatus, lateResBody), undefined, `the ${lateStatus} is in the error shape: ${lateResBody}`);

  t.notOk(existsSync(`${dbFile}-wal`) && statSync(`${dbFile}-wal`).size > 0, 'the WAL was checkpointed (no non-empty -wal file left)');
  const db = new Database(dbFile, { readonly: true });
  try {
    t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'integrity_check is ok');
    const row = db.prepare("select properties from users where workspace = 'default' and distinct_id = 'slow'").get() as {
      properties: string;
    };
    t.same(JSON.parse(row.properties), { v: 1, done: true }, 'the change of the request in flight is in the file');
    const lateRow = db.prepare("select count(*) as n from users where distinct_id = 'late-user'").get() as { n: number };
    t.equal(
      lateRow.n,
      lateStatus === 201 ? 1 : 0,
      lateStatus === 201 ? 'the served late request is in the file' : 'the refused late request changed nothing',
    );
  } finally {
    db.close();
  }
});

t.test('SIGINT when idle: exit 0 at once, file clean', async (t) => {
  const dbFile = tempDb(t);
  const child = await spawnServer(t, serverEnv({ DATABASE_PATH: dbFile }));
  const created = await send({
    port: child.port,
    method: 'POST',
    path: '/v1/user/idle/',
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: '{"$email":["idle@example.com"]}',
  });
  t.equal(created.status, 201);
  const signalAt = Date.now();
  child.proc.kill('SIGINT');
  const exit = await waitExit(child, 5_000);
  t.equal(exit.code, 0, 'exit code 0');
  t.ok(Date.now() - signalAt < 2_000, `exited in ${Date.now() - signalAt} ms`);
  t.equal(await tryConnect(child.port), 'ECONNREFUSED', 'the port is closed');
  t.notOk(existsSync(`${dbFile}-wal`) && statSync(`${dbFile}-wal`).size > 0, 'no WAL left to replay');
  const db = new Database(dbFile, { readonly: true });
  try {
    t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'integrity_check is ok');
    const n = db.prepare("select count(*) as n from identities where channel = '$email' and value = '\"idle@example.com\"'").get() as {
      n: number;
    };
    t.equal(n.n, 1, 'the write is in the file');
  } finally {
    db.close();
  }
});
