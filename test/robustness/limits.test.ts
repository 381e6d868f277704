/**
 * Body-size and time limits over a real socket, through startServer (the
 * server `src/bin.ts` runs): oversize bodies are refused early, slow clients
 * neither hold up others nor stay connected past REQUEST_TIMEOUT_MS, and
 * HTTP-level errors come in the SuprSend error shape too.
 */
import net from 'node:net';
import t, { type Test } from 'tap';
import type { AppConfig } from '../../src/config.js';
import { send } from './fixtures/server.js';
import { errorShapeProblem, serving, WS_A } from '../helpers/index.js';

const BODY_LIMIT = 64 * 1024;
const AUTH = `Bearer ${WS_A.api_keys[0]}`;

/** The server `src/bin.ts` runs, with a 64 KiB body limit. */
const listen = (t: Test, overrides: Partial<AppConfig>) => serving(t, { bodyLimit: BODY_LIMIT, ...overrides });

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** ms from connecting to the complete response (or to the close). */
  ms: number;
  /** Whether the server closed the connection (within `closeWaitMs` after the response). */
  closed: boolean;
}

/**
 * A raw connection: `drive` writes whatever it wants; resolves with the first
 * complete response (and whether the server then closed the socket), or
 * rejects after timeoutMs. The socket is always destroyed at the end.
 */
function rawExchange(
  port: number,
  drive: (socket: net.Socket, stopped: () => boolean) => void | Promise<void>,
  timeoutMs: number,
  closeWaitMs = 500,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const started = Date.now();
    let buf = Buffer.alloc(0);
    let parsed: Omit<RawResponse, 'closed'> | undefined;
    let finished = false;
    let closeTimer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(closeTimer);
      socket.destroy();
      if (parsed) resolve({ ...parsed, closed });
      else
        reject(
          new Error(
            `connection closed without a complete response after ${Date.now() - started} ms: ${JSON.stringify(buf.toString('latin1').slice(0, 300))}`,
          ),
        );
    };
    const timer = setTimeout(() => {
      if (parsed) finish(false);
      else {
        finished = true;
        socket.destroy();
        reject(new Error(`no response within ${timeoutMs} ms; got ${JSON.stringify(buf.toString('latin1').slice(0, 300))}`));
      }
    }, timeoutMs);
    socket.on('error', () => {
      /* a reset after the response is a close */
    });
    socket.on('close', () => finish(true));
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (parsed) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (buf.length < end + 4 + length) return;
      parsed = {
        status: Number(statusLine!.split(' ')[1]),
        headers,
        body: buf.subarray(end + 4, end + 4 + length).toString('utf8'),
        ms: Date.now() - started,
      };
      closeTimer = setTimeout(() => finish(false), closeWaitMs);
    });
    socket.on('connect', () => {
      Promise.resolve(drive(socket, () => finished)).catch(() => {
        /* writes after the server closed the socket */
      });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `text` one byte every `everyMs` until it is all sent or the exchange is over; bounded by the text's length. */
async function dribble(socket: net.Socket, stopped: () => boolean, text: string, everyMs: number): Promise<void> {
  for (let i = 0; i < text.length && !stopped() && !socket.destroyed; i++) {
    socket.write(text[i]!);
    await sleep(everyMs);
  }
}

t.test('body limit', async (t) => {
  const { port } = await listen(t, {});

  t.test('a body just under the limit is accepted (control)', async (t) => {
    const body = JSON.stringify({ blob: 'x'.repeat(BODY_LIMIT - 100) });
    t.ok(Buffer.byteLength(body) < BODY_LIMIT);
    const res = await send({
      port,
      method: 'POST',
      path: '/v1/user/under-limit/',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body,
    });
    t.equal(res.status, 201, 'created');
  });

  t.test('a Content-Length far above the limit: 413 at once, without the body', async (t) => {
    const declared = 100 * 1024 * 1024;
    const res = await rawExchange(
      port,
      (s) => {
        s.write(
          `POST /v1/user/huge/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${declared}\r\n\r\n{"blob":"` +
            'x'.repeat(1024),
        );
      },
      5_000,
    );
    t.equal(res.status, 413, '413');
    t.equal(errorShapeProblem(413, res.body), undefined, `error shape: ${res.body}`);
    t.match(JSON.parse(res.body).message, /65536 bytes/, 'the message names the limit');
    t.ok(res.ms < 1_000, `answered in ${res.ms} ms after 1 KiB of the declared 100 MiB`);
    t.ok(res.closed, 'the server closes the connection instead of reading the rest');
  });

  t.test('the limit holds without auth too (nothing is buffered for anonymous clients)', async (t) => {
    const res = await rawExchange(
      port,
      (s) => {
        s.write(
          `POST /event/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${BODY_LIMIT * 10}\r\n\r\n[`,
        );
      },
      5_000,
    );
    t.equal(res.status, 413, '413 before authentication');
    t.equal(errorShapeProblem(413, res.body), undefined, 'error shape');
  });

  t.test('a chunked body that grows past the limit: 413', async (t) => {
    const chunk = 'x'.repeat(8 * 1024);
    let sent = 0;
    const res = await rawExchange(
      port,
      async (s, stopped) => {
        s.write(
          `POST /v1/user/chunked/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\n` +
            'Transfer-Encoding: chunked\r\n\r\n',
        );
        // At most 4x the limit, one chunk every 5 ms, until the server answers.
        for (let i = 0; i < (4 * BODY_LIMIT) / chunk.length && !stopped() && !s.destroyed; i++) {
          s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
          sent += chunk.length;
          await sleep(5);
        }
      },
      10_000,
    );
    t.equal(res.status, 413, '413');
    t.equal(errorShapeProblem(413, res.body), undefined, `error shape: ${res.body}`);
    t.ok(sent < 4 * BODY_LIMIT, `the server answered before the client sent everything (${sent} bytes sent)`);
  });

  t.test('the server still serves after all that', async (t) => {
    const res = await send({ port, method: 'GET', path: '/v1/user/under-limit/', headers: { authorization: AUTH } });
    t.equal(res.status, 200);
  });
});

t.test('a slow client does not hold up other requests', async (t) => {
  const { port } = await listen(t, {});
  const latencies: number[] = [];
  const statuses: number[] = [];
  let slowStillOpen = false;
  const slow = rawExchange(
    port,
    async (s, stopped) => {
      await dribble(
        s,
        stopped,
        `GET /v1/user/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nX-Padding: ${'p'.repeat(100)}\r\n\r\n`,
        100,
      );
    },
    2_500,
  ).catch((err: Error) => err);

  // Meanwhile: 3 rounds of 10 concurrent requests, spread over 2 s.
  for (let round = 0; round < 3; round++) {
    await sleep(round === 0 ? 200 : 600);
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const started = Date.now();
        const res = await send({
          port,
          method: 'POST',
          path: `/v1/user/fast-${round}-${i}/`,
          headers: { authorization: AUTH, 'content-type': 'application/json' },
          body: JSON.stringify({ round }),
          timeoutMs: 5_000,
        });
        latencies.push(Date.now() - started);
        statuses.push(res.status);
      }),
    );
  }
  const slowResult = await slow;
  slowStillOpen = slowResult instanceof Error && /no response within/.test(slowResult.message);
  t.ok(slowStillOpen, 'the slow client was still sending its headers the whole time');
  t.same(statuses, Array(30).fill(201), '30 other requests answered 201 meanwhile');
  t.ok(Math.max(...latencies) < 1_000, `each in under 1 s (slowest ${Math.max(...latencies)} ms)`);
});

