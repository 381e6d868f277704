import type { Clock } from '../clock.js';
import { formatTimestamp } from '../clock.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import { toJson } from '../engine/index.js';
import { cursorPage, type CursorPage } from '../api/cursor.js';
import type { PageRequest } from '../api/paging.js';
import { ApiError, badRequest } from '../api/errors.js';
import { objectNotFound, subscribedUserNotFound } from './errors.js';
import { operationsOf, ProfileWriter } from '../profiles/edit.js';
import { checkedId, type UserRelations, type UserService } from '../users/service.js';
import type { Workspace } from '../workspaces/registry.js';
import { checkedObjectKey, checkedObjectType, parseRecipients, recipientsFromQuery, type Recipient } from './recipients.js';
import { type ObjectKey, ObjectStore, type StoredObject } from './store.js';
import { SubscriptionStore } from './subscriptionStore.js';
import {
  objectInboxSubject,
  objectToWire,
  subscribedToToWire,
  subscriberToWire,
  type ObjectWire,
  type SubscribedToWire,
  type SubscriberWire,
} from './wire.js';

/** Cursor kinds: a cursor of one listing is refused by the others. */
export const OBJECT_CURSOR = 'object';
export const SUBSCRIBER_CURSOR = 'object_subscriber';
export const USER_SUBSCRIBED_TO_CURSOR = 'user_subscribed_to';
export const OBJECT_SUBSCRIBED_TO_CURSOR = 'object_subscribed_to';

/** What other domains (preferences) keep about objects; called inside the transaction that deletes the object. */
export interface ObjectRelations {
  objectDeleted(workspace: string, objectType: string, objectId: string): void;
}

