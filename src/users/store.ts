import type Database from 'better-sqlite3';
import type { Db } from '../db/open.js';
import { ProfileRepo, USER_PROFILES, type StoredProfile } from '../profiles/store.js';
import { keysetPage } from '../db/keyset.js';
import type { Profile } from '../engine/types.js';
import type { KeysetPage, PageRequest } from '../api/paging.js';

/** A user as read from the database. */
export interface StoredUser extends StoredProfile {
  distinctId: string;
}

export interface UserSummaryRow {
  id: number;
  distinctId: string;
  properties: string;
  createdAt: string;
  updatedAt: string;
}

const SUMMARY = 'id, distinct_id as distinctId, properties, created_at as createdAt, updated_at as updatedAt';

/**
 * Data access for users and their identities. Callers hold the transaction.
 * Every statement is prepared once: these run on every request (the drizzle
 * schema in src/db/schema.ts defines the tables and migrations).
 */
export class UserStore {
  private readonly profiles: ProfileRepo;
  private readonly s: {
    count: Database.Statement<[string], { n: number }>;
    older: Database.Statement<[string, number, number], UserSummaryRow>;
    newer: Database.Statement<[string, number, number], UserSummaryRow>;
  };

  constructor(db: Db) {
    const c = db.$client;
    this.profiles = new ProfileRepo(c, USER_PROFILES);
    this.s = {
      count: c.prepare('select n from user_counts where workspace = ?'),
      older: c.prepare(`select ${SUMMARY} from users where workspace = ? and id < ? order by id desc limit ?`),
      newer: c.prepare(`select ${SUMMARY} from users where workspace = ? and id > ? order by id asc limit ?`),
    };
  }

  find(workspace: string, distinctId: string): StoredUser | undefined {
    const found = this.profiles.find(workspace, [distinctId]);
    return found && { ...found, distinctId };
  }

  exists(workspace: string, distinctId: string): boolean {
    return this.profiles.exists(workspace, [distinctId]);
  }

  /** Inserts or updates the user so that it holds `profile`; returns the stored result. */
  save(workspace: string, distinctId: string, before: StoredUser | undefined, profile: Profile, now: string): StoredUser {
    return { ...this.profiles.save(workspace, [distinctId], before, profile, now), distinctId };
  }

  /** Deletes the user and (by cascade) its identities. */
  delete(workspace: string, distinctId: string): boolean {
    return this.profiles.delete(workspace, [distinctId]);
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
