import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The project's migrations/ folder: the nearest one above this file (src/db/, dist/db/ or a bundle in dist/). */
export const MIGRATIONS_DIR = findUp(dirname(fileURLToPath(import.meta.url)), 'migrations/meta/_journal.json', 'migrations');

function findUp(from: string, marker: string, result: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return join(dir, result);
    if (dirname(dir) === dir) return resolve(from, '../..', result);
  }
}

export interface OpenOptions {
  path: string;
  /** `normal`: a killed process loses nothing; `full`: a power cut loses nothing either (slower writes). */
  durability: 'normal' | 'full';
  migrationsDir?: string;
}

/** Opens (creating if needed) the database and brings its schema up to date. */
export function openDatabase(opts: OpenOptions): Db {
  const inMemory = opts.path === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(opts.path)), { recursive: true });
  const sqlite = new Database(opts.path);
  if (!inMemory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${opts.durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Savepoints (one per /event/ record) keep their journals in memory, not in temp files.
  sqlite.pragma('temp_store = MEMORY');
  // 8 MiB of page cache (the default is 2 MiB): B-tree interior pages of large workspaces stay cached.
  sqlite.pragma('cache_size = -8192');
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: opts.migrationsDir ?? MIGRATIONS_DIR });
  return db;
}
