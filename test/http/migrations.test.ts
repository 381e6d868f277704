// A database written by an older version upgrades in place: every migration
// after the ones it has is applied at start, and its data stays.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { MIGRATIONS_DIR, openDatabase } from '../../src/db/open.js';
import { tempDir, bearer, build } from '../helpers/index.js';

interface Journal {
  entries: { tag: string }[];
}

/** A copy of migrations/ holding only the first `n` migrations: what an older release shipped. */
function olderMigrations(dir: string, n: number): string {
  const out = join(dir, 'migrations');
  mkdirSync(join(out, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as Journal;
  const kept = journal.entries.slice(0, n);
  for (const e of kept) copyFileSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(out, `${e.tag}.sql`));
  writeFileSync(join(out, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: kept }));
  return out;
}

t.test('a database from before lists, objects, workspaces and user counts upgrades in place', async (t) => {
  const dir = tempDir(t, 'suprsend-emulator-upgrade-');
  const path = join(dir, 'old.db');

  // The first release's schema (users, identities, events), with a user in it.
  const old = openDatabase({ path, durability: 'normal', migrationsDir: olderMigrations(dir, 2) });
  const tables = (db: typeof old) =>
    (db.$client.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map(
      (r) => r.name,
    );
  t.notOk(tables(old).includes('lists'), 'the old schema has no lists');
  const now = '2025-01-01T00:00:00.000000+00:00';
  const { lastInsertRowid } = old.$client
    .prepare("insert into users (workspace, distinct_id, properties, created_at, updated_at) values ('default', 'veteran', ?, ?, ?)")
    .run(JSON.stringify({ plan: 'legacy' }), now, now);
  old.$client
    .prepare(
      "insert into identities (user_id, channel, value_key, value, created_at, updated_at) values (?, '$email', 's:v@example.com', '\"v@example.com\"', ?, ?)",
    )
    .run(lastInsertRowid, now, now);
  old.$client.close();

  // Today's release on the same file.
  const app = await build(t, { databasePath: path });
  for (const table of ['lists', 'objects', 'subscriptions', 'workspaces', 'user_counts']) {
    t.ok(tables(app.emulator.db).includes(table), `the upgrade created ${table}`);
  }
  const res = await bearer(app, 'GET', '/v1/user/veteran/');
  t.equal(res.statusCode, 200, 'the old user is served');
  t.same(res.json(), {
    distinct_id: 'veteran',
    properties: { plan: 'legacy' },
    created_at: now,
    updated_at: now,
    $email: [{ value: 'v@example.com', status: 'active', perma_status: 'active' }],
  });
  const list = await bearer(app, 'GET', '/v1/user/?limit=5');
  t.equal(list.json().meta.count, 1, 'the user count was filled in for existing users');
  const created = await bearer(app, 'POST', '/v1/user/newcomer/', { name: 'N' });
  t.equal(created.statusCode, 201);
  t.equal((await bearer(app, 'GET', '/v1/user/?limit=5')).json().meta.count, 2, 'and is kept from then on');
});
