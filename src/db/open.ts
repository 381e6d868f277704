import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** migrations/ sits two levels above this file both in src/db/ and in dist/db/. */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

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
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: opts.migrationsDir ?? MIGRATIONS_DIR });
  return db;
}
