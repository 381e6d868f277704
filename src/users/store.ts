import { and, asc, count, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { keysetPage, type KeysetPage } from '../db/keyset.js';
import { identities, users } from '../db/schema.js';
import type { Channel, Identity, JsonObject, Profile } from '../engine/types.js';
import type { PageRequest } from '../http/cursor.js';

/** A user as read from the database. */
export interface StoredUser {
  rowId: number;
  distinctId: string;
  profile: Profile;
  createdAt: string;
  updatedAt: string;
  /** Identity row ids by `channel + key`, so a save touches only what changed. */
  identityRows: Map<string, number>;
}

export interface UserSummaryRow {
  id: number;
  distinctId: string;
  properties: string;
  createdAt: string;
  updatedAt: string;
}

type IdentityRow = typeof identities.$inferSelect;

const identityKey = (channel: string, key: string) => `${channel}\u0000${key}`;

function toIdentity(row: IdentityRow): Identity {
  return {
    channel: row.channel as Channel,
    value: JSON.parse(row.value) as string | JsonObject,
    key: row.valueKey,
    idProvider: row.idProvider,
    status: row.status,
    permaStatus: row.permaStatus,
    meta: JSON.parse(row.meta) as JsonObject,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function identityColumns(userId: number, i: Identity) {
  return {
    userId,
    channel: i.channel,
    valueKey: i.key,
    value: JSON.stringify(i.value),
    idProvider: i.idProvider,
    status: i.status,
    permaStatus: i.permaStatus,
    meta: JSON.stringify(i.meta),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return (
    a.idProvider === b.idProvider &&
    a.status === b.status &&
    a.permaStatus === b.permaStatus &&
    a.updatedAt === b.updatedAt &&
    JSON.stringify(a.meta) === JSON.stringify(b.meta)
  );
}

/** Data access for users and their identities. Callers hold the transaction. */
export class UserStore {
  private readonly findUser;
  private readonly findIdentities;
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
    this.findIdentities = db
      .select()
      .from(identities)
      .where(eq(identities.userId, sql.placeholder('userId')))
      .orderBy(asc(identities.id))
      .prepare();
    this.countUsers = db.select({ n: count() }).from(users).where(eq(users.workspace, ws)).prepare();
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
    const rows = this.findIdentities.all({ userId: row.id });
    return {
      rowId: row.id,
      distinctId: row.distinctId,
      profile: { properties: JSON.parse(row.properties) as JsonObject, identities: rows.map(toIdentity) },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      identityRows: new Map(rows.map((r) => [identityKey(r.channel, r.valueKey), r.id])),
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
    const identityRows = this.saveIdentities(rowId, before, profile.identities);
    return { rowId, distinctId, profile, createdAt, updatedAt: now, identityRows };
  }

  private saveIdentities(userId: number, before: StoredUser | undefined, next: Identity[]): Map<string, number> {
    const previous = new Map(before?.profile.identities.map((i) => [identityKey(i.channel, i.key), i]) ?? []);
    const rows = new Map<string, number>();
    for (const identity of next) {
      const k = identityKey(identity.channel, identity.key);
      const old = previous.get(k);
      const oldRow = before?.identityRows.get(k);
      if (old && oldRow !== undefined) {
        previous.delete(k);
        rows.set(k, oldRow);
        if (!sameIdentity(old, identity)) {
          this.db.update(identities).set(identityColumns(userId, identity)).where(eq(identities.id, oldRow)).run();
        }
      } else {
        const inserted = this.db.insert(identities).values(identityColumns(userId, identity)).returning({ id: identities.id }).get();
        rows.set(k, inserted.id);
      }
    }
    const gone = [...previous.keys()].map((k) => before!.identityRows.get(k)!).filter((id) => id !== undefined);
    if (gone.length > 0) this.db.delete(identities).where(inArray(identities.id, gone)).run();
    return rows;
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