t.test('REQUEST_TIMEOUT_MS cuts off a slow client with a 408 in the error shape', async (t) => {
  const TIMEOUT = 1_000;
  const { port } = await listen(t, { requestTimeoutMs: TIMEOUT });

  t.test('headers sent one byte every 100 ms', async (t) => {
    const res = await rawExchange(
      port,
      (s, stopped) =>
        dribble(
          s,
          stopped,
          `GET /v1/user/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nX-Padding: ${'p'.repeat(200)}\r\n\r\n`,
          100,
        ),
      TIMEOUT + 4_000,
    );
    t.equal(res.status, 408, '408');
    t.equal(errorShapeProblem(408, res.body), undefined, `error shape: ${res.body}`);
    t.ok(res.ms >= TIMEOUT - 50, `not before the timeout (${res.ms} ms)`);
    t.ok(res.ms < TIMEOUT + 1_500, `soon after the timeout (${res.ms} ms; REQUEST_TIMEOUT_MS=${TIMEOUT})`);
    t.ok(res.closed, 'and the connection is closed');
  });

  t.test('a body sent one byte every 100 ms', async (t) => {
    const body = JSON.stringify({ slow: 'y'.repeat(100) });
    const res = await rawExchange(
      port,
      async (s, stopped) => {
        s.write(
          `POST /v1/user/slow-body/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${body.length}\r\n\r\n`,
        );
        await dribble(s, stopped, body, 100);
      },
      TIMEOUT + 4_000,
    );
    t.equal(res.status, 408, '408');
    t.equal(errorShapeProblem(408, res.body), undefined, `error shape: ${res.body}`);
    t.ok(res.ms < TIMEOUT + 1_500, `soon after the timeout (${res.ms} ms)`);
    t.ok(res.closed, 'and the connection is closed');
    const after = await send({ port, method: 'GET', path: '/v1/user/slow-body/', headers: { authorization: AUTH } });
    t.equal(after.status, 404, 'the cut-off upsert changed nothing');
  });

  t.test('a prompt client on the same server is unaffected', async (t) => {
    const res = await send({ port, method: 'GET', path: '/v1/user/?limit=1', headers: { authorization: AUTH } });
    t.equal(res.status, 200);
  });
});

t.test('HTTP-level errors come in the error shape too', async (t) => {
  const { port } = await listen(t, {});

  t.test('headers beyond the size limit: 431', async (t) => {
    const res = await rawExchange(
      port,
      (s) => {
        s.write(`GET /v1/user/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
      },
      5_000,
    );
    t.equal(res.status, 431, '431');
    t.equal(errorShapeProblem(431, res.body), undefined, `error shape: ${res.body}`);
    t.ok(res.closed, 'connection closed');
  });

  t.test('a request that is not HTTP: 400', async (t) => {
    const res = await rawExchange(
      port,
      (s) => {
        s.write('HELLO THERE\r\n\r\n');
      },
      5_000,
    );
    t.equal(res.status, 400, '400');
    t.equal(errorShapeProblem(400, res.body), undefined, `error shape: ${res.body}`);
    t.ok(res.closed, 'connection closed');
  });

  t.test('an invalid Content-Length: 400', async (t) => {
    const res = await rawExchange(
      port,
      (s) => {
        s.write(`POST /v1/user/x/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Length: abc\r\n\r\n{}`);
      },
      5_000,
    );
    t.equal(res.status, 400, '400');
    t.equal(errorShapeProblem(400, res.body), undefined, `error shape: ${res.body}`);
  });
});