/** Objects, their identities and subscriptions; every public method is one transaction. */
export class ObjectService implements UserRelations {
  private readonly store: ObjectStore;
  private readonly relations: ObjectRelations[] = [];
  private readonly writer: ProfileWriter<ObjectKey, StoredObject>;
  private readonly subscriptions: SubscriptionStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: UserService,
  ) {
    this.store = new ObjectStore(db);
    this.writer = new ProfileWriter(this.store, ([objectType, objectId]) => objectInboxSubject(objectType, objectId));
    this.subscriptions = new SubscriptionStore(db);
  }

  /** Lets another domain cascade an object's deletion (called inside the delete's transaction). */
  addRelations(relations: ObjectRelations): void {
    this.relations.push(relations);
  }

  /** Deletes an object and what other domains keep about it; false when there was none. */
  private deleteCascading(ws: Workspace, objectType: string, objectId: string): boolean {
    const deleted = this.store.delete(ws.dataKey, [objectType, objectId]);
    if (deleted) for (const r of this.relations) r.objectDeleted(ws.dataKey, objectType, objectId);
    return deleted;
  }

  /** Whether the object exists (its key checked first: a bad key is a 400); for domains that answer 404 for a missing object. */
  exists(ws: Workspace, objectType: string, objectId: string): boolean {
    checkedObjectKey(objectType, objectId);
    return this.store.find(ws.dataKey, [objectType, objectId]) !== undefined;
  }

  private now(): string {
    return formatTimestamp(this.clock.nowMicros());
  }

  private transaction<T>(fn: () => T): T {
    return inTransaction(this.db.$client, fn);
  }

  /** A read-only snapshot, so a page and its count agree. */
  private read<T>(fn: () => T): T {
    return inTransaction(this.db.$client, fn, 'deferred');
  }

  private wire(object: StoredObject): ObjectWire {
    return objectToWire(object, this.store.subscriptionsCount(object.rowId));
  }

  private existing(ws: Workspace, objectType: string, objectId: string): StoredObject {
    const object = this.store.find(ws.dataKey, [objectType, objectId]);
    if (!object) throw objectNotFound(objectType, objectId);
    return object;
  }

  get(ws: Workspace, objectType: string, objectId: string): ObjectWire {
    checkedObjectKey(objectType, objectId);
    return this.wire(this.existing(ws, objectType, objectId));
  }

  /** `POST /v1/object/{type}/{id}/`: creates or updates, as a user upsert does. */
  upsert(ws: Workspace, objectType: string, objectId: string, body: unknown): ObjectWire {
    checkedObjectKey(objectType, objectId);
    return this.transaction(() => this.wire(this.writer.upsert(ws, [objectType, objectId], body, this.now())));
  }

  /** `PATCH /v1/object/{type}/{id}/`: applies `operations` to an existing object, all or nothing. */
  edit(ws: Workspace, objectType: string, objectId: string, body: unknown): ObjectWire {
    checkedObjectKey(objectType, objectId);
    const operations = operationsOf(body);
    return this.transaction(() => {
      const before = this.existing(ws, objectType, objectId);
      return this.wire(this.writer.edit(ws, [objectType, objectId], before, operations, this.now()));
    });
  }

  /** Deletes the object with its identities and its subscriptions, as parent and as child. */
  delete(ws: Workspace, objectType: string, objectId: string): void {
    checkedObjectKey(objectType, objectId);
    const deleted = this.transaction(() => this.deleteCascading(ws, objectType, objectId));
    if (!deleted) throw objectNotFound(objectType, objectId);
  }

  /** `DELETE /v1/bulk/object/{type}/`: unknown ids are not an error. Returns how many were deleted. */
  bulkDelete(ws: Workspace, objectType: string, objectIds: readonly string[]): number {
    checkedObjectType(objectType);
    return this.transaction(() => objectIds.reduce((n, id) => n + (this.deleteCascading(ws, objectType, id) ? 1 : 0), 0));
  }

  /** `GET /v1/object/{type}/`: newest first, with channels. */
  list(ws: Workspace, objectType: string, req: PageRequest): CursorPage<ObjectWire> {
    checkedObjectType(objectType);
    return this.read(() => {
      const page = this.store.page(ws.dataKey, objectType, req);
      return cursorPage(OBJECT_CURSOR, this.store.count(ws.dataKey, objectType), req, page, (row) =>
        objectToWire(row.object, row.subscriptionsCount),
      );
    });
  }

  /**
   * `POST …/{type}/{id}/subscription/`: subscribes users (created or updated
   * on the way) and existing child objects. Subscribing again replaces the
   * properties when they are given and moves updated_at. All or nothing.
   */
  subscribe(ws: Workspace, objectType: string, objectId: string, body: unknown): { results: SubscriberWire[] } {
    checkedObjectKey(objectType, objectId);
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      throw badRequest('request body must be a JSON object: {"recipients": [ ... ], "properties": { ... }}');
    }
    const b = (body ?? {}) as { recipients?: unknown; properties?: unknown };
    const recipients = parseRecipients(b.recipients);
    const properties = subscriptionProperties(b.properties);
    return this.transaction(() => {
      const now = this.now();
      const parent = this.existing(ws, objectType, objectId);
      const ids = new Set<number>();
      for (const r of recipients) {
        const subscriber = r.kind === 'user' ? { distinctId: this.ensureUser(ws, r) } : { childPk: this.childFor(ws, parent, r, now) };
        ids.add(this.subscriptions.upsert(ws.dataKey, parent.rowId, subscriber, properties, now));
      }
      // Rendered after every write, so the counts are the final ones.
      return { results: [...ids].map((id) => subscriberToWire(this.subscriptions.subscriber(id)!)) };
    });
  }

  /** Creates the user when missing, or upserts the fields given inline; returns its distinct_id. */
  private ensureUser(ws: Workspace, r: Extract<Recipient, { kind: 'user' }>): string {
    if (r.fields) {
      try {
        this.users.upsert(ws, r.distinctId, r.fields);
      } catch (err) {
        if (err instanceof ApiError && err.status === 400) throw badRequest(`${r.path}: ${err.message}`, err.options.detail);
        throw err;
      }
    } else if (!this.users.exists(ws, r.distinctId)) {
      const created = this.users.applyOperationsCreating(ws, r.distinctId, []);
      if (!created.ok) throw badRequest(`${r.path}: ${created.error.message}`);
    }
    return r.distinctId;
  }

  /** The child object's row id; it must exist and differ from the parent. Extra keys are upserted into it. */
  private childFor(ws: Workspace, parent: StoredObject, r: Extract<Recipient, { kind: 'object' }>, now: string): number {
    if (r.objectType === parent.objectType && r.objectId === parent.objectId) {
      throw badRequest(`${r.path}: an object cannot subscribe to itself`);
    }
    const child = this.existing(ws, r.objectType, r.objectId);
    if (!r.fields) return child.rowId;
    return this.writer.upsert(ws, [r.objectType, r.objectId], r.fields, now, r.path).rowId;
  }

  /**
   * `DELETE …/{type}/{id}/subscription/`: the recipients come from the JSON
   * body, or else from `?recipients=a,b` (distinct_ids). Unknown ones are ignored.
   */
  unsubscribe(ws: Workspace, objectType: string, objectId: string, body: unknown, queryRecipients?: string): void {
    checkedObjectKey(objectType, objectId);
    const fromBody = (body as { recipients?: unknown } | undefined | null)?.recipients;
    const recipients = parseRecipients(fromBody ?? recipientsFromQuery(queryRecipients));
    this.transaction(() => {
      const parent = this.existing(ws, objectType, objectId);
      for (const r of recipients) {
        if (r.kind === 'user') {
          this.subscriptions.unsubscribeUser(parent.rowId, r.distinctId);
        } else {
          const child = this.store.find(ws.dataKey, [r.objectType, r.objectId]);
          if (child) this.subscriptions.unsubscribeChild(parent.rowId, child.rowId);
        }
      }
    });
  }

  /** `GET …/{type}/{id}/subscription/`: users and child objects subscribed to the object, newest first. */
  listSubscribers(ws: Workspace, objectType: string, objectId: string, req: PageRequest): CursorPage<SubscriberWire> {
    checkedObjectKey(objectType, objectId);
    return this.read(() => {
      const parent = this.existing(ws, objectType, objectId);
      const page = this.subscriptions.pageSubscribers(parent.rowId, req);
      return cursorPage(SUBSCRIBER_CURSOR, this.store.subscriptionsCount(parent.rowId), req, page, subscriberToWire);
    });
  }

  /** `GET …/{type}/{id}/subscribed_to/object/`: the objects this object is subscribed to, newest first. */
  listObjectSubscribedTo(ws: Workspace, objectType: string, objectId: string, req: PageRequest): CursorPage<SubscribedToWire> {
    checkedObjectKey(objectType, objectId);
    return this.read(() => {
      const child = this.existing(ws, objectType, objectId);
      const page = this.subscriptions.pageOfChild(child.rowId, req);
      return cursorPage(OBJECT_SUBSCRIBED_TO_CURSOR, this.subscriptions.countOfChild(child.rowId), req, page, subscribedToToWire);
    });
  }

  /** `GET /v1/user/{id}/subscribed_to/object/`: the objects a user is subscribed to, newest first. */
  listUserSubscribedTo(ws: Workspace, distinctId: string, req: PageRequest): CursorPage<SubscribedToWire> {
    checkedId(distinctId);
    return this.read(() => {
      if (!this.users.exists(ws, distinctId)) throw subscribedUserNotFound(distinctId);
      const page = this.subscriptions.pageOfUser(ws.dataKey, distinctId, req);
      return cursorPage(USER_SUBSCRIBED_TO_CURSOR, this.subscriptions.countOfUser(ws.dataKey, distinctId), req, page, subscribedToToWire);
    });
  }

  /** Called inside the transaction that deletes a user. */
  userDeleted(workspace: string, distinctId: string): void {
    this.subscriptions.deleteAllOfUser(workspace, distinctId);
  }

  /** Called inside the merge transaction, before the secondary is deleted. */
  usersMerged(workspace: string, primary: string, secondary: string): void {
    this.subscriptions.moveUser(workspace, primary, secondary);
  }
}

/** Subscription properties as JSON text, or undefined when not given (existing ones are then kept). */
function subscriptionProperties(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('properties must be a JSON object, e.g. {"role": "admin"}');
  const json = toJson(raw, 'properties');
  if (!json.ok) throw badRequest(json.error.message, { path: json.error.path });
  return JSON.stringify(json.value);
}
