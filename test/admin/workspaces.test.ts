/**
 * Workspaces at run time through /_emulator/workspaces: create (generated or
 * chosen credentials), list, get, drop, conflicts; two test suites running at
 * the same time on one listening server, each in its own workspace, through
 * the real Node SDK; a created workspace surviving a restart.
 */
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { adminOk, asConfig, createWorkspace, listAllUsers, rowsWhere, type WireWorkspace } from './fixtures/admin.js';
import {
  type ErrorBody,
  inboxIdentities,
  admin,
  adminFetch,
  api,
  build,
  expectJson,
  listening,
  signed,
  tempDir,
  testConfig,
  type UserPage,
  type WireUser,
  WS_A,
  WS_B,
} from '../helpers/index.js';
import { rejectionOf, sdkFor } from '../helpers/sdk.js';

t.test('creating a workspace with generated credentials', async (t) => {
  const app = await build(t);
  const ws = await createWorkspace(t, app);
  t.match(ws.name, /^[A-Za-z0-9_-]{1,64}$/, 'a generated name that the name rules accept');
  t.equal(ws.origin, 'runtime');
  t.equal(ws.inbox, true, 'new users get an $inbox by default');
  t.ok(ws.key.length >= 20, `workspace key has at least 20 characters (the Node SDK refuses shorter ones): ${ws.key}`);
  t.ok(ws.secret.length >= 16, 'a long secret');
  t.equal(ws.api_keys.length, 1, 'one API key');
  t.ok(ws.api_keys[0]!.length >= 16, 'a long API key');
  t.ok(ws.inbox_secret.length >= 16, 'a long inbox secret');
  const all = [ws.key, ws.secret, ws.api_keys[0], ws.inbox_secret];
  t.equal(new Set(all).size, 4, 'all four credentials differ');

  const second = await createWorkspace(t, app);
  t.not(second.name, ws.name, 'a second generated workspace has another name');
  t.not(second.key, ws.key);
  t.not(second.secret, ws.secret);
  t.not(second.api_keys[0], ws.api_keys[0]);

  // The generated credentials work: API key as Bearer, and an SDK signature.
  const created = expectJson<WireUser>(
    t,
    await api(app, 'POST', '/v1/user/u1/', ws.api_keys[0]!, { name: 'One' }),
    201,
    'upsert with the API key',
  );
  t.same(created.$inbox, inboxIdentities('u1', ws.inbox_secret), '$inbox made with the generated inbox secret');
  const got = expectJson<WireUser>(
    t,
    await signed(app, 'GET', '/v1/user/u1/', undefined, asConfig(ws)),
    200,
    'GET signed with the key and secret',
  );
  t.same(got.properties, { name: 'One' });
  expectJson(t, await signed(app, 'GET', '/v1/user/u1/', undefined, asConfig(second)), 404, 'the other new workspace does not see u1');
  expectJson(t, await api(app, 'GET', '/v1/user/u1/', WS_A.api_keys[0]!), 404, 'the configured workspace does not see u1');
});

