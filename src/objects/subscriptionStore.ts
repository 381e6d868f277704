import type Database from 'better-sqlite3';
import type { Db } from '../db/open.js';
import { keysetPage } from '../db/keyset.js';
import type { KeysetPage, PageRequest } from '../api/paging.js';

/** A subscriber of an object as listed: a user (distinctId set) or a child object (childId set). */
export interface SubscriberRow {
  id: number;
  properties: string;
  createdAt: string;
  updatedAt: string;
  distinctId: string | null;
  userUpdatedAt: string | null;
  childId: string | null;
  childType: string | null;
  childUpdatedAt: string | null;
  childCount: number;
}

/** A subscription seen from its subscriber: the parent object. */
export interface SubscribedToRow {
  id: number;
  properties: string;
  createdAt: string;
  updatedAt: string;
  objectId: string;
  objectType: string;
  objectProperties: string;
  objectUpdatedAt: string;
  objectCount: number;
}

const SUBSCRIBER_SELECT = `
  select s.id, s.properties, s.created_at as createdAt, s.updated_at as updatedAt,
         s.distinct_id as distinctId,
         case when s.distinct_id is null then null else coalesce(u.updated_at, s.updated_at) end as userUpdatedAt,
         c.object_id as childId, c.object_type as childType, c.updated_at as childUpdatedAt,
         case when c.id is null then 0 else (select count(*) from subscriptions x where x.object_pk = c.id) end as childCount
  from subscriptions s
  left join users u on s.distinct_id is not null and u.workspace = s.workspace and u.distinct_id = s.distinct_id
  left join objects c on c.id = s.child_object_pk`;

const SUBSCRIBED_TO_SELECT = `
  select s.id, s.properties, s.created_at as createdAt, s.updated_at as updatedAt,
         p.object_id as objectId, p.object_type as objectType, p.properties as objectProperties,
         p.updated_at as objectUpdatedAt,
         (select count(*) from subscriptions x where x.object_pk = p.id) as objectCount
  from subscriptions s
  join objects p on p.id = s.object_pk`;

/** A keyset listing's two statements: the owner's parameters, then the bound and the row count. */
type Pager<Owner extends unknown[], Row> = {
  older: Database.Statement<[...Owner, bound: number, n: number], Row>;
  newer: Database.Statement<[...Owner, bound: number, n: number], Row>;
};

/**
 * Subscriptions of users and child objects to objects. Every listing is a
 * keyset over the subscription row id (newest first), on an index that starts
 * with the listing's owner. `ws` arguments are the workspace's data key.
 * Statements are prepared once with positional parameters: these run on every
 * request. Callers hold the transaction.
 */
export class SubscriptionStore {
  private readonly s: {
    findUser: Database.Statement<[objectPk: number, distinctId: string], { id: number }>;
    findChild: Database.Statement<[objectPk: number, childPk: number], { id: number }>;
    insert: Database.Statement<
      [
        ws: string,
        objectPk: number,
        distinctId: string | null,
        childPk: number | null,
        properties: string,
        createdAt: string,
        updatedAt: string,
      ]
    >;
    update: Database.Statement<[properties: string | null, now: string, id: number]>;
    deleteUser: Database.Statement<[objectPk: number, distinctId: string]>;
    deleteChild: Database.Statement<[objectPk: number, childPk: number]>;
    deleteAllOfUser: Database.Statement<[ws: string, distinctId: string]>;
    dropDuplicatesOfSecondary: Database.Statement<[ws: string, secondary: string, ws: string, primary: string]>;
    moveToPrimary: Database.Statement<[primary: string, ws: string, secondary: string]>;
    subscriberById: Database.Statement<[id: number], SubscriberRow>;
    countOfUser: Database.Statement<[ws: string, distinctId: string], { n: number }>;
    countOfChild: Database.Statement<[childPk: number], { n: number }>;
  };
  private readonly subscribers: Pager<[objectPk: number], SubscriberRow>;
  private readonly userSubscribedTo: Pager<[ws: string, distinctId: string], SubscribedToRow>;
  private readonly childSubscribedTo: Pager<[childPk: number], SubscribedToRow>;

