import type Database from 'better-sqlite3';
import type { Db } from '../db/open.js';

/** A list row with its member count (always counted, never stored). */
export interface ListRow {
  id: number;
  list_id: string;
  list_name: string;
  list_description: string;
  track_user_entry: number;
  track_user_exit: number;
  created_at: string;
  updated_at: string;
  subscribers_count: number;
}

export interface VersionRow {
  id: number;
  version_id: string;
  created_at: string;
}

export interface MemberRow {
  id: number;
  distinct_id: string;
  created_at: string;
}

/** A membership of one user with what the subscribed_to listing shows of its list. */
export interface MembershipRow {
  id: number;
  created_at: string;
  list_id: string;
  list_name: string;
  list_description: string;
  updated_at: string;
  subscribers_count: number;
}

export interface ListFields {
  listName: string;
  listDescription: string;
  trackUserEntry: boolean;
  trackUserExit: boolean;
}

const LIST_COLUMNS = `l.id, l.list_id, l.list_name, l.list_description, l.track_user_entry, l.track_user_exit,
  l.created_at, l.updated_at, (SELECT count(*) FROM list_members c WHERE c.list_pk = l.id) AS subscribers_count`;

/**
 * The draft versions of a workspace's lists (the `workspace` column holds the
 * workspace's data key). Its one `?` is the workspace; it comes last in every
 * statement that embeds it.
 */
const WORKSPACE_VERSIONS = `SELECT v.id FROM list_versions v JOIN lists l ON l.id = v.list_pk WHERE l.workspace = ?`;

/**
 * Data access for lists, members and draft versions. Every statement is
 * prepared once with positional parameters: these run on every request.
 * Callers hold the transaction. Sets of distinct_ids go in as one JSON array
 * (`json_each`), so a call of 10,000 ids is one statement.
 */
export class ListStore {
  private readonly s: {
    find: Database.Statement<[ws: string, listId: string], ListRow>;
    insert: Database.Statement<
      [
        ws: string,
        listId: string,
        listName: string,
        listDescription: string,
        trackUserEntry: number,
        trackUserExit: number,
        createdAt: string,
        updatedAt: string,
      ]
    >;
    update: Database.Statement<
      [listName: string, listDescription: string, trackUserEntry: number, trackUserExit: number, now: string, pk: number]
    >;
    touch: Database.Statement<[now: string, pk: number]>;
    delete: Database.Statement<[pk: number]>;
    count: Database.Statement<[ws: string], { n: number }>;
    page: Database.Statement<[ws: string, limit: number, offset: number], ListRow>;

    addMembers: Database.Statement<[pk: number, ws: string, now: string, ids: string]>;
    removeMembers: Database.Statement<[pk: number, ids: string]>;
    countMembers: Database.Statement<[pk: number], { n: number }>;
    membersBelow: Database.Statement<[pk: number, bound: number, n: number], MemberRow>;
    membersAbove: Database.Statement<[pk: number, bound: number, n: number], MemberRow>;

    countMemberships: Database.Statement<[ws: string, id: string], { n: number }>;
    membershipsBelow: Database.Statement<[ws: string, id: string, bound: number, n: number], MembershipRow>;
    membershipsAbove: Database.Statement<[ws: string, id: string, bound: number, n: number], MembershipRow>;

    insertVersion: Database.Statement<[pk: number, versionId: string, now: string]>;
    findVersion: Database.Statement<[pk: number, versionId: string], VersionRow>;
    deleteVersion: Database.Statement<[vpk: number]>;
    addVersionMembers: Database.Statement<[vpk: number, now: string, ids: string]>;
    removeVersionMembers: Database.Statement<[vpk: number, ids: string]>;
    countVersionMembers: Database.Statement<[vpk: number], { n: number }>;
    dropMembersNotInVersion: Database.Statement<[pk: number, vpk: number]>;
    addMembersFromVersion: Database.Statement<[pk: number, ws: string, now: string, vpk: number]>;

    touchListsOf: Database.Statement<[now: string, ws: string, id: string]>;
    deleteMemberships: Database.Statement<[ws: string, id: string]>;
    deleteDraftMemberships: Database.Statement<[id: string, ws: string]>;
    moveMemberships: Database.Statement<[to: string, ws: string, from: string]>;
    moveDraftMemberships: Database.Statement<[to: string, from: string, ws: string]>;
  };

