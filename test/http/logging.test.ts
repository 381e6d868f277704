import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { bearer, build, signed, signedHeaders, WS_A, WS_B } from '../helpers/index.js';

interface LogLine {
  level: number;
  reqId?: string;
  workspace?: string;
  status?: number;
  ms?: number;
  method?: string;
  path?: string;
  msg?: string;
}

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((l) => l.trim() !== '');
  return { stream, text, lines };
}

/** onResponse may log just after inject resolves: wait until `n` lines are in (or a short while passed). */
async function waitForLines(lines: () => string[], n: number): Promise<void> {
  for (let i = 0; i < 100 && lines().length < n; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setImmediate(r));
}

t.test('one log line per request, and no credential in any of them', async (t) => {
  const log = capture();
  const app = await build(t, { logLevel: 'info' }, { logStream: log.stream });
  await waitForLines(log.lines, 0);
  const startup = log.lines().length;

  const wrongSecret = { ...WS_A, secret: 'not-the-secret' };
  const headersSent: string[] = [];
  const requests: Array<{ what: string; expect: number; workspace?: string; run: () => Promise<LightMyRequestResponse> }> = [
    { what: 'bearer list', expect: 200, workspace: WS_A.name, run: () => bearer(app, 'GET', '/v1/user/') },
    {
      what: 'signed upsert',
      expect: 201,
      workspace: WS_A.name,
      run: () => signed(app, 'POST', '/v1/user/logged/', { name: 'L', $email: ['l@example.com'] }),
    },
    { what: 'signed get (B)', expect: 404, workspace: WS_B.name, run: () => signed(app, 'GET', '/v1/user/logged/', undefined, WS_B) },
    {
      what: 'bearer patch',
      expect: 202,
      workspace: WS_A.name,
      run: () => bearer(app, 'PATCH', '/v1/user/logged/', { operations: [{ $set: { a: 1 } }] }),
    },
    {
      what: 'wrong secret (401)',
      expect: 401,
      run: () => {
        const headers = signedHeaders(wrongSecret, 'GET', '/v1/user/logged/', undefined);
        headersSent.push(headers.authorization!);
        return app.inject({ method: 'GET', url: '/v1/user/logged/', headers });
      },
    },
    { what: 'unknown bearer (401)', expect: 401, run: () => bearer(app, 'GET', '/v1/user/logged/', undefined, 'api_key_unknown_zzz') },
    { what: 'no credentials (401)', expect: 401, run: () => app.inject({ method: 'GET', url: '/v1/user/logged/' }) },
    { what: 'invalid JSON (400)', expect: 400, workspace: WS_A.name, run: () => bearer(app, 'POST', '/v1/user/logged/', '{"oops":') },
    {
      what: 'bad email, signed (400)',
      expect: 400,
      workspace: WS_A.name,
      run: () => signed(app, 'POST', '/v1/user/logged/', { $email: ['nope'] }),
    },
    { what: 'delete', expect: 204, workspace: WS_A.name, run: () => bearer(app, 'DELETE', '/v1/user/logged/') },
  ];

  for (const [i, r] of requests.entries()) {
    const res = await r.run();
    t.equal(res.statusCode, r.expect, `${r.what}: status`);
    await waitForLines(log.lines, startup + i + 1);
    t.equal(log.lines().length, startup + i + 1, `${r.what}: exactly one new log line`);
    const line = JSON.parse(log.lines().at(-1) ?? '{}') as LogLine;
    t.type(line.reqId, 'string', `${r.what}: reqId`);
    t.ok((line.reqId ?? '').length > 0, `${r.what}: reqId not empty`);
    t.equal(line.status, r.expect, `${r.what}: status logged`);
    t.type(line.ms, 'number', `${r.what}: ms logged`);
    t.ok((line.ms ?? -1) >= 0, `${r.what}: ms is not negative`);
    if (r.workspace) t.equal(line.workspace, r.workspace, `${r.what}: workspace name logged`);
    else t.notOk(line.workspace, `${r.what}: no workspace for an unauthenticated request`);
  }

  const all = log.lines().map((l) => JSON.parse(l) as LogLine);
  const reqIds = all.filter((l) => l.reqId).map((l) => l.reqId);
  t.equal(new Set(reqIds).size, requests.length, 'one distinct reqId per request');
  t.equal(reqIds.length, requests.length, 'no request logged twice');

  const text = log.text();
  const forbidden = [
    WS_A.secret,
    WS_B.secret,
    WS_A.api_keys[0]!,
    WS_B.api_keys[0]!,
    'api_key_unknown_zzz',
    wrongSecret.secret,
    `Bearer ${WS_A.api_keys[0]}`,
    ...headersSent,
    ...headersSent.map((h) => h.slice(h.lastIndexOf(':') + 1)),
  ];
  for (const secret of forbidden) t.notOk(text.includes(secret), `never logged: ${secret.slice(0, 6)}…`);
  // The signature of every signed request, too.
  const headers = signedHeaders(WS_A, 'GET', '/v1/user/', undefined);
  const sig = headers.authorization!;
  const res = await app.inject({ method: 'GET', url: '/v1/user/', headers });
  t.equal(res.statusCode, 200);
  await waitForLines(log.lines, startup + requests.length + 1);
  t.notOk(log.text().includes(sig.slice(sig.lastIndexOf(':') + 1)), 'no signature logged');
});

t.test('logLevel silent logs nothing', async (t) => {
  const log = capture();
  const app = await build(t, { logLevel: 'silent' }, { logStream: log.stream });
  t.equal((await bearer(app, 'GET', '/v1/user/')).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/v1/user/' })).statusCode, 401);
  await waitForLines(log.lines, 1);
  t.equal(log.lines().length, 0);
});
