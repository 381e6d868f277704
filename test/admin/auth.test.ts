/**
 * The control plane's credential: only `Authorization: Bearer <admin token>`
 * opens /_emulator/; SuprSend credentials (API key, workspace key, SDK
 * signature) never do, and the admin token never opens the SuprSend API.
 */
import t from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { adminOk, type WireWorkspace } from './fixtures/admin.js';
import { admin, ADMIN_TOKEN, api, build, expectJson, type Method, signedHeaders, WS_A, WS_B } from '../helpers/index.js';

/** Every control-plane route, with a body that would succeed given the admin token. */
const ROUTES: { method: Method; url: string; body?: unknown }[] = [
  { method: 'GET', url: '/_emulator/workspaces' },
  { method: 'POST', url: '/_emulator/workspaces', body: { name: 'intruder' } },
  { method: 'GET', url: '/_emulator/workspaces/default' },
  { method: 'DELETE', url: '/_emulator/workspaces/runtime-ws' },
  { method: 'POST', url: '/_emulator/workspaces/default/reset' },
  { method: 'POST', url: '/_emulator/reset' },
  { method: 'GET', url: '/_emulator/snapshot' },
  { method: 'GET', url: '/_emulator/snapshot?workspace=default' },
  {
    method: 'POST',
    url: '/_emulator/snapshot',
    body: {
      format: 'suprsend-emulator-snapshot',
      version: 1,
      workspaces: [{ name: 'default', users: [], lists: [], objects: [], subscriptions: [] }],
    },
  },
  { method: 'GET', url: '/_emulator/journal' },
  { method: 'GET', url: '/_emulator/journal?kind=events' },
  { method: 'DELETE', url: '/_emulator/journal' },
  {
    method: 'POST',
    url: '/_emulator/channel-status',
    body: { workspace: 'default', distinct_id: 'alice', channel: '$email', value: 'alice@example.com', outcome: 'hard_bounce' },
  },
  { method: 'GET', url: '/_emulator/faults' },
  { method: 'POST', url: '/_emulator/faults', body: { path: '/v1/user/**', status: 500 } },
  { method: 'DELETE', url: '/_emulator/faults' },
  { method: 'DELETE', url: '/_emulator/faults/fault_abc' },
  { method: 'GET', url: '/_emulator/clock' },
  { method: 'POST', url: '/_emulator/clock', body: { action: 'freeze', at: '2001-01-01T00:00:00Z' } },
  { method: 'GET', url: '/_emulator/status' },
];

