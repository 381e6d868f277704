import type Database from 'better-sqlite3';
import type { Db } from '../db/open.js';
import { IdentityRepo, USER_IDENTITIES, type LoadedIdentities } from '../db/identityRepo.js';
import { keysetPage } from '../db/keyset.js';
import type { JsonObject, Profile } from '../engine/types.js';
import type { KeysetPage, PageRequest } from '../api/paging.js';

/** A user as read from the database. */
export interface StoredUser {
  rowId: number;
  distinctId: string;
  profile: Profile;
  createdAt: string;
  updatedAt: string;
  /** Identity row ids by `channel + key`, so a save touches only what changed. */
  identityRows: LoadedIdentities['rowIds'];
}

export interface UserSummaryRow {
  id: number;
  distinctId: string;
  properties: string;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: number;
  distinct_id: string;
  properties: string;
  created_at: string;
  updated_at: string;
}

const SUMMARY = 'id, distinct_id as distinctId, properties, created_at as createdAt, updated_at as updatedAt';

/**
 * Data access for users and their identities. Callers hold the transaction.
 * Every statement is prepared once: these run on every request (the drizzle
 * schema in src/db/schema.ts defines the tables and migrations).
 */
export class UserStore {
  private readonly identities: IdentityRepo;
  private readonly s: {
    find: Database.Statement<[string, string], UserRow>;
    insert: Database.Statement<[string, string, string, string, string]>;
    update: Database.Statement<[string, string, number]>;
    delete: Database.Statement<[string, string]>;
    count: Database.Statement<[string], { n: number }>;
    older: Database.Statement<[string, number, number], UserSummaryRow>;
    newer: Database.Statement<[string, number, number], UserSummaryRow>;
  };

  constructor(db: Db) {
    const c = db.$client;
    this.identities = new IdentityRepo(c, USER_IDENTITIES);
    this.s = {
      find: c.prepare('select id, distinct_id, properties, created_at, updated_at from users where workspace = ? and distinct_id = ?'),
      insert: c.prepare('insert into users (workspace, distinct_id, properties, created_at, updated_at) values (?, ?, ?, ?, ?)'),
      update: c.prepare('update users set properties = ?, updated_at = ? where id = ?'),
      delete: c.prepare('delete from users where workspace = ? and distinct_id = ?'),
      count: c.prepare('select n from user_counts where workspace = ?'),
      older: c.prepare(`select ${SUMMARY} from users where workspace = ? and id < ? order by id desc limit ?`),
      newer: c.prepare(`select ${SUMMARY} from users where workspace = ? and id > ? order by id asc limit ?`),
    };
  }

  find(workspace: string, distinctId: string): StoredUser | undefined {
    const row = this.s.find.get(workspace, distinctId);
    if (!row) return undefined;
    const loaded = this.identities.load(row.id);
    return {
      rowId: row.id,
      distinctId: row.distinct_id,
      profile: { properties: JSON.parse(row.properties) as JsonObject, identities: loaded.identities },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      identityRows: loaded.rowIds,
    };
  }

  /** Inserts or updates the user so that it holds `profile`; returns the stored result. */
  save(workspace: string, distinctId: string, before: StoredUser | undefined, profile: Profile, now: string): StoredUser {
    const properties = JSON.stringify(profile.properties);
    let rowId: number;
    let createdAt: string;
    if (before) {
      rowId = before.rowId;
      createdAt = before.createdAt;
      this.s.update.run(properties, now, rowId);
    } else {
      createdAt = now;
      rowId = Number(this.s.insert.run(workspace, distinctId, properties, now, now).lastInsertRowid);
    }
    const identityRows = this.identities.save(
      rowId,
      before && { identities: before.profile.identities, rowIds: before.identityRows },
      profile.identities,
    );
    return { rowId, distinctId, profile, createdAt, updatedAt: now, identityRows };
  }

  /** Deletes the user and (by cascade) its identities. */
  delete(workspace: string, distinctId: string): boolean {
    return this.s.delete.run(workspace, distinctId).changes > 0;
  }

  count(workspace: string): number {
    return this.s.count.get(workspace)?.n ?? 0;
  }

  page(workspace: string, req: PageRequest): KeysetPage<UserSummaryRow> {
    return keysetPage<UserSummaryRow>(
      {
        older: (bound, n) => this.s.older.all(workspace, bound ?? Number.MAX_SAFE_INTEGER, n),
        newer: (bound, n) => this.s.newer.all(workspace, bound, n),
        idOf: (row) => row.id,
      },
      req,
    );
  }
}