t.test('creating a workspace with chosen credentials; list and get', async (t) => {
  const app = await build(t);
  const chosen = {
    name: 'suite-1',
    key: 'suite_1_workspace_key_0123',
    secret: 'suite_1_secret',
    api_keys: ['suite_1_api_key_a', 'suite_1_api_key_b'],
    inbox_secret: 'suite_1_inbox',
    inbox: false,
    user_tenancy_mode: 'exclusive',
  };
  const ws = await createWorkspace(t, app, chosen);
  t.same(ws, { ...chosen, origin: 'runtime' }, 'answers exactly what was chosen');

  const user = expectJson<WireUser>(
    t,
    await api(app, 'POST', '/v1/user/u1/', 'suite_1_api_key_b', { $email: ['u1@example.com'] }),
    201,
    'second API key works',
  );
  t.equal(user.$inbox?.length ?? 0, 0, 'inbox: false gives new users no $inbox');
  t.same(user.$email, [{ value: 'u1@example.com', status: 'active', perma_status: 'active' }]);

  const list = await adminOk<{ workspaces: WireWorkspace[] }>(t, app, 'GET', '/_emulator/workspaces', undefined, 200);
  t.same(
    list.workspaces.map((w) => [w.name, w.origin]),
    [
      ['default', 'config'],
      ['other', 'config'],
      ['suite-1', 'runtime'],
    ],
  );
  const a = list.workspaces[0]!;
  t.same(
    a,
    {
      name: WS_A.name,
      key: WS_A.key,
      secret: WS_A.secret,
      api_keys: WS_A.api_keys,
      inbox_secret: WS_A.inbox_secret,
      inbox: true,
      user_tenancy_mode: 'shared',
      origin: 'config',
    },
    'a configured workspace with its credentials',
  );

  const one = await adminOk<WireWorkspace>(t, app, 'GET', '/_emulator/workspaces/suite-1', undefined, 200);
  t.same(one, { ...chosen, origin: 'runtime' });
  const other = await adminOk<WireWorkspace>(t, app, 'GET', '/_emulator/workspaces/other', undefined, 200);
  t.equal(other.key, WS_B.key);
  const missing = expectJson<ErrorBody>(t, await admin(app, 'GET', '/_emulator/workspaces/nope'), 404, 'unknown workspace');
  t.same(missing, { code: 404, message: "workspace 'nope' not found" });
});

t.test('conflicts and bad input when creating', async (t) => {
  const app = await build(t);
  await createWorkspace(t, app, { name: 'taken', key: 'taken_workspace_key_0123456', api_keys: ['taken_api_key_1'] });
  const before = await adminOk<{ workspaces: WireWorkspace[] }>(t, app, 'GET', '/_emulator/workspaces', undefined, 200);

  const conflicts: [string, Record<string, unknown>][] = [
    ['a runtime name again', { name: 'taken' }],
    ['a configured name', { name: 'default' }],
    ['a workspace key in use (runtime)', { name: 'fresh1', key: 'taken_workspace_key_0123456' }],
    ['a workspace key in use (configured)', { name: 'fresh2', key: WS_A.key }],
    ['an API key in use (runtime)', { name: 'fresh3', api_keys: ['taken_api_key_1'] }],
    ['an API key in use (configured)', { name: 'fresh4', api_keys: [WS_B.api_keys[0]!] }],
  ];
  for (const [what, body] of conflicts) {
    const res = await admin(app, 'POST', '/_emulator/workspaces', body);
    const err = expectJson<ErrorBody>(t, res, 409, what);
    t.equal(err.code, 409, `${what}: code 409`);
  }

  const bad: [string, unknown][] = [
    ['a name with a space', { name: 'has space' }],
    ['a name of 65 characters', { name: 'x'.repeat(65) }],
    ['a key of 19 characters', { name: 'short', key: 'k'.repeat(19) }],
    ['api_keys not an array', { name: 'bad-keys', api_keys: 'one' }],
    ['inbox not a boolean', { name: 'bad-inbox', inbox: 'yes' }],
    ['a JSON array', [1, 2]],
  ];
  for (const [what, body] of bad) {
    const err = expectJson<ErrorBody>(t, await admin(app, 'POST', '/_emulator/workspaces', body), 400, what);
    t.equal(err.code, 400, `${what}: code 400`);
    t.ok(err.message.length > 0, `${what}: a message`);
  }
  const after = await adminOk<{ workspaces: WireWorkspace[] }>(t, app, 'GET', '/_emulator/workspaces', undefined, 200);
  t.same(after, before, 'no refused create left a workspace behind');
});

