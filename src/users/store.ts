import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { keysetPage, type KeysetPage } from '../db/keyset.js';
import { IdentityRepo, USER_IDENTITIES, type LoadedIdentities } from '../db/identityRepo.js';
import { userCounts, users } from '../db/schema.js';
import type { JsonObject, Profile } from '../engine/types.js';
import type { PageRequest } from '../http/cursor.js';

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

/** Data access for users and their identities. Callers hold the transaction. */
export class UserStore {
  private readonly findUser;
  private readonly identities: IdentityRepo;
  private readonly countUsers;
  private readonly older;
  private readonly newer;

  constructor(private readonly db: Db) {
    const ws = sql.placeholder('ws');
    this.findUser = db
      .select()
      .from(users)
      .where(and(eq(users.workspace, ws), eq(users.distinctId, sql.placeholder('id'))))
      .prepare();
    this.identities = new IdentityRepo(db.$client, USER_IDENTITIES);
    this.countUsers = db.select({ n: userCounts.n }).from(userCounts).where(eq(userCounts.workspace, ws)).prepare();
    const summary = {
      id: users.id,
      distinctId: users.distinctId,
      properties: users.properties,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
    };
    this.older = db
      .select(summary)
      .from(users)
      .where(and(eq(users.workspace, ws), lt(users.id, sql.placeholder('bound'))))
      .orderBy(desc(users.id))
      .limit(sql.placeholder('n'))
      .prepare();
    this.newer = db
      .select(summary)
      .from(users)
      .where(and(eq(users.workspace, ws), gt(users.id, sql.placeholder('bound'))))
      .orderBy(asc(users.id))
      .limit(sql.placeholder('n'))
      .prepare();
  }

  find(workspace: string, distinctId: string): StoredUser | undefined {
    const row = this.findUser.get({ ws: workspace, id: distinctId });
    if (!row) return undefined;
    const loaded = this.identities.load(row.id);
    return {
      rowId: row.id,
      distinctId: row.distinctId,
      profile: { properties: JSON.parse(row.properties) as JsonObject, identities: loaded.identities },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
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
      this.db.update(users).set({ properties, updatedAt: now }).where(eq(users.id, rowId)).run();
    } else {
      createdAt = now;
      const inserted = this.db
        .insert(users)
        .values({ workspace, distinctId, properties, createdAt: now, updatedAt: now })
        .returning({ id: users.id })
        .get();
      rowId = inserted.id;
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
    const result = this.db
      .delete(users)
      .where(and(eq(users.workspace, workspace), eq(users.distinctId, distinctId)))
      .run();
    return result.changes > 0;
  }

  count(workspace: string): number {
    return this.countUsers.get({ ws: workspace })?.n ?? 0;
  }

  page(workspace: string, req: PageRequest): KeysetPage<UserSummaryRow> {
    return keysetPage<UserSummaryRow>(
      {
        older: (bound, n) => this.older.all({ ws: workspace, bound: bound ?? Number.MAX_SAFE_INTEGER, n }),
        newer: (bound, n) => this.newer.all({ ws: workspace, bound, n }),
        idOf: (row) => row.id,
      },
      req,
    );
  }
}
