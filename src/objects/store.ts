import { and, desc, asc, count, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { keysetPage } from '../db/keyset.js';
import { IdentityRepo, OBJECT_IDENTITIES, type LoadedIdentities } from '../db/identityRepo.js';
import { objects, subscriptions } from '../db/schema.js';
import type { JsonObject, Profile } from '../engine/types.js';
import type { KeysetPage, PageRequest } from '../api/paging.js';

/** An object as read from the database. */
export interface StoredObject {
  rowId: number;
  objectType: string;
  objectId: string;
  profile: Profile;
  createdAt: string;
  updatedAt: string;
  /** Identity row ids by `channel + key`, so a save touches only what changed. */
  identityRows: LoadedIdentities['rowIds'];
}

/** A stored object together with its subscription count, as listings return it. */
export interface CountedObject {
  object: StoredObject;
  subscriptionsCount: number;
}

interface ObjectRow {
  id: number;
  objectType: string;
  objectId: string;
  properties: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Data access for objects and their identities. `workspace` arguments are the
 * workspace's data key (what the rows' `workspace` column holds). Callers hold
 * the transaction.
 */
export class ObjectStore {
  private readonly findObject;
  private readonly countObjects;
  private readonly countSubscriptions;
  private readonly older;
  private readonly newer;
  private readonly identities: IdentityRepo;
  // Writes are prepared once too: building SQL per call cost as much as the write itself for users.
  private readonly insertObject;
  private readonly updateObject;
  private readonly deleteObject;

  constructor(db: Db) {
    const ws = sql.placeholder('ws');
    const type = sql.placeholder('type');
    const id = sql.placeholder('id');
    const properties = sql.placeholder('properties');
    const now = sql.placeholder('now');
    this.insertObject = db
      .insert(objects)
      .values({ workspace: ws, objectType: type, objectId: id, properties, createdAt: now, updatedAt: now })
      .returning({ id: objects.id })
      .prepare();
    this.updateObject = db
      .update(objects)
      .set({ properties: sql`${properties}`, updatedAt: sql`${now}` })
      .where(eq(objects.id, sql.placeholder('rowId')))
      .prepare();
    this.deleteObject = db
      .delete(objects)
      .where(and(eq(objects.workspace, ws), eq(objects.objectType, type), eq(objects.objectId, id)))
      .prepare();
    this.findObject = db
      .select()
      .from(objects)
      .where(and(eq(objects.workspace, ws), eq(objects.objectType, type), eq(objects.objectId, sql.placeholder('id'))))
      .prepare();
    this.countObjects = db
      .select({ n: count() })
      .from(objects)
      .where(and(eq(objects.workspace, ws), eq(objects.objectType, type)))
      .prepare();
    // subscriptions_count is always counted, never stored, so it cannot drift.
    this.countSubscriptions = db
      .select({ n: count() })
      .from(subscriptions)
      .where(eq(subscriptions.objectPk, sql.placeholder('pk')))
      .prepare();
    const row = {
      id: objects.id,
      objectType: objects.objectType,
      objectId: objects.objectId,
      properties: objects.properties,
      createdAt: objects.createdAt,
      updatedAt: objects.updatedAt,
    };
    this.older = db
      .select(row)
      .from(objects)
      .where(and(eq(objects.workspace, ws), eq(objects.objectType, type), lt(objects.id, sql.placeholder('bound'))))
      .orderBy(desc(objects.id))
      .limit(sql.placeholder('n'))
      .prepare();
    this.newer = db
      .select(row)
      .from(objects)
      .where(and(eq(objects.workspace, ws), eq(objects.objectType, type), gt(objects.id, sql.placeholder('bound'))))
      .orderBy(asc(objects.id))
      .limit(sql.placeholder('n'))
      .prepare();
    this.identities = new IdentityRepo(db.$client, OBJECT_IDENTITIES);
  }

  find(workspace: string, objectType: string, objectId: string): StoredObject | undefined {
    const row = this.findObject.get({ ws: workspace, type: objectType, id: objectId });
    return row && this.loaded(row);
  }

  /** Inserts or updates the object so that it holds `profile`; returns the stored result. */
  save(
    workspace: string,
    objectType: string,
    objectId: string,
    before: StoredObject | undefined,
    profile: Profile,
    now: string,
  ): StoredObject {
    const properties = JSON.stringify(profile.properties);
    let rowId: number;
    let createdAt: string;
    if (before) {
      rowId = before.rowId;
      createdAt = before.createdAt;
      this.updateObject.run({ properties, now, rowId });
    } else {
      createdAt = now;
      rowId = this.insertObject.get({ ws: workspace, type: objectType, id: objectId, properties, now })!.id;
    }
    const identityRows = this.identities.save(
      rowId,
      before && { identities: before.profile.identities, rowIds: before.identityRows },
      profile.identities,
    );
    return { rowId, objectType, objectId, profile, createdAt, updatedAt: now, identityRows };
  }

  /** Deletes the object; identities and subscriptions (as parent and as child) go by cascade. */
  delete(workspace: string, objectType: string, objectId: string): boolean {
    return this.deleteObject.run({ ws: workspace, type: objectType, id: objectId }).changes > 0;
  }

  count(workspace: string, objectType: string): number {
    return this.countObjects.get({ ws: workspace, type: objectType })?.n ?? 0;
  }

  /** How many users and child objects are subscribed to the object. */
  subscriptionsCount(objectPk: number): number {
    return this.countSubscriptions.get({ pk: objectPk })?.n ?? 0;
  }

  page(workspace: string, objectType: string, req: PageRequest): KeysetPage<CountedObject> {
    const page = keysetPage<ObjectRow>(
      {
        older: (bound, n) => this.older.all({ ws: workspace, type: objectType, bound: bound ?? Number.MAX_SAFE_INTEGER, n }),
        newer: (bound, n) => this.newer.all({ ws: workspace, type: objectType, bound, n }),
        idOf: (row) => row.id,
      },
      req,
    );
    return {
      ...page,
      rows: page.rows.map((row) => {
        const object = this.loaded(row);
        return { object, subscriptionsCount: this.subscriptionsCount(object.rowId) };
      }),
    };
  }

  private loaded(row: ObjectRow): StoredObject {
    const loaded = this.identities.load(row.id);
    return {
      rowId: row.id,
      objectType: row.objectType,
      objectId: row.objectId,
      profile: { properties: JSON.parse(row.properties) as JsonObject, identities: loaded.identities },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      identityRows: loaded.rowIds,
    };
  }
}