t.test('dropping a workspace removes its data and its credentials', async (t) => {
  const app = await build(t);
  const ws = await createWorkspace(t, app, { name: 'doomed' });
  const key = ws.api_keys[0]!;
  for (const id of ['d1', 'd2', 'd3'])
    expectJson(t, await api(app, 'POST', `/v1/user/${id}/`, key, { $email: [`${id}@example.com`] }), 201, `upsert ${id}`);
  expectJson(
    t,
    await api(app, 'POST', '/event/', key, [{ distinct_id: 'd1', event: 'Bought', properties: { n: 1 } }, { bogus: true }]),
    202,
    'an event and a failed record',
  );
  expectJson(t, await api(app, 'POST', '/v1/user/keep/', WS_A.api_keys[0]!, { name: 'keep' }), 201, 'data in a configured workspace');
  const dataKey = app.emulator.workspaces.get('doomed').dataKey;
  t.equal(rowsWhere(app, 'users', 'workspace', dataKey), 3, 'three users stored');

  const res = await admin(app, 'DELETE', '/_emulator/workspaces/doomed');
  t.equal(res.statusCode, 204, 'drop answers 204');
  t.equal(res.body, '', 'with no body');

  expectJson(t, await admin(app, 'GET', '/_emulator/workspaces/doomed'), 404, 'GET after drop');
  const list = await adminOk<{ workspaces: WireWorkspace[] }>(t, app, 'GET', '/_emulator/workspaces', undefined, 200);
  t.same(
    list.workspaces.map((w) => w.name),
    ['default', 'other'],
    'no longer listed',
  );
  expectJson(t, await api(app, 'GET', '/v1/user/d1/', key), 401, 'its API key is refused');
  expectJson(t, await signed(app, 'GET', '/v1/user/d1/', undefined, asConfig(ws)), 401, 'its signature is refused');
  expectJson(t, await admin(app, 'DELETE', '/_emulator/workspaces/doomed'), 404, 'dropping it again');

  app.emulator.workspaces.drainGc();
  for (const table of ['users', 'track_events', 'event_failures']) {
    t.equal(rowsWhere(app, table, 'workspace', dataKey), 0, `no ${table} rows left for the dropped workspace`);
  }
  const orphans = app.emulator.db.$client
    .prepare('select count(*) as n from identities i left join users u on u.id = i.user_id where u.id is null')
    .get() as { n: number };
  t.equal(orphans.n, 0, 'no identities left without a user');
  const status = await adminOk<{ pending_deletions: number; workspaces: number }>(t, app, 'GET', '/_emulator/status', undefined, 200);
  t.same({ pending: status.pending_deletions, workspaces: status.workspaces }, { pending: 0, workspaces: 2 });

  // A workspace created again under the same name starts empty.
  const again = await createWorkspace(t, app, { name: 'doomed' });
  const listing = await listAllUsers(app, again.api_keys[0]!);
  t.same(listing, { count: 0, ids: [] }, 'the name comes back empty');
  expectJson(t, await api(app, 'GET', '/v1/user/keep/', WS_A.api_keys[0]!), 200, 'other workspaces keep their data');
});

t.test('configured workspaces cannot be dropped', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/v1/user/a1/', WS_A.api_keys[0]!, { name: 'A' }), 201, 'seed');
  for (const name of ['default', 'other']) {
    const err = expectJson<ErrorBody>(t, await admin(app, 'DELETE', `/_emulator/workspaces/${name}`), 409, `drop ${name}`);
    t.match(err.message, /configuration/, 'says why');
  }
  expectJson(t, await admin(app, 'GET', '/_emulator/workspaces/default'), 200, 'still there');
  expectJson(t, await api(app, 'GET', '/v1/user/a1/', WS_A.api_keys[0]!), 200, 'its data and credentials too');
});

// ---------------------------------------------------------------------------------------------
// Two suites at the same time on one listening server, each in its own workspace.

interface SuiteResult {
  workspace: string;
  beforeReset: { count: number; ids: string[]; suites: string[] };
  afterReset: { count: number; ids: string[]; suites: string[] };
  user0: WireUser;
  trackCount: number;
}

const USERS = 12;

