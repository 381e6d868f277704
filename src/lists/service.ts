import { formatTimestamp, type Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import { cursorPage, encodeCursor, type CursorPage } from '../api/cursor.js';
import type { PageRequest } from '../api/paging.js';
import type { UserRelations } from '../users/service.js';
import type { Workspace } from '../workspaces/registry.js';
import { listNotFound, versionNotFound } from './errors.js';
import { orderedKeysetPage, type SortOrder } from './paging.js';
import { normaliseListId } from './schemas.js';
import { ListStore, type ListRow, type VersionRow } from './store.js';
import { listToWire, membershipToWire, type ListWire, type SubscribedListWire } from './wire.js';

/** Cursor kind of the list-subscriber listing; a subscriber's `id` is such a cursor. */
export const LIST_MEMBER_CURSOR = 'list_member';
/** Cursor kind of `GET /v1/user/{id}/subscribed_to/list/`. */
export const USER_LIST_CURSOR = 'user_list';

export interface CreateListInput {
  list_id: string;
  list_name?: string | null | undefined;
  list_description?: string | null | undefined;
  track_user_entry?: boolean | undefined;
  track_user_exit?: boolean | undefined;
}

export interface ChangeResult {
  success: true;
  affected_count: number;
}

export interface ListPage {
  meta: { count: number; limit: number; offset: number };
  results: ListWire[];
}

export interface SubscriberWire {
  id: string;
  distinct_id: string;
  created_at: string;
}

/** Subscriber lists, their members and draft versions; each operation is one transaction. */
export class ListService implements UserRelations {
  readonly store: ListStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.store = new ListStore(db);
  }

  private now(): string {
    return formatTimestamp(this.clock.nowMicros());
  }

  private transaction<T>(fn: () => T): T {
    return inTransaction(this.db.$client, fn);
  }

  private require(ws: Workspace, listId: string): ListRow {
    const row = this.store.find(ws.dataKey, normaliseListId(listId));
    if (!row) throw listNotFound(listId);
    return row;
  }

  private requireVersion(ws: Workspace, listId: string, versionId: string): { list: ListRow; version: VersionRow } {
    const list = this.require(ws, listId);
    const version = this.store.findVersion(list.id, versionId);
    if (!version) throw versionNotFound(listId, versionId);
    return { list, version };
  }

  /**
   * `POST /v1/subscriber_list/`. Creating a list_id that exists is an upsert
   * (upstream's docs call this endpoint "create / manage lists"): the fields
   * sent replace the stored ones, the others and the members stay, and the
   * answer is 201 as for a new list.
   */
  create(ws: Workspace, body: CreateListInput): ListWire {
    return this.transaction(() => {
      const now = this.now();
      const existing = this.store.find(ws.dataKey, body.list_id);
      const pick = <T>(sent: T | null | undefined, stored: T | undefined, empty: T): T =>
        sent === undefined ? (stored ?? empty) : (sent ?? empty);
      const fields = {
        listName: pick(body.list_name, existing?.list_name, ''),
        listDescription: pick(body.list_description, existing?.list_description, ''),
        trackUserEntry: pick(body.track_user_entry, existing && Boolean(existing.track_user_entry), false),
        trackUserExit: pick(body.track_user_exit, existing && Boolean(existing.track_user_exit), false),
      };
      if (existing) this.store.update(existing.id, fields, now);
      else this.store.insert(ws.dataKey, body.list_id, fields, now);
      return listToWire(this.store.find(ws.dataKey, body.list_id)!);
    });
  }

  /** `GET /v1/subscriber_list/`: newest first, offset paging. */
  getAll(ws: Workspace, limit: number, offset: number): ListPage {
    return {
      meta: { count: this.store.count(ws.dataKey), limit, offset },
      results: this.store.page(ws.dataKey, limit, offset).map((row) => listToWire(row)),
    };
  }

  get(ws: Workspace, listId: string): ListWire {
    return listToWire(this.require(ws, listId));
  }

  addMembers(ws: Workspace, listId: string, distinctIds: readonly string[]): ChangeResult {
    return this.transaction(() => {
      const list = this.require(ws, listId);
      const now = this.now();
      const n = this.store.addMembers(list.id, ws.dataKey, distinctIds, now);
      if (n > 0) this.store.touch(list.id, now);
      return { success: true, affected_count: n };
    });
  }

  removeMembers(ws: Workspace, listId: string, distinctIds: readonly string[]): ChangeResult {
    return this.transaction(() => {
      const list = this.require(ws, listId);
      const n = this.store.removeMembers(list.id, distinctIds);
      if (n > 0) this.store.touch(list.id, this.now());
      return { success: true, affected_count: n };
    });
  }

  /** `GET …/{list_id}/subscriber/`: keyset paging in either order. */
  members(ws: Workspace, listId: string, req: PageRequest, sort: SortOrder): CursorPage<SubscriberWire> {
    const list = this.require(ws, listId);
    const page = orderedKeysetPage(
      {
        below: (bound, n) => this.store.membersBelow(list.id, bound, n),
        above: (bound, n) => this.store.membersAbove(list.id, bound, n),
        idOf: (row) => row.id,
      },
      req,
      sort,
    );
    return cursorPage(LIST_MEMBER_CURSOR, this.store.countMembers(list.id), req, page, (row) => ({
      id: encodeCursor(LIST_MEMBER_CURSOR, row.id),
      distinct_id: row.distinct_id,
      created_at: row.created_at,
    }));
  }

  /** Deletes the list with its members and draft versions. */
  delete(ws: Workspace, listId: string): void {
    this.transaction(() => this.store.delete(this.require(ws, listId).id));
  }

  /**
   * `POST …/start_sync/`: a new, empty draft version. Several drafts of one
   * list may exist at once; each is published or discarded on its own.
   */
  startSync(ws: Workspace, listId: string, versionId: string = this.ids.ulid()): ListWire {
    return this.transaction(() => {
      const list = this.require(ws, listId);
      this.store.insertVersion(list.id, versionId, this.now());
      return listToWire(list, { versionId, subscribersCount: 0 });
    });
  }

  /** The draft view of a list: status draft, its version_id and the draft's member count. */
  getVersion(ws: Workspace, listId: string, versionId: string): ListWire {
    const { list, version } = this.requireVersion(ws, listId, versionId);
    return listToWire(list, { versionId: version.version_id, subscribersCount: this.store.countVersionMembers(version.id) });
  }

  addToVersion(ws: Workspace, listId: string, versionId: string, distinctIds: readonly string[]): ChangeResult {
    return this.transaction(() => {
      const { version } = this.requireVersion(ws, listId, versionId);
      return { success: true, affected_count: this.store.addVersionMembers(version.id, distinctIds, this.now()) };
    });
  }

  removeFromVersion(ws: Workspace, listId: string, versionId: string, distinctIds: readonly string[]): ChangeResult {
    return this.transaction(() => {
      const { version } = this.requireVersion(ws, listId, versionId);
      return { success: true, affected_count: this.store.removeVersionMembers(version.id, distinctIds) };
    });
  }

  /**
   * `PATCH …/version/{v}/finish_sync/`: the list's members become exactly the
   * draft's (members in both keep their created_at; new ones join now), then
   * the draft is deleted.
   */
  finishSync(ws: Workspace, listId: string, versionId: string): ListWire {
    return this.transaction(() => {
      const { list, version } = this.requireVersion(ws, listId, versionId);
      const now = this.now();
      if (this.store.replaceMembersWithVersion(list.id, ws.dataKey, version.id, now) > 0) this.store.touch(list.id, now);
      this.store.deleteVersion(version.id);
      return listToWire(this.store.find(ws.dataKey, list.list_id)!);
    });
  }

  deleteVersion(ws: Workspace, listId: string, versionId: string): void {
    this.transaction(() => this.store.deleteVersion(this.requireVersion(ws, listId, versionId).version.id));
  }

  /** The lists a distinct_id belongs to, newest membership first. The caller checks that the user exists. */
  subscribedTo(ws: Workspace, distinctId: string, req: PageRequest): CursorPage<SubscribedListWire> {
    const page = orderedKeysetPage(
      {
        below: (bound, n) => this.store.membershipsBelow(ws.dataKey, distinctId, bound, n),
        above: (bound, n) => this.store.membershipsAbove(ws.dataKey, distinctId, bound, n),
        idOf: (row) => row.id,
      },
      req,
      '-id',
    );
    return cursorPage(USER_LIST_CURSOR, this.store.countMemberships(ws.dataKey, distinctId), req, page, membershipToWire);
  }

  // ---- UserRelations: called inside the user's delete / merge transaction ------------------------

  userDeleted(workspace: string, distinctId: string): void {
    this.store.deleteMemberships(workspace, distinctId, this.now());
  }

  usersMerged(workspace: string, primary: string, secondary: string): void {
    this.store.moveMemberships(workspace, secondary, primary, this.now());
  }
}
