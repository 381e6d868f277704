/**
 * Unknown credentials are refused as soon as the headers arrive, before the
 * body is read: held uploads without valid credentials cost the server no
 * memory. And MAX_CONNECTIONS caps the connections open at once.
 */
import net from 'node:net';
import t from 'tap';
import { errorShapeProblem, serving, WS_A } from '../helpers/index.js';

const BODY = 4 * 1024 * 1024;
const FIRST_CHUNK = 64 * 1024;

interface Upload {
  socket: net.Socket;
  /** The first response: status and body. */
  response: Promise<{ status: number; body: string }>;
}

/** Opens a connection and sends a POST announcing a 4 MiB body, of which only the first 64 KiB. */
function startUpload(port: number, authorization: string | undefined, chunk: Buffer): Upload {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {
    /* the server may close after answering */
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buf.subarray(0, end).toString('latin1');
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      resolve({ status: Number(head.split(' ')[1]), body: buf.subarray(end + 4, end + 4 + length).toString('utf8') });
    });
    socket.on('close', () => reject(new Error(`closed without a response: ${buf.toString('latin1').slice(0, 200)}`)));
  });
  socket.on('connect', () => {
    socket.write(
      `POST /v1/user/intruder/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${BODY}\r\n` +
        `${authorization === undefined ? '' : `Authorization: ${authorization}\r\n`}\r\n`,
    );
    socket.write(chunk);
  });
  return { socket, response };
}

t.test('100 held 4 MiB uploads without valid credentials: 401 before the body is read, little memory', async (t) => {
  const { app, port } = await serving(t);
  const chunk = Buffer.alloc(FIRST_CHUNK, 0x20);
  const credentials = [undefined, `Bearer not-an-api-key`, `unknown_workspace_key_0123456789:${'A'.repeat(43)}=`, 'no-colon-and-no-bearer'];
  // Warm up (lazy compilation, pools), then measure.
  const warm = startUpload(port, undefined, chunk);
  await warm.response;
  warm.socket.destroy();
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);

  const uploads = Array.from({ length: 100 }, (_, i) => startUpload(port, credentials[i % credentials.length], chunk));
  const answers = await Promise.all(uploads.map((u) => u.response));
  // Every answer came while 4 MiB - 64 KiB of each body had not even been sent.
  const statuses = new Set(answers.map((a) => a.status));
  t.same([...statuses], [401], 'all 100 refused with 401 before their bodies were sent');
  t.equal(answers.map((a) => errorShapeProblem(401, a.body)).filter(Boolean)[0], undefined, 'every answer in the error shape');
  t.ok(
    answers.every((a) => (JSON.parse(a.body) as { error_code?: string }).error_code === 'authentication_failed'),
    'the long form of a 401, as before',
  );
  // Now the clients push the rest of their bodies: the server must not buffer them.
  const rest = Buffer.alloc(BODY - FIRST_CHUNK, 0x20);
  await Promise.all(
    uploads.map(
      (u) =>
        new Promise<void>((resolve) => {
          if (u.socket.destroyed) return resolve();
          u.socket.write(rest, () => resolve());
          u.socket.once('close', () => resolve());
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 200));
  clearInterval(sampler);
  for (const u of uploads) u.socket.destroy();
  const growthMb = (peak - before) / 2 ** 20;
  t.ok(growthMb < 100, `RSS grew by ${growthMb.toFixed(1)} MB (< 100 MB) for 100 × 4 MiB refused uploads`);
  const list = await app.inject({ method: 'GET', url: '/v1/user/intruder/', headers: { authorization: `Bearer ${WS_A.api_keys[0]}` } });
  t.equal(list.statusCode, 404, 'nothing was created');
});

t.test('a known credential still gets its body read and checked', async (t) => {
  const { port } = await serving(t);
  // A known workspace key with a wrong signature: the key passes the early check, the signature check needs the body.
  const u = startUpload(port, `${WS_A.key}:${'A'.repeat(43)}=`, Buffer.alloc(0));
  let answered = false;
  u.response.then(
    () => {
      answered = true;
    },
    () => {},
  );
  await new Promise((r) => setTimeout(r, 300));
  t.notOk(answered, 'no answer while the body is still being sent');
  u.socket.write(Buffer.alloc(BODY, 0x20));
  const res = await u.response;
  t.equal(res.status, 401, 'then 401: signature mismatch');
  t.match(res.body, /signature mismatch/);
  u.socket.destroy();
});

t.test('MAX_CONNECTIONS: connections past the cap are closed as they arrive', async (t) => {
  const { app, port } = await serving(t, { maxConnections: 3 });
  t.equal(app.server.maxConnections, 3, 'the setting reaches the server');
  const open = (): Promise<net.Socket> =>
    new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    });
  /** Whether a GET on this socket is answered (true) or the socket is closed first (false). */
  const answered = (s: net.Socket): Promise<boolean> =>
    new Promise((resolve) => {
      s.on('error', () => resolve(false));
      s.once('data', () => resolve(true));
      s.once('close', () => resolve(false));
      s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
  const held = await Promise.all([open(), open(), open()]);
  t.same(await Promise.all(held.map(answered)), [true, true, true], 'three connections, all served');
  const extra = await Promise.all([open(), open()]);
  t.same(await Promise.all(extra.map(answered)), [false, false], 'the 4th and 5th are closed unserved');
  held[0]!.destroy();
  await new Promise((r) => setTimeout(r, 100));
  const again = await open();
  t.equal(await answered(again), true, 'once one closes, a new connection is served');
  for (const s of [...held, ...extra, again]) s.destroy();
});

t.test('MAX_CONNECTIONS defaults to 1024', async (t) => {
  const { app } = await serving(t);
  t.equal(app.server.maxConnections, 1024);
});