/** One test suite: its own workspace, then many calls through the real SDK, with a reset half-way. */
async function runSuite(t: Test, baseUrl: string, tag: string): Promise<SuiteResult> {
  const created = await adminFetch<WireWorkspace>(baseUrl, 'POST', '/_emulator/workspaces', { name: `suite-${tag}` });
  t.equal(created.status, 201, `${tag}: workspace created`);
  const ws = created.body;
  const sdk = sdkFor(baseUrl, ws);

  /** All users through the SDK's list, 5 per page, following the `after` cursor. */
  const listAll = async () => {
    const ids: string[] = [];
    const suites = new Set<string>();
    let page = (await sdk.users.list({ limit: 5 })) as UserPage;
    const count = page.meta.count;
    for (;;) {
      ids.push(...page.results.map((r) => r.distinct_id));
      for (const r of page.results) suites.add(String(r.properties.suite));
      if (!page.meta.has_next) break;
      page = (await sdk.users.list({ limit: 5, after: page.meta.after! })) as UserPage;
    }
    return { count, ids: ids.sort(), suites: [...suites] };
  };

  // Phase 1: the same distinct_ids in both suites, with suite-specific data.
  for (let i = 0; i < USERS; i++) {
    await sdk.users.upsert(`user-${i}`, { suite: tag, n: i, $email: [`${tag}-${i}@example.com`] });
    if (i % 3 === 0) await listAll();
  }
  for (let i = 0; i < USERS; i += 2) {
    const edit = sdk.users.get_edit_instance(`user-${i}`);
    edit.set({ edited_by: tag });
    edit.increment('n', 100);
    edit.add_sms(`+1555000${tag === 'alpha' ? 1 : 2}${String(i).padStart(3, '0')}`);
    const edited = (await sdk.users.edit(edit)) as WireUser;
    t.equal(edited.properties.edited_by, tag, `${tag}: edit of user-${i} answered its own suite's user`);
  }
  for (let i = 0; i < 5; i++) await sdk.track(`user-${i}`, `${tag}-event`, { i });
  const beforeReset = await listAll();

  // Reset this suite's workspace half-way; the other suite carries on.
  const reset = await adminFetch(baseUrl, 'POST', `/_emulator/workspaces/suite-${tag}/reset`);
  t.equal(reset.status, 204, `${tag}: reset`);
  const gone = await rejectionOf(sdk.users.get('user-0'));
  t.match(gone?.message, /^404: /, `${tag}: user-0 is gone right after the reset`);

  // Phase 2.
  for (let i = 0; i < 4; i++) await sdk.users.upsert(`user-${i}`, { suite: tag, phase: 2, $email: [`${tag}-p2-${i}@example.com`] });
  for (let i = 0; i < 3; i++) await sdk.users.upsert(`${tag}-only-${i}`, { suite: tag, phase: 2 });
  const afterReset = await listAll();
  const user0 = (await sdk.users.get('user-0')) as WireUser;
  const events = await adminFetch<{ entries: { event: string }[] }>(
    baseUrl,
    'GET',
    `/_emulator/journal?kind=events&workspace=suite-${tag}`,
  );
  return { workspace: ws.name, beforeReset, afterReset, user0, trackCount: events.body.entries.length };
}

