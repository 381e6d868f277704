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

type Pager<Row> = { older: Database.Statement<unknown[], Row>; newer: Database.Statement<unknown[], Row> };

/**
 * Subscriptions of users and child objects to objects. Every listing is a
 * keyset over the subscription row id (newest first), on an index that starts
 * with the listing's owner. `ws` arguments are the workspace's data key.
 * Callers hold the transaction.
 */
export class SubscriptionStore {
  private readonly sqlite: Database.Database;
  private readonly s;
  private readonly subscribers: Pager<SubscriberRow>;
  private readonly userSubscribedTo: Pager<SubscribedToRow>;
  private readonly childSubscribedTo: Pager<SubscribedToRow>;

  constructor(db: Db) {
    this.sqlite = db.$client;
    const p = <Row = unknown>(text: string) => this.sqlite.prepare<unknown[], Row>(text);
    this.s = {
      findUser: p<{ id: number }>('select id from subscriptions where object_pk = @pk and distinct_id = @distinctId'),
      findChild: p<{ id: number }>('select id from subscriptions where object_pk = @pk and child_object_pk = @childPk'),
      insert: p(
        `insert into subscriptions (workspace, object_pk, distinct_id, child_object_pk, properties, created_at, updated_at)
         values (@ws, @pk, @distinctId, @childPk, @properties, @now, @now)`,
      ),
      update: p('update subscriptions set properties = coalesce(@properties, properties), updated_at = @now where id = @id'),
      deleteUser: p('delete from subscriptions where object_pk = @pk and distinct_id = @distinctId'),
      deleteChild: p('delete from subscriptions where object_pk = @pk and child_object_pk = @childPk'),
      deleteAllOfUser: p('delete from subscriptions where workspace = @ws and distinct_id = @distinctId'),
      dropDuplicatesOfSecondary: p(
        `delete from subscriptions where workspace = @ws and distinct_id = @secondary and object_pk in
           (select object_pk from subscriptions where workspace = @ws and distinct_id = @primary)`,
      ),
      moveToPrimary: p('update subscriptions set distinct_id = @primary where workspace = @ws and distinct_id = @secondary'),
      subscriberById: p<SubscriberRow>(`${SUBSCRIBER_SELECT} where s.id = ?`),
      countOfUser: p<{ n: number }>('select count(*) as n from subscriptions where workspace = @ws and distinct_id = @distinctId'),
      countOfChild: p<{ n: number }>('select count(*) as n from subscriptions where child_object_pk = ?'),
    };
    const pager = <Row>(select: string, owner: string): Pager<Row> => ({
      older: p<Row>(`${select} where ${owner} and s.id < @bound order by s.id desc limit @n`),
      newer: p<Row>(`${select} where ${owner} and s.id > @bound order by s.id asc limit @n`),
    });
    this.subscribers = pager(SUBSCRIBER_SELECT, 's.object_pk = @pk');
    this.userSubscribedTo = pager(SUBSCRIBED_TO_SELECT, 's.workspace = @ws and s.distinct_id = @distinctId');
    this.childSubscribedTo = pager(SUBSCRIBED_TO_SELECT, 's.child_object_pk = @childPk');
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
        ? this.s.findUser.get({ pk: objectPk, distinctId: subscriber.distinctId })
        : this.s.findChild.get({ pk: objectPk, childPk: subscriber.childPk });
    if (existing) {
      this.s.update.run({ id: existing.id, properties: properties ?? null, now });
      return existing.id;
    }
    const info = this.s.insert.run({
      ws,
      pk: objectPk,
      distinctId: subscriber.distinctId ?? null,
      childPk: subscriber.childPk ?? null,
      properties: properties ?? '{}',
      now,
    });
    return Number(info.lastInsertRowid);
  }

  unsubscribeUser(objectPk: number, distinctId: string): boolean {
    return this.s.deleteUser.run({ pk: objectPk, distinctId }).changes > 0;
  }

  unsubscribeChild(objectPk: number, childPk: number): boolean {
    return this.s.deleteChild.run({ pk: objectPk, childPk }).changes > 0;
  }

  /** Removes every subscription of a user (the user was deleted). */
  deleteAllOfUser(ws: string, distinctId: string): number {
    return this.s.deleteAllOfUser.run({ ws, distinctId }).changes;
  }

  /** Gives the secondary's subscriptions to the primary; where both subscribe to one object, the primary's stays. */
  moveUser(ws: string, primary: string, secondary: string): void {
    this.s.dropDuplicatesOfSecondary.run({ ws, primary, secondary });
    this.s.moveToPrimary.run({ ws, primary, secondary });
  }

  subscriber(id: number): SubscriberRow | undefined {
    return this.s.subscriberById.get(id);
  }

  countOfUser(ws: string, distinctId: string): number {
    return this.s.countOfUser.get({ ws, distinctId })?.n ?? 0;
  }

  countOfChild(childPk: number): number {
    return this.s.countOfChild.get(childPk)?.n ?? 0;
  }

  /** The users and child objects subscribed to an object, newest subscription first. */
  pageSubscribers(objectPk: number, req: PageRequest): KeysetPage<SubscriberRow> {
    return page(this.subscribers, { pk: objectPk }, req);
  }

  /** The objects a user is subscribed to, newest subscription first. */
  pageOfUser(ws: string, distinctId: string, req: PageRequest): KeysetPage<SubscribedToRow> {
    return page(this.userSubscribedTo, { ws, distinctId }, req);
  }

  /** The objects a child object is subscribed to, newest subscription first. */
  pageOfChild(childPk: number, req: PageRequest): KeysetPage<SubscribedToRow> {
    return page(this.childSubscribedTo, { childPk }, req);
  }
}

function page<Row extends { id: number }>(pager: Pager<Row>, owner: Record<string, unknown>, req: PageRequest): KeysetPage<Row> {
  return keysetPage<Row>(
    {
      older: (bound, n) => pager.older.all({ ...owner, bound: bound ?? Number.MAX_SAFE_INTEGER, n }),
      newer: (bound, n) => pager.newer.all({ ...owner, bound, n }),
      idOf: (row) => row.id,
    },
    req,
  );
}
