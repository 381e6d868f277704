import type Database from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from './schema.js';

/** The tables of the drizzle schema, read from it so that a table added later is covered here without a list to keep. */
const TABLES = (Object.values(schema) as unknown[])
  .filter((value): value is SQLiteTable => is(value, SQLiteTable))
  .map((table) => getTableConfig(table));

/** `workspaces` holds the workspaces themselves; every other table is data. */
const ALL_DATA_TABLES = TABLES.map((t) => t.name).filter((name) => name !== 'workspaces');

/**
 * Tables whose rows carry a `workspace` column (a workspace's data key),
 * children first so a chunked delete cascades little. Rows of tables without
 * one (identities, list versions…) hang off these by foreign key and go by cascade.
 */
const WORKSPACE_TABLES = childrenFirst(TABLES.filter((t) => t.columns.some((c) => c.name === 'workspace')));

function childrenFirst(tables: ReturnType<typeof getTableConfig>[]): string[] {
  const parentsOf = new Map(tables.map((t) => [t.name, t.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name)]));
  const ordered: string[] = [];
  const visit = (name: string, path: readonly string[]) => {
    if (ordered.includes(name) || path.includes(name)) return;
    for (const [child, parents] of parentsOf) if (parents.includes(name)) visit(child, [...path, name]);
    ordered.push(name);
  };
  for (const t of tables) visit(t.name, []);
  return ordered;
}

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