/** Authorization headers that must not open the control plane (null: no header). */
const BAD_CREDENTIALS: { what: string; header: (method: Method, url: string, body: string | undefined) => string | null }[] = [
  { what: 'no Authorization header', header: () => null },
  { what: 'an empty Authorization header', header: () => '' },
  { what: 'a wrong admin token', header: () => 'Bearer wrong_admin_token_0123456789' },
  { what: 'the admin token minus its last character', header: () => `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
  { what: 'the admin token plus a character', header: () => `Bearer ${ADMIN_TOKEN}x` },
  { what: 'the admin token without the Bearer scheme', header: () => ADMIN_TOKEN },
  { what: 'the admin token as Basic credentials', header: () => `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
  { what: "workspace A's API key as Bearer", header: () => `Bearer ${WS_A.api_keys[0]}` },
  { what: "workspace B's API key as Bearer", header: () => `Bearer ${WS_B.api_keys[0]}` },
  { what: 'a workspace key as Bearer', header: () => `Bearer ${WS_A.key}` },
  { what: 'a workspace secret as Bearer', header: () => `Bearer ${WS_A.secret}` },
  { what: "an SDK signature with workspace A's key and secret", header: (m, u, b) => signedHeaders(WS_A, m, u, b).authorization! },
];

/** State that each refused call would have changed, read with the admin token. */
async function state(app: FastifyInstance) {
  const read = async (url: string) => JSON.parse((await admin(app, 'GET', url)).body) as Record<string, unknown>;
  return {
    workspaces: ((await read('/_emulator/workspaces')).workspaces as WireWorkspace[]).map((w) => w.name),
    faults: (await read('/_emulator/faults')).faults,
    clockMode: (await read('/_emulator/clock')).mode,
    journalLength: ((await read('/_emulator/journal')).entries as unknown[]).length,
    // Read through the control plane, which is not journalled.
    data: await read('/_emulator/snapshot'),
  };
}

t.test('every control-plane route answers 401 to anything but the admin token, and changes nothing', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/workspaces', { name: 'runtime-ws' }, 201);
  expectJson(
    t,
    await api(app, 'POST', '/v1/user/alice/', WS_A.api_keys[0]!, { name: 'Alice', $email: ['alice@example.com'] }),
    201,
    'seed alice',
  );
  const before = await state(app);
  t.equal(before.clockMode, 'running');
  t.same(before.workspaces, ['default', 'other', 'runtime-ws']);
  t.equal(before.journalLength, 1, 'the seeding request is journalled');
  const exported = before.data.workspaces as { name: string; users: { distinct_id: string }[] }[];
  t.same(
    exported.find((w) => w.name === 'default')?.users.map((u) => u.distinct_id),
    ['alice'],
    'alice is in the data',
  );

  let refused = 0;
  for (const route of ROUTES) {
    const payload = route.body === undefined ? undefined : JSON.stringify(route.body);
    for (const cred of BAD_CREDENTIALS) {
      const header = cred.header(route.method, route.url, payload);
      const headers: Record<string, string> = {};
      if (header !== null) headers.authorization = header;
      if (payload !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
      if (cred.what.startsWith('an SDK signature')) {
        Object.assign(headers, signedHeaders(WS_A, route.method, route.url, payload));
      }
      const res: LightMyRequestResponse = await app.inject({
        method: route.method,
        url: route.url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      const label = `${route.method} ${route.url} with ${cred.what}`;
      if (res.statusCode !== 401) {
        t.fail(`${label}: expected 401, got ${res.statusCode}: ${res.body.slice(0, 200)}`);
        continue;
      }
      const body = JSON.parse(res.body) as { code: number; message: string; error_code?: string };
      if (body.code !== 401 || typeof body.message !== 'string' || !/Not Authenticated/.test(body.message)) {
        t.fail(`${label}: 401 body should be {code: 401, message: "Not Authenticated …"}, got ${res.body}`);
        continue;
      }
      refused++;
    }
  }
  t.equal(
    refused,
    ROUTES.length * BAD_CREDENTIALS.length,
    `all ${ROUTES.length * BAD_CREDENTIALS.length} attempts answered 401 with a SuprSend-style error body`,
  );

  const after = await state(app);
  t.same(after, before, 'no refused call changed workspaces, faults, clock, journal or data');
  t.notOk(after.workspaces.includes('intruder'), 'the refused POST /_emulator/workspaces created nothing');

  // Refused control-plane calls are not journalled either (the control plane never is).
  const journal = await adminOk<{ entries: { path: string }[] }>(t, app, 'GET', '/_emulator/journal', undefined, 200);
  t.same(
    journal.entries.map((e) => e.path),
    ['/v1/user/alice/'],
  );
});

t.test('the 401 body names the missing or wrong admin token', async (t) => {
  const app = await build(t);
  const missing = expectJson<{ code: number; message: string; error_code: string; type: string }>(
    t,
    await admin(app, 'GET', '/_emulator/status', undefined, null),
    401,
    'no token',
  );
  t.match(missing, { code: 401, error_code: 'authentication_failed', type: 'AuthenticationFailed' });
  t.match(missing.message, /EMULATOR_ADMIN_TOKEN/, 'says which token the control plane needs');
  const wrong = expectJson<{ message: string }>(
    t,
    await admin(app, 'GET', '/_emulator/status', undefined, 'Bearer nope_nope_nope_nope'),
    401,
    'wrong token',
  );
  t.match(wrong.message, /wrong admin token/);
  t.notMatch(wrong.message, ADMIN_TOKEN, 'the real token is never echoed');
  t.notMatch(missing.message, ADMIN_TOKEN, 'the real token is never echoed');
});

t.test('the admin token opens every control-plane route', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', WS_A.api_keys[0]!, { $email: ['alice@example.com'] }), 201, 'seed alice');
  await adminOk(t, app, 'POST', '/_emulator/workspaces', { name: 'runtime-ws' }, 201);
  const expected: Record<string, number> = {
    'GET /_emulator/workspaces': 200,
    'POST /_emulator/workspaces': 201,
    'GET /_emulator/workspaces/default': 200,
    'DELETE /_emulator/workspaces/runtime-ws': 204,
    'POST /_emulator/workspaces/default/reset': 204,
    'POST /_emulator/reset': 204,
    'GET /_emulator/snapshot': 200,
    'GET /_emulator/snapshot?workspace=default': 200,
    'POST /_emulator/snapshot': 200,
    'GET /_emulator/journal': 200,
    'GET /_emulator/journal?kind=events': 200,
    'DELETE /_emulator/journal': 204,
    'POST /_emulator/channel-status': 404, // alice is gone after the resets above: authorised, then not found
    'GET /_emulator/faults': 200,
    'POST /_emulator/faults': 201,
    'DELETE /_emulator/faults': 204,
    'DELETE /_emulator/faults/fault_abc': 404,
    'GET /_emulator/clock': 200,
    'POST /_emulator/clock': 200,
    'GET /_emulator/status': 200,
  };
  for (const route of ROUTES) {
    const res = await admin(app, route.method, route.url, route.body);
    t.equal(
      res.statusCode,
      expected[`${route.method} ${route.url}`],
      `${route.method} ${route.url} with the admin token (${res.body.slice(0, 120)})`,
    );
  }
  // The scheme name is case-insensitive (RFC 7235), like the SuprSend API's Bearer.
  t.equal((await admin(app, 'GET', '/_emulator/status', undefined, `bearer ${ADMIN_TOKEN}`)).statusCode, 200, 'lower-case "bearer"');
});

t.test('the admin token does not open the SuprSend API', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', WS_A.api_keys[0]!, { name: 'Alice' }), 201, 'seed alice');
  const calls: { method: Method; url: string; body?: unknown }[] = [
    { method: 'GET', url: '/v1/user/alice/' },
    { method: 'GET', url: '/v1/user/' },
    { method: 'POST', url: '/v1/user/mallory/', body: { name: 'Mallory' } },
    { method: 'PATCH', url: '/v1/user/alice/', body: { operations: [{ $set: { name: 'Hacked' } }] } },
    { method: 'DELETE', url: '/v1/user/alice/' },
    { method: 'POST', url: '/event/', body: { distinct_id: 'mallory', event: 'x', properties: {} } },
    { method: 'GET', url: '/v1/subscriber_list/' },
    { method: 'GET', url: '/v1/object/teams/' },
  ];
  for (const c of calls) {
    for (const [what, header] of [
      ['the admin token as Bearer', `Bearer ${ADMIN_TOKEN}`],
      ['the admin token as a workspace key with a signature', `${ADMIN_TOKEN}:c2lnbmF0dXJl`],
    ] as const) {
      const payload = c.body === undefined ? undefined : JSON.stringify(c.body);
      const res = await app.inject({
        method: c.method,
        url: c.url,
        headers: { authorization: header, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(payload === undefined ? {} : { payload }),
      });
      const label = `${c.method} ${c.url} with ${what}`;
      t.equal(res.statusCode, 401, label);
      const body = JSON.parse(res.body) as { code: number; message: string };
      t.equal(body.code, 401, `${label}: code 401`);
      t.match(body.message, /^Not Authenticated/, `${label}: SuprSend's message`);
    }
  }
  const alice = expectJson<{ properties: Record<string, unknown> }>(
    t,
    await api(app, 'GET', '/v1/user/alice/', WS_A.api_keys[0]!),
    200,
    'alice still there',
  );
  t.same(alice.properties, { name: 'Alice' }, 'alice unchanged');
  expectJson(t, await api(app, 'GET', '/v1/user/mallory/', WS_A.api_keys[0]!), 404, 'mallory not created');

  // These refused API requests are journalled as failed authentications without a workspace.
  const journal = await adminOk<{ entries: { auth: string; workspace: string | null; status: number }[] }>(
    t,
    app,
    'GET',
    '/_emulator/journal?status=401',
    undefined,
    200,
  );
  t.equal(journal.entries.length, calls.length * 2);
  t.ok(
    journal.entries.every((e) => e.auth === 'failed' && e.workspace === null),
    'auth "failed", workspace null',
  );
  const dump = JSON.stringify(journal);
  t.notOk(dump.includes(ADMIN_TOKEN), 'the admin token never reaches the journal');
});

t.test('a workspace created at run time cannot take the admin token as a credential', async (t) => {
  const app = await build(t);
  const asApiKey = await admin(app, 'POST', '/_emulator/workspaces', { name: 'sneaky', api_keys: [ADMIN_TOKEN] });
  t.ok(
    [400, 409].includes(asApiKey.statusCode),
    `the admin token as an API key is refused (got ${asApiKey.statusCode}: ${asApiKey.body.slice(0, 200)})`,
  );
  const asKey = await admin(app, 'POST', '/_emulator/workspaces', { name: 'sneaky2', key: ADMIN_TOKEN });
  t.ok(
    [400, 409].includes(asKey.statusCode),
    `the admin token as a workspace key is refused (got ${asKey.statusCode}: ${asKey.body.slice(0, 200)})`,
  );
  const res = await api(app, 'GET', '/v1/user/', ADMIN_TOKEN);
  t.equal(res.statusCode, 401, 'the admin token still does not open the SuprSend API');
  const list = await adminOk<{ workspaces: WireWorkspace[] }>(t, app, 'GET', '/_emulator/workspaces', undefined, 200);
  t.same(
    list.workspaces.map((w) => w.name),
    ['default', 'other'],
    'no such workspace was created',
  );
});
