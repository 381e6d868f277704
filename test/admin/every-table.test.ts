/**
 * Every per-workspace table of the drizzle schema, enumerated from the schema
 * itself: a workspace populated through the API holds a row in each; a reset
 * empties each (and the background deletion leaves no row of the old data
 * key); a snapshot exported and imported into another workspace round-trips
 * each table snapshots carry. A table added to the schema fails here until
 * populate() writes a row to it, so reset and snapshots cannot forget it.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '../../src/db/schema.js';
import { admin, api, build, expectJson, WS_A } from '../helpers/index.js';
import { adminOk } from './fixtures/admin.js';

const A = WS_A.api_keys[0]!;

/** Tables that hold no workspace's data, and why. */
const NOT_WORKSPACE_DATA: Record<string, string> = {
  workspaces: 'the workspaces themselves',
  retired_data: 'data keys waiting for the background deletion',
};

/** Per-workspace tables snapshots leave out, and why. */
const NOT_IN_SNAPSHOTS: Record<string, string> = {
  track_events: 'what the app sent, shown by the journal; snapshots hold state',
  event_failures: 'what the app sent, shown by the journal; snapshots hold state',
};

const TABLES = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable)).map((v) => getTableConfig(v));
const WORKSPACE_DATA = TABLES.filter((table) => !(table.name in NOT_WORKSPACE_DATA));

/**
 * SQL selecting the rows of `table` that belong to a data key (one `?`): by
 * its `workspace` column, or through the foreign key to its parent.
 */
function belongsToDataKey(table: ReturnType<typeof getTableConfig>): string {
  if (table.columns.some((c) => c.name === 'workspace')) return 'workspace = ?';
  const fk = table.foreignKeys[0];
  if (!fk) throw new Error(`table ${table.name} has no workspace column and no parent: say in NOT_WORKSPACE_DATA what it holds`);
  const ref = fk.reference();
  const parent = getTableConfig(ref.foreignTable);
  return `${ref.columns[0]!.name} in (select ${ref.foreignColumns[0]!.name} from ${parent.name} where ${belongsToDataKey(parent)})`;
}

function rowCounts(app: FastifyInstance, dataKey: string): Record<string, number> {
  const sqlite = app.emulator.db.$client;
  return Object.fromEntries(
    WORKSPACE_DATA.map((table) => {
      const row = sqlite.prepare(`select count(*) as n from ${table.name} where ${belongsToDataKey(table)}`).get(dataKey) as { n: number };
      return [table.name, row.n];
    }),
  );
}

/** Through the API: a user and an object with identities, a list with a member and a draft, subscriptions, a tenant and the user's profile in it, an event and a rejected record, a preference choice and a tenant's category override. */
async function populate(t: Test, app: FastifyInstance): Promise<void> {
  const call = async (method: 'POST' | 'PATCH', url: string, body: unknown, status: number) =>
    expectJson(t, await api(app, method, url, A, body), status, `${method} ${url}`);
  await call('POST', '/v1/user/alice/', { $email: ['alice@example.com'], plan: 'pro' }, 201);
  await call('POST', '/v1/object/teams/t1/', { $email: ['t1@example.com'], name: 'Team 1' }, 201);
  await call('POST', '/v1/object/departments/d1/', { name: 'Dept 1' }, 201);
  await call('POST', '/v1/object/teams/t1/subscription/', { recipients: ['alice', { object_type: 'departments', id: 'd1' }] }, 200);
  await call('POST', '/v1/subscriber_list/', { list_id: 'news' }, 201);
  await call('POST', '/v1/subscriber_list/news/subscriber/add/', { distinct_ids: ['alice'] }, 201);
  const draft = await call('POST', '/v1/subscriber_list/news/start_sync/', {}, 201);
  await call('POST', `/v1/subscriber_list/news/version/${draft.version_id}/subscriber/add/`, { distinct_ids: ['bob'] }, 201);
  await call('POST', '/v1/tenant/acme/', { tenant_name: 'Acme', properties: { plan: 'pro' } }, 201);
  await call('POST', '/v1/user/alice/tenant/acme/', { $email: ['alice@acme.example'], plan: 'enterprise' }, 201);
  await call('POST', '/event/', [{ distinct_id: 'alice', event: 'Bought', properties: {} }, { event: 'no distinct id' }], 202);
  const catalog = {
    root_categories: [{ root_category: 'transactional', categories: [{ category: 'news', name: 'News', default_preference: 'opt_in' }] }],
  };
  expectJson(t, await admin(app, 'PUT', '/_emulator/workspaces/default/preference-categories', catalog), 200, 'PUT catalog');
  await call('PATCH', '/v1/user/alice/preference/category/news/?tenant_id=acme', { preference: 'opt_out' }, 202);
  await call('PATCH', '/v1/tenant/acme/preference/category/news/', { blocked_channels: ['sms'] }, 200);
}

t.test('every per-workspace table of the schema: populated, reset, and round-tripped by snapshots', async (t) => {
  const app = await build(t);
  await populate(t, app);
  const oldKey = app.emulator.workspaces.get('default').dataKey;
  const before = rowCounts(app, oldKey);
  for (const [table, n] of Object.entries(before)) {
    t.ok(n > 0, `${table} holds a row of the populated workspace (if not: write one in populate(), and check reset and snapshots)`);
  }

  await t.test('a snapshot of it imported into another workspace holds the same rows', async (t) => {
    const doc = await adminOk<{ workspaces: { name: string }[] }>(t, app, 'GET', '/_emulator/snapshot?workspace=default', undefined, 200);
    doc.workspaces[0]!.name = 'copy';
    await adminOk(t, app, 'POST', '/_emulator/snapshot', doc, 200);
    const copied = rowCounts(app, app.emulator.workspaces.get('copy').dataKey);
    for (const [table, n] of Object.entries(before)) {
      t.equal(copied[table], table in NOT_IN_SNAPSHOTS ? 0 : n, `${table}: ${NOT_IN_SNAPSHOTS[table] ?? 'round-trips'}`);
    }
  });

  await t.test('a reset empties it at once, and the background deletion leaves no row behind', async (t) => {
    t.equal((await admin(app, 'POST', '/_emulator/workspaces/default/reset')).statusCode, 204);
    const fresh = rowCounts(app, app.emulator.workspaces.get('default').dataKey);
    for (const table of Object.keys(before)) t.equal(fresh[table], 0, `${table} is empty after the reset`);
    app.emulator.workspaces.drainGc();
    const old = rowCounts(app, oldKey);
    for (const table of Object.keys(before)) t.equal(old[table], 0, `${table} keeps no row of the old data key`);
  });
});