  constructor(db: Db) {
    const c: Database.Database = db.$client;
    this.s = {
      find: c.prepare(`SELECT ${LIST_COLUMNS} FROM lists l WHERE l.workspace = ? AND l.list_id = ?`),
      insert: c.prepare(
        `INSERT INTO lists (workspace, list_id, list_name, list_description, track_user_entry, track_user_exit, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: c.prepare(
        `UPDATE lists SET list_name = ?, list_description = ?, track_user_entry = ?,
           track_user_exit = ?, updated_at = ? WHERE id = ?`,
      ),
      touch: c.prepare(`UPDATE lists SET updated_at = ? WHERE id = ?`),
      delete: c.prepare(`DELETE FROM lists WHERE id = ?`),
      count: c.prepare(`SELECT count(*) AS n FROM lists WHERE workspace = ?`),
      page: c.prepare(`SELECT ${LIST_COLUMNS} FROM lists l WHERE l.workspace = ? ORDER BY l.id DESC LIMIT ? OFFSET ?`),

      addMembers: c.prepare(
        `INSERT OR IGNORE INTO list_members (list_pk, workspace, distinct_id, created_at)
         SELECT ?, ?, value, ? FROM json_each(?) ORDER BY key`,
      ),
      removeMembers: c.prepare(`DELETE FROM list_members WHERE list_pk = ? AND distinct_id IN (SELECT value FROM json_each(?))`),
      countMembers: c.prepare(`SELECT count(*) AS n FROM list_members WHERE list_pk = ?`),
      membersBelow: c.prepare(`SELECT id, distinct_id, created_at FROM list_members WHERE list_pk = ? AND id < ? ORDER BY id DESC LIMIT ?`),
      membersAbove: c.prepare(`SELECT id, distinct_id, created_at FROM list_members WHERE list_pk = ? AND id > ? ORDER BY id ASC LIMIT ?`),

      countMemberships: c.prepare(`SELECT count(*) AS n FROM list_members WHERE workspace = ? AND distinct_id = ?`),
      membershipsBelow: c.prepare(
        `SELECT m.id, m.created_at, l.list_id, l.list_name, l.list_description, l.updated_at,
           (SELECT count(*) FROM list_members c WHERE c.list_pk = l.id) AS subscribers_count
         FROM list_members m JOIN lists l ON l.id = m.list_pk
         WHERE m.workspace = ? AND m.distinct_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
      ),
      membershipsAbove: c.prepare(
        `SELECT m.id, m.created_at, l.list_id, l.list_name, l.list_description, l.updated_at,
           (SELECT count(*) FROM list_members c WHERE c.list_pk = l.id) AS subscribers_count
         FROM list_members m JOIN lists l ON l.id = m.list_pk
         WHERE m.workspace = ? AND m.distinct_id = ? AND m.id > ? ORDER BY m.id ASC LIMIT ?`,
      ),

      insertVersion: c.prepare(`INSERT INTO list_versions (list_pk, version_id, created_at) VALUES (?, ?, ?)`),
      findVersion: c.prepare(`SELECT id, version_id, created_at FROM list_versions WHERE list_pk = ? AND version_id = ?`),
      deleteVersion: c.prepare(`DELETE FROM list_versions WHERE id = ?`),
      addVersionMembers: c.prepare(
        `INSERT OR IGNORE INTO list_version_members (version_pk, distinct_id, created_at)
         SELECT ?, value, ? FROM json_each(?) ORDER BY key`,
      ),
      removeVersionMembers: c.prepare(
        `DELETE FROM list_version_members WHERE version_pk = ? AND distinct_id IN (SELECT value FROM json_each(?))`,
      ),
      countVersionMembers: c.prepare(`SELECT count(*) AS n FROM list_version_members WHERE version_pk = ?`),
      // Publishing a draft: members the draft lacks go, members only the draft has come in
      // (in the order they were added to the draft); members in both keep their row and created_at.
      dropMembersNotInVersion: c.prepare(
        `DELETE FROM list_members WHERE list_pk = ?
           AND distinct_id NOT IN (SELECT distinct_id FROM list_version_members WHERE version_pk = ?)`,
      ),
      addMembersFromVersion: c.prepare(
        `INSERT OR IGNORE INTO list_members (list_pk, workspace, distinct_id, created_at)
         SELECT ?, ?, distinct_id, ? FROM list_version_members WHERE version_pk = ? ORDER BY id`,
      ),

      touchListsOf: c.prepare(
        `UPDATE lists SET updated_at = ?
         WHERE id IN (SELECT list_pk FROM list_members WHERE workspace = ? AND distinct_id = ?)`,
      ),
      deleteMemberships: c.prepare(`DELETE FROM list_members WHERE workspace = ? AND distinct_id = ?`),
      deleteDraftMemberships: c.prepare(`DELETE FROM list_version_members WHERE distinct_id = ? AND version_pk IN (${WORKSPACE_VERSIONS})`),
      // UPDATE OR IGNORE skips the rows whose move would duplicate a membership the primary has already.
      moveMemberships: c.prepare(`UPDATE OR IGNORE list_members SET distinct_id = ? WHERE workspace = ? AND distinct_id = ?`),
      moveDraftMemberships: c.prepare(
        `UPDATE OR IGNORE list_version_members SET distinct_id = ?
         WHERE distinct_id = ? AND version_pk IN (${WORKSPACE_VERSIONS})`,
      ),
    };
  }