  constructor(db: Db) {
    const c: Database.Database = db.$client;
    this.s = {
      findUser: c.prepare('select id from subscriptions where object_pk = ? and distinct_id = ?'),
      findChild: c.prepare('select id from subscriptions where object_pk = ? and child_object_pk = ?'),
      insert: c.prepare(
        `insert into subscriptions (workspace, object_pk, distinct_id, child_object_pk, properties, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: c.prepare('update subscriptions set properties = coalesce(?, properties), updated_at = ? where id = ?'),
      deleteUser: c.prepare('delete from subscriptions where object_pk = ? and distinct_id = ?'),
      deleteChild: c.prepare('delete from subscriptions where object_pk = ? and child_object_pk = ?'),
      deleteAllOfUser: c.prepare('delete from subscriptions where workspace = ? and distinct_id = ?'),
      dropDuplicatesOfSecondary: c.prepare(
        `delete from subscriptions where workspace = ? and distinct_id = ? and object_pk in
           (select object_pk from subscriptions where workspace = ? and distinct_id = ?)`,
      ),
      moveToPrimary: c.prepare('update subscriptions set distinct_id = ? where workspace = ? and distinct_id = ?'),
      subscriberById: c.prepare(`${SUBSCRIBER_SELECT} where s.id = ?`),
      countOfUser: c.prepare('select count(*) as n from subscriptions where workspace = ? and distinct_id = ?'),
      countOfChild: c.prepare('select count(*) as n from subscriptions where child_object_pk = ?'),
    };
    // `owner` is the listing's WHERE terms; its `?`s come first, then the bound and the row count.
    const pager = <Owner extends unknown[], Row>(select: string, owner: string): Pager<Owner, Row> => ({
      older: c.prepare(`${select} where ${owner} and s.id < ? order by s.id desc limit ?`),
      newer: c.prepare(`${select} where ${owner} and s.id > ? order by s.id asc limit ?`),
    });
    this.subscribers = pager(SUBSCRIBER_SELECT, 's.object_pk = ?');
    this.userSubscribedTo = pager(SUBSCRIBED_TO_SELECT, 's.workspace = ? and s.distinct_id = ?');
    this.childSubscribedTo = pager(SUBSCRIBED_TO_SELECT, 's.child_object_pk = ?');
  }

  /**
   * Subscribes a user or a child object (exactly one of `distinctId`, `childPk`)
   * to an object, or updates that subscription: `properties` (JSON text)
   * replaces the old ones when given, and updated_at moves. Returns the row id.
   */
  upsert(
    ws: string,
    objectPk: number,
    subscriber: { distinctId: string; childPk?: undefined } | { childPk: number; distinctId?: undefined },
    properties: string | undefined,
    now: string,
  ): number {
    const existing =
      subscriber.distinctId !== undefined
        ? this.s.findUser.get(objectPk, subscriber.distinctId)
        : this.s.findChild.get(objectPk, subscriber.childPk);
    if (existing) {
      this.s.update.run(properties ?? null, now, existing.id);
      return existing.id;
    }
    const info = this.s.insert.run(ws, objectPk, subscriber.distinctId ?? null, subscriber.childPk ?? null, properties ?? '{}', now, now);
    return Number(info.lastInsertRowid);
  }

  unsubscribeUser(objectPk: number, distinctId: string): boolean {
    return this.s.deleteUser.run(objectPk, distinctId).changes > 0;
  }

  unsubscribeChild(objectPk: number, childPk: number): boolean {
    return this.s.deleteChild.run(objectPk, childPk).changes > 0;
  }

  /** Removes every subscription of a user (the user was deleted). */
  deleteAllOfUser(ws: string, distinctId: string): number {
    return this.s.deleteAllOfUser.run(ws, distinctId).changes;
  }

  /** Gives the secondary's subscriptions to the primary; where both subscribe to one object, the primary's stays. */
  moveUser(ws: string, primary: string, secondary: string): void {
    this.s.dropDuplicatesOfSecondary.run(ws, secondary, ws, primary);
    this.s.moveToPrimary.run(primary, ws, secondary);
  }

  subscriber(id: number): SubscriberRow | undefined {
    return this.s.subscriberById.get(id);
  }

  countOfUser(ws: string, distinctId: string): number {
    return this.s.countOfUser.get(ws, distinctId)?.n ?? 0;
  }

  countOfChild(childPk: number): number {
    return this.s.countOfChild.get(childPk)?.n ?? 0;
  }

  /** The users and child objects subscribed to an object, newest subscription first. */
  pageSubscribers(objectPk: number, req: PageRequest): KeysetPage<SubscriberRow> {
    return page(this.subscribers, [objectPk], req);
  }

  /** The objects a user is subscribed to, newest subscription first. */
  pageOfUser(ws: string, distinctId: string, req: PageRequest): KeysetPage<SubscribedToRow> {
    return page(this.userSubscribedTo, [ws, distinctId], req);
  }

  /** The objects a child object is subscribed to, newest subscription first. */
  pageOfChild(childPk: number, req: PageRequest): KeysetPage<SubscribedToRow> {
    return page(this.childSubscribedTo, [childPk], req);
  }
}

function page<Owner extends unknown[], Row extends { id: number }>(
  pager: Pager<Owner, Row>,
  owner: Owner,
  req: PageRequest,
): KeysetPage<Row> {
  return keysetPage<Row>(
    {
      older: (bound, n) => pager.older.all(...owner, bound ?? Number.MAX_SAFE_INTEGER, n),
      newer: (bound, n) => pager.newer.all(...owner, bound, n),
      idOf: (row) => row.id,
    },
    req,
  );
}
