/**
 * A write held by a fault delay while its workspace is dropped fails (401 in
 * the error shape) and leaves no row behind, instead of a 201 and an orphan
 * row under a data key nobody owns.
 */
import t from 'tap';
import { adminOk, createWorkspace } from './fixtures/admin.js';
import { admin, api, build, expectApiError, expectJson } from '../helpers/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('a write delayed by a fault while its workspace is dropped answers 401 and writes nothing', async (t) => {
  const app = await build(t);
  const writes: [string, string, unknown][] = [
    ['POST', '/v1/user/held/', { name: 'Held' }],
    ['POST', '/event/', { distinct_id: 'held', event: 'e1' }],
    ['POST', '/v1/subscriber_list/', { list_id: 'held-list' }],
  ];
  for (const [method, url, body] of writes) {
    const ws = await createWorkspace(t, app, { name: 'short-lived' });
    const dataKey = app.emulator.workspaces.get('short-lived').dataKey;
    await adminOk(t, app, 'POST', '/_emulator/faults', { workspace: 'short-lived', path: '/**', delay_ms: 300, count: 1 }, 201);
    const held = api(app, method as 'POST', url, ws.api_keys[0]!, body);
    await sleep(100);
    expectJson(t, await admin(app, 'DELETE', '/_emulator/workspaces/short-lived'), 204, `${url}: dropped while the request waits`);
    const err = expectApiError(t, await held, 401, `${url}: the held write is refused`);
    t.match(err.message, /Workspace/);
    app.emulator.workspaces.drainGc();
    const tables = app.emulator.db.$client
      .prepare("select m.name from sqlite_master m, pragma_table_info(m.name) c where m.type = 'table' and c.name = 'workspace'")
      .all() as { name: string }[];
    for (const { name } of tables) {
      const n = (app.emulator.db.$client.prepare(`select count(*) as n from ${name} where workspace = ?`).get(dataKey) as { n: number }).n;
      t.equal(n, 0, `${url}: no row left in ${name}`);
    }
  }
});

t.test('a write delayed across a reset lands in the emptied workspace, which still exists', async (t) => {
  const app = await build(t);
  const ws = await createWorkspace(t, app, { name: 'kept' });
  await adminOk(t, app, 'POST', '/_emulator/faults', { workspace: 'kept', path: '/**', delay_ms: 200, count: 1 }, 201);
  const held = api(app, 'POST', '/v1/user/after-reset/', ws.api_keys[0]!, {});
  await sleep(50);
  expectJson(t, await admin(app, 'POST', '/_emulator/workspaces/kept/reset'), 204, 'reset meanwhile');
  expectJson(t, await held, 201, 'the write is served');
  expectJson(t, await api(app, 'GET', '/v1/user/after-reset/', ws.api_keys[0]!), 200, 'and visible');
});