t.test('two test suites at the same time on one server, each in its own workspace, do not interfere', async (t) => {
  const { baseUrl } = await listening(t, { validateResponses: false });

  const [alpha, beta] = await Promise.all([runSuite(t, baseUrl, 'alpha'), runSuite(t, baseUrl, 'beta')]);
  const userIds = Array.from({ length: USERS }, (_, i) => `user-${i}`).sort();
  for (const [tag, r] of [
    ['alpha', alpha],
    ['beta', beta],
  ] as const) {
    t.same(
      r.beforeReset,
      { count: USERS, ids: userIds, suites: [tag] },
      `${tag}: before its reset, exactly its ${USERS} users, all its own`,
    );
    t.same(
      r.afterReset,
      { count: 7, ids: [`${tag}-only-0`, `${tag}-only-1`, `${tag}-only-2`, 'user-0', 'user-1', 'user-2', 'user-3'].sort(), suites: [tag] },
      `${tag}: after its reset, only what it wrote since`,
    );
    t.same(r.user0.properties, { suite: tag, phase: 2 }, `${tag}: user-0 holds only phase-2 properties`);
    t.same(
      r.user0.$email?.map((i) => i.value),
      [`${tag}-p2-0@example.com`],
      `${tag}: user-0 has only its phase-2 email`,
    );
    t.equal(r.user0.$sms?.length ?? 0, 0, `${tag}: the phase-1 SMS went with the reset`);
    t.equal(r.trackCount, 0, `${tag}: the reset also removed its track events`);
  }

  // The two suites really ran at the same time: their requests interleave in the journal.
  const journal = await adminFetch<{ entries: { workspace: string | null }[] }>(baseUrl, 'GET', '/_emulator/journal?limit=10000');
  const order = journal.body.entries.map((e) => e.workspace).filter((w) => w === 'suite-alpha' || w === 'suite-beta');
  let switches = 0;
  for (let i = 1; i < order.length; i++) if (order[i] !== order[i - 1]) switches++;
  t.ok(switches >= 10, `the suites' requests interleave (${switches} switches between workspaces)`);
  t.ok(order.length >= 2 * (USERS + USERS / 2 + 5 + 7), `every SDK request was journalled under its own workspace (${order.length})`);

  // The configured workspaces saw none of it.
  const a = await fetch(`${baseUrl}/v1/user/`, { headers: { authorization: `Bearer ${WS_A.api_keys[0]}` } });
  t.equal(((await a.json()) as UserPage).meta.count, 0, 'workspace "default" is still empty');
});

// ---------------------------------------------------------------------------------------------

t.test('a created workspace survives a restart on a file database', async (t) => {
  const dir = tempDir(t, 'emulator-ws-');
  const config = testConfig({ databasePath: join(dir, 'emulator.db') });

  const first = await buildApp(config);
  const ws = await createWorkspace(t, first, { name: 'persisted' });
  const resetMe = await createWorkspace(t, first, { name: 'reset-me' });
  expectJson(
    t,
    await api(first, 'POST', '/v1/user/p1/', ws.api_keys[0]!, { name: 'P1', $email: ['p1@example.com'] }),
    201,
    'user in the new workspace',
  );
  expectJson(t, await api(first, 'POST', '/v1/user/r1/', resetMe.api_keys[0]!, { name: 'R1' }), 201, 'user in the other new workspace');
  expectJson(t, await admin(first, 'POST', '/_emulator/workspaces/reset-me/reset'), 204, 'reset it');
  const p1Before = expectJson<WireUser>(t, await api(first, 'GET', '/v1/user/p1/', ws.api_keys[0]!), 200, 'p1 before restart');
  await first.close();

  const second = await buildApp(config);
  t.teardown(() => second.close());
  const listed = await adminOk<{ workspaces: WireWorkspace[] }>(t, second, 'GET', '/_emulator/workspaces', undefined, 200);
  t.same(
    listed.workspaces.map((w) => w.name),
    ['default', 'other', 'persisted', 'reset-me'],
    'both created workspaces are back',
  );
  t.same(
    listed.workspaces.find((w) => w.name === 'persisted'),
    ws,
    'with the same credentials and origin',
  );
  const p1After = expectJson<WireUser>(t, await api(second, 'GET', '/v1/user/p1/', ws.api_keys[0]!), 200, 'its API key still works');
  t.same(p1After, p1Before, 'and its data is still there');
  expectJson(t, await signed(second, 'GET', '/v1/user/p1/', undefined, asConfig(ws)), 200, 'its signature still works');
  t.same(await listAllUsers(second, resetMe.api_keys[0]!), { count: 0, ids: [] }, 'a reset workspace stays empty after the restart');
});
