import type Database from 'better-sqlite3';
import type { JsonObject, Profile } from '../engine/types.js';
import { IdentityRepo, type IdentityTable, type LoadedIdentities } from './identityRepo.js';

/** Where a kind of profile is stored: its table, the columns of its key, and its identity table. */
export interface ProfileTable {
  table: 'users' | 'objects' | 'user_tenant_profiles';
  /** The key columns after `workspace`, in the order key values are given. */
  keyColumns: readonly string[];
  identities: IdentityTable;
}

export const USER_PROFILES: ProfileTable = {
  table: 'users',
  keyColumns: ['distinct_id'],
  identities: { table: 'identities', ownerColumn: 'user_id' },
};

export const OBJECT_PROFILES: ProfileTable = {
  table: 'objects',
  keyColumns: ['object_type', 'object_id'],
  identities: { table: 'object_identities', ownerColumn: 'object_pk' },
};

/** A user's profile in one tenant, keyed by (distinct_id, tenant_id). */
export const USER_TENANT_PROFILES: ProfileTable = {
  table: 'user_tenant_profiles',
  keyColumns: ['distinct_id', 'tenant_id'],
  identities: { table: 'user_tenant_identities', ownerColumn: 'profile_id' },
};

/** A profile row as read from the database, with its identities. */
export interface StoredProfile {
  rowId: number;
  profile: Profile;
  createdAt: string;
  updatedAt: string;
  /** Identity row ids by `channel + key`, so a save touches only what changed. */
  identityRows: LoadedIdentities['rowIds'];
}

/** The columns every profile table has; listings select these plus their key columns. */
export interface ProfileRow {
  id: number;
  properties: string;
  created_at: string;
  updated_at: string;
}

/**
 * Find, save and delete of one kind of profile (users or objects) and its
 * identities. Keys are the values of the table's key columns, in order; the
 * workspace argument is the workspace's data key. Callers hold the transaction.
 * Statements are prepared once with positional parameters: these run on every request.
 */
export class ProfileRepo {
  private readonly identities: IdentityRepo;
  private readonly s: {
    find: Database.Statement<string[], ProfileRow>;
    exists: Database.Statement<string[], { id: number }>;
    insert: Database.Statement<string[]>;
    update: Database.Statement<[string, string, number]>;
    delete: Database.Statement<string[]>;
  };

  constructor(sqlite: Database.Database, t: ProfileTable) {
    const where = ['workspace', ...t.keyColumns].map((c) => `${c} = ?`).join(' and ');
    const keyed = ['workspace', ...t.keyColumns, 'properties', 'created_at', 'updated_at'];
    this.identities = new IdentityRepo(sqlite, t.identities);
    this.s = {
      find: sqlite.prepare(`select id, properties, created_at, updated_at from ${t.table} where ${where}`),
      exists: sqlite.prepare(`select id from ${t.table} where ${where}`),
      insert: sqlite.prepare(`insert into ${t.table} (${keyed.join(', ')}) values (${keyed.map(() => '?').join(', ')})`),
      update: sqlite.prepare(`update ${t.table} set properties = ?, updated_at = ? where id = ?`),
      delete: sqlite.prepare(`delete from ${t.table} where ${where}`),
    };
  }

  find(workspace: string, key: readonly string[]): StoredProfile | undefined {
    const row = this.s.find.get(workspace, ...key);
    return row && this.withIdentities(row);
  }

  exists(workspace: string, key: readonly string[]): boolean {
    return this.s.exists.get(workspace, ...key) !== undefined;
  }

  /** A row read by a listing, completed with its identities. */
  withIdentities(row: ProfileRow): StoredProfile {
    const loaded = this.identities.load(row.id);
    return {
      rowId: row.id,
      profile: { properties: JSON.parse(row.properties) as JsonObject, identities: loaded.identities },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      identityRows: loaded.rowIds,
    };
  }

  /** Inserts or updates the profile so that it holds `profile`; returns the stored result. */
  save(workspace: string, key: readonly string[], before: StoredProfile | undefined, profile: Profile, now: string): StoredProfile {
    const properties = JSON.stringify(profile.properties);
    let rowId: number;
    let createdAt: string;
    if (before) {
      rowId = before.rowId;
      createdAt = before.createdAt;
      this.s.update.run(properties, now, rowId);
    } else {
      createdAt = now;
      rowId = Number(this.s.insert.run(workspace, ...key, properties, now, now).lastInsertRowid);
    }
    const identityRows = this.identities.save(
      rowId,
      before && { identities: before.profile.identities, rowIds: before.identityRows },
      profile.identities,
    );
    return { rowId, profile, createdAt, updatedAt: now, identityRows };
  }

  /** Deletes the profile; its identities (and whatever else references the row) go by cascade. */
  delete(workspace: string, key: readonly string[]): boolean {
    return this.s.delete.run(workspace, ...key).changes > 0;
  }
}