  find(ws: string, listId: string): ListRow | undefined {
    return this.s.find.get(ws, listId);
  }

  insert(ws: string, listId: string, f: ListFields, now: string): void {
    this.s.insert.run(ws, listId, ...flags(f), now, now);
  }

  update(pk: number, f: ListFields, now: string): void {
    this.s.update.run(...flags(f), now, pk);
  }

  touch(pk: number, now: string): void {
    this.s.touch.run(now, pk);
  }

  /** Deletes the list; its members, versions and their members go by cascade. */
  delete(pk: number): void {
    this.s.delete.run(pk);
  }

  count(ws: string): number {
    return this.s.count.get(ws)?.n ?? 0;
  }

  /** Newest first. */
  page(ws: string, limit: number, offset: number): ListRow[] {
    return this.s.page.all(ws, limit, offset);
  }

  /** Returns how many were added (ids already members are skipped). */
  addMembers(pk: number, ws: string, ids: readonly string[], now: string): number {
    return this.s.addMembers.run(pk, ws, now, JSON.stringify(ids)).changes;
  }

  removeMembers(pk: number, ids: readonly string[]): number {
    return this.s.removeMembers.run(pk, JSON.stringify(ids)).changes;
  }

  countMembers(pk: number): number {
    return this.s.countMembers.get(pk)?.n ?? 0;
  }

  membersBelow(pk: number, bound: number | undefined, n: number): MemberRow[] {
    return this.s.membersBelow.all(pk, bound ?? Number.MAX_SAFE_INTEGER, n);
  }

  membersAbove(pk: number, bound: number, n: number): MemberRow[] {
    return this.s.membersAbove.all(pk, bound, n);
  }

  countMemberships(ws: string, distinctId: string): number {
    return this.s.countMemberships.get(ws, distinctId)?.n ?? 0;
  }

  membershipsBelow(ws: string, distinctId: string, bound: number | undefined, n: number): MembershipRow[] {
    return this.s.membershipsBelow.all(ws, distinctId, bound ?? Number.MAX_SAFE_INTEGER, n);
  }

  membershipsAbove(ws: string, distinctId: string, bound: number, n: number): MembershipRow[] {
    return this.s.membershipsAbove.all(ws, distinctId, bound, n);
  }

  insertVersion(pk: number, versionId: string, now: string): void {
    this.s.insertVersion.run(pk, versionId, now);
  }

  findVersion(pk: number, versionId: string): VersionRow | undefined {
    return this.s.findVersion.get(pk, versionId);
  }

  deleteVersion(vpk: number): void {
    this.s.deleteVersion.run(vpk);
  }

  addVersionMembers(vpk: number, ids: readonly string[], now: string): number {
    return this.s.addVersionMembers.run(vpk, now, JSON.stringify(ids)).changes;
  }

  removeVersionMembers(vpk: number, ids: readonly string[]): number {
    return this.s.removeVersionMembers.run(vpk, JSON.stringify(ids)).changes;
  }

  countVersionMembers(vpk: number): number {
    return this.s.countVersionMembers.get(vpk)?.n ?? 0;
  }

  /** Makes the list's members exactly the draft's; returns how many memberships changed. */
  replaceMembersWithVersion(pk: number, ws: string, vpk: number, now: string): number {
    const removed = this.s.dropMembersNotInVersion.run(pk, vpk).changes;
    const added = this.s.addMembersFromVersion.run(pk, ws, now, vpk).changes;
    return removed + added;
  }

  /** Removes a distinct_id from every list and draft of the workspace; touches the lists it left. */
  deleteMemberships(ws: string, distinctId: string, now: string): void {
    this.s.touchListsOf.run(now, ws, distinctId);
    this.s.deleteMemberships.run(ws, distinctId);
    this.s.deleteDraftMemberships.run(distinctId, ws);
  }

  /**
   * Moves `from`'s memberships (lists and drafts) to `to`, keeping their row
   * ids and created_at; where both are members, `to`'s membership stays and
   * `from`'s is dropped.
   */
  moveMemberships(ws: string, from: string, to: string, now: string): void {
    this.s.touchListsOf.run(now, ws, from);
    this.s.moveMemberships.run(to, ws, from);
    this.s.deleteMemberships.run(ws, from);
    this.s.moveDraftMemberships.run(to, from, ws);
    this.s.deleteDraftMemberships.run(from, ws);
  }
}

/** The list's fields in column order (list_name … track_user_exit), booleans as 0/1: SQLite binds no booleans. */
function flags(f: ListFields): [listName: string, listDescription: string, trackUserEntry: number, trackUserExit: number] {
  return [f.listName, f.listDescription, f.trackUserEntry ? 1 : 0, f.trackUserExit ? 1 : 0];
}
