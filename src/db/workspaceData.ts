import type Database from 'better-sqlite3';

/** Tables whose rows carry a `workspace` column (a workspace's data key). Children of these go by cascade. */
export const WORKSPACE_TABLES = ['subscriptions', 'list_members', 'lists', 'objects', 'users', 'track_events', 'event_failures'] as const;

/** Every data table, children first, for wiping everything. */
const ALL_DATA_TABLES = [
  'identities',
  'object_identities',
  'subscriptions',
  'list_version_members',
  'list_versions',
  'list_members',
  'lists',
  'objects',
  'users',
  'user_counts',
  'track_events',
  'event_failures',
  'retired_data',
] as const;

/**
 * Deletes all data of every workspace. SQLite truncates a table in one step
 * only when no foreign key or trigger fires, so foreign keys are switched off
 * and the data tables' triggers are dropped and re-created (as they were,
 * read from the schema) inside the same transaction.
 */
export function wipeAllData(sqlite: Database.Database): void {
  sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.transaction(() => {
      const triggers = sqlite
        .prepare(`select name, sql from sqlite_master where type = 'trigger' and tbl_name in (${ALL_DATA_TABLES.map(() => '?').join(',')})`)
        .all(...ALL_DATA_TABLES) as { name: string; sql: string }[];
      for (const t of triggers) sqlite.exec(`drop trigger "${t.name}"`);
      for (const t of ALL_DATA_TABLES) sqlite.prepare(`delete from ${t}`).run();
      for (const t of triggers) sqlite.exec(t.sql);
    })();
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
}

/**
 * Deletes up to `batch` rows of a retired data key per table; returns how
 * many rows went, so the caller knows when the key is empty.
 */
export function deleteDataChunk(sqlite: Database.Database, dataKey: string, batch: number): number {
  let deleted = 0;
  sqlite.transaction(() => {
    for (const t of WORKSPACE_TABLES) {
      deleted += sqlite
        .prepare(`delete from ${t} where rowid in (select rowid from ${t} where workspace = ? limit ?)`)
        .run(dataKey, batch).changes;
    }
  })();
  return deleted;
}
