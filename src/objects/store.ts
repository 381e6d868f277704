import type Database from 'better-sqlite3';
import type { KeysetPage, PageRequest } from '../api/paging.js';
import type { Db } from '../db/open.js';
import { keysetPage } from '../db/keyset.js';
import type { Profile } from '../engine/types.js';
import { OBJECT_PROFILES, ProfileRepo, type ProfileRow, type StoredProfile } from '../profiles/store.js';

/** An object's key within a workspace: its type and its id. */
export type ObjectKey = readonly [objectType: string, objectId: string];

/** An object as read from the database. */
export interface StoredObject extends StoredProfile {
  objectType: string;
  objectId: string;
}

/** A stored object together with its subscription count, as listings return it. */
export interface CountedObject {
  object: StoredObject;
  subscriptionsCount: number;
}

interface ObjectRow extends ProfileRow {
  object_type: string;
  object_id: string;
}

const ROW = 'id, object_type, object_id, properties, created_at, updated_at';

/**
 * Data access for objects and their identities. `workspace` arguments are the
 * workspace's data key (what the rows' `workspace` column holds). Callers hold
 * the transaction. Statements are prepared once with positional parameters.
 */
export class ObjectStore {
  private readonly profiles: ProfileRepo;
  private readonly s: {
    count: Database.Statement<[string, string], { n: number }>;
    countSubscriptions: Database.Statement<[number], { n: number }>;
    older: Database.Statement<[string, string, number, number], ObjectRow>;
    newer: Database.Statement<[string, string, number, number], ObjectRow>;
  };

  constructor(db: Db) {
    const c = db.$client;
    this.profiles = new ProfileRepo(c, OBJECT_PROFILES);
    this.s = {
      count: c.prepare('select count(*) as n from objects where workspace = ? and object_type = ?'),
      // subscriptions_count is always counted, never stored, so it cannot drift.
      countSubscriptions: c.prepare('select count(*) as n from subscriptions where object_pk = ?'),
      older: c.prepare(`select ${ROW} from objects where workspace = ? and object_type = ? and id < ? order by id desc limit ?`),
      newer: c.prepare(`select ${ROW} from objects where workspace = ? and object_type = ? and id > ? order by id asc limit ?`),
    };
  }

  find(workspace: string, key: ObjectKey): StoredObject | undefined {
    const found = this.profiles.find(workspace, key);
    return found && { ...found, objectType: key[0], objectId: key[1] };
  }

  /** Inserts or updates the object so that it holds `profile`; returns the stored result. */
  save(workspace: string, key: ObjectKey, before: StoredObject | undefined, profile: Profile, now: string): StoredObject {
    return { ...this.profiles.save(workspace, key, before, profile, now), objectType: key[0], objectId: key[1] };
  }

  /** Deletes the object; identities and subscriptions (as parent and as child) go by cascade. */
  delete(workspace: string, key: ObjectKey): boolean {
    return this.profiles.delete(workspace, key);
  }

  count(workspace: string, objectType: string): number {
    return this.s.count.get(workspace, objectType)?.n ?? 0;
  }

  /** How many users and child objects are subscribed to the object. */
  subscriptionsCount(objectPk: number): number {
    return this.s.countSubscriptions.get(objectPk)?.n ?? 0;
  }

  page(workspace: string, objectType: string, req: PageRequest): KeysetPage<CountedObject> {
    const page = keysetPage<ObjectRow>(
      {
        older: (bound, n) => this.s.older.all(workspace, objectType, bound ?? Number.MAX_SAFE_INTEGER, n),
        newer: (bound, n) => this.s.newer.all(workspace, objectType, bound, n),
        idOf: (row) => row.id,
      },
      req,
    );
    return {
      ...page,
      rows: page.rows.map((row) => {
        const object = { ...this.profiles.withIdentities(row), objectType: row.object_type, objectId: row.object_id };
        return { object, subscriptionsCount: this.subscriptionsCount(object.rowId) };
      }),
    };
  }
}
