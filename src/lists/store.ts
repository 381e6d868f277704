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

/** The draft versions of a workspace's lists (the `workspace` column holds the workspace's data key). */
const WORKSPACE_VERSIONS = `SELECT v.id FROM list_versions v JOIN lists l ON l.id = v.list_pk WHERE l.workspace = @ws`;

/**
 * Data access for lists, members and draft versions: prepared statements
 * only. Callers hold the transaction. Sets of distinct_ids go in as one JSON
 * array (`json_each`), so a call of 10,000 ids is one statement.
 */
export class ListStore {
  private readonly s;

  constructor(db: Db) {
    const c: Database.Database = db.$client;
    this.s = {
      find: c.prepare<{ ws: string; listId: string }, ListRow>(
        `SELECT ${LIST_COLUMNS} FROM lists l WHERE l.workspace = @ws AND l.list_id = @listId`,
      ),
      insert: c.prepare(
        `INSERT INTO lists (workspace, list_id, list_name, list_description, track_user_entry, track_user_exit, created_at, updated_at)
         VALUES (@ws, @listId, @listName, @listDescription, @trackUserEntry, @trackUserExit, @now, @now)`,
      ),
      update: c.prepare(
        `UPDATE lists SET list_name = @listName, list_description = @listDescription, track_user_entry = @trackUserEntry,
           track_user_exit = @trackUserExit, updated_at = @now WHERE id = @pk`,
      ),
      touch: c.prepare<{ pk: number; now: string }>(`UPDATE lists SET updated_at = @now WHERE id = @pk`),
      delete: c.prepare<{ pk: number }>(`DELETE FROM lists WHERE id = @pk`),
      count: c.prepare<{ ws: string }, { n: number }>(`SELECT count(*) AS n FROM lists WHERE workspace = @ws`),
      page: c.prepare<{ ws: string; limit: number; offset: number }, ListRow>(
        `SELECT ${LIST_COLUMNS} FROM lists l WHERE l.workspace = @ws ORDER BY l.id DESC LIMIT @limit OFFSET @offset`,
      ),

      addMembers: c.prepare<{ pk: number; ws: string; ids: string; now: string }>(
        `INSERT OR IGNORE INTO list_members (list_pk, workspace, distinct_id, created_at)
         SELECT @pk, @ws, value, @now FROM json_each(@ids) ORDER BY key`,
      ),
      removeMembers: c.prepare<{ pk: number; ids: string }>(
        `DELETE FROM list_members WHERE list_pk = @pk AND distinct_id IN (SELECT value FROM json_each(@ids))`,
      ),
      countMembers: c.prepare<{ pk: number }, { n: number }>(`SELECT count(*) AS n FROM list_members WHERE list_pk = @pk`),
      membersBelow: c.prepare<{ pk: number; bound: number; n: number }, MemberRow>(
        `SELECT id, distinct_id, created_at FROM list_members WHERE list_pk = @pk AND id < @bound ORDER BY id DESC LIMIT @n`,
      ),
      membersAbove: c.prepare<{ pk: number; bound: number; n: number }, MemberRow>(
        `SELECT id, distinct_id, created_at FROM list_members WHERE list_pk = @pk AND id > @bound ORDER BY id ASC LIMIT @n`,
      ),

      countMemberships: c.prepare<{ ws: string; id: string }, { n: number }>(
        `SELECT count(*) AS n FROM list_members WHERE workspace = @ws AND distinct_id = @id`,
      ),
      membershipsBelow: c.prepare<{ ws: string; id: string; bound: number; n: number }, MembershipRow>(
        `SELECT m.id, m.created_at, l.list_id, l.list_name, l.list_description, l.updated_at,
           (SELECT count(*) FROM list_members c WHERE c.list_pk = l.id) AS subscribers_count
         FROM list_members m JOIN lists l ON l.id = m.list_pk
         WHERE m.workspace = @ws AND m.distinct_id = @id AND m.id < @bound ORDER BY m.id DESC LIMIT @n`,
      ),
      membershipsAbove: c.prepare<{ ws: string; id: string; bound: number; n: number }, MembershipRow>(
        `SELECT m.id, m.created_at, l.list_id, l.list_name, l.list_description, l.updated_at,
           (SELECT count(*) FROM list_members c WHERE c.list_pk = l.id) AS subscribers_count
         FROM list_members m JOIN lists l ON l.id = m.list_pk
         WHERE m.workspace = @ws AND m.distinct_id = @id AND m.id > @bound ORDER BY m.id ASC LIMIT @n`,
      ),

      insertVersion: c.prepare<{ pk: number; versionId: string; now: string }>(
        `INSERT INTO list_versions (list_pk, version_id, created_at) VALUES (@pk, @versionId, @now)`,
      ),
      findVersion: c.prepare<{ pk: number; versionId: string }, VersionRow>(
        `SELECT id, version_id, created_at FROM list_versions WHERE list_pk = @pk AND version_id = @versionId`,
      ),
      deleteVersion: c.prepare<{ vpk: number }>(`DELETE FROM list_versions WHERE id = @vpk`),
      addVersionMembers: c.prepare<{ vpk: number; ids: string; now: string }>(
        `INSERT OR IGNORE INTO list_version_members (version_pk, distinct_id, created_at)
         SELECT @vpk, value, @now FROM json_each(@ids) ORDER BY key`,
      ),
      removeVersionMembers: c.prepare<{ vpk: number; ids: string }>(
        `DELETE FROM list_version_members WHERE version_pk = @vpk AND distinct_id IN (SELECT value FROM json_each(@ids))`,
      ),
      countVersionMembers: c.prepare<{ vpk: number }, { n: number }>(
        `SELECT count(*) AS n FROM list_version_members WHERE version_pk = @vpk`,
      ),
      // Publishing a draft: members the draft lacks go, members only the draft has come in
      // (in the order they were added to the draft); members in both keep their row and created_at.
      dropMembersNotInVersion: c.prepare<{ pk: number; vpk: number }>(
        `DELETE FROM list_members WHERE list_pk = @pk
           AND distinct_id NOT IN (SELECT distinct_id FROM list_version_members WHERE version_pk = @vpk)`,
      ),
      addMembersFromVersion: c.prepare<{ pk: number; ws: string; vpk: number; now: string }>(
        `INSERT OR IGNORE INTO list_members (list_pk, workspace, distinct_id, created_at)
         SELECT @pk, @ws, distinct_id, @now FROM list_version_members WHERE version_pk = @vpk ORDER BY id`,
      ),

      touchListsOf: c.prepare<{ ws: string; id: string; now: string }>(
        `UPDATE lists SET updated_at = @now
         WHERE id IN (SELECT list_pk FROM list_members WHERE workspace = @ws AND distinct_id = @id)`,
      ),
      deleteMemberships: c.prepare<{ ws: string; id: string }>(`DELETE FROM list_members WHERE workspace = @ws AND distinct_id = @id`),
      deleteDraftMemberships: c.prepare<{ ws: string; id: string }>(
        `DELETE FROM list_version_members WHERE distinct_id = @id AND version_pk IN (${WORKSPACE_VERSIONS})`,
      ),
      // UPDATE OR IGNORE skips the rows whose move would duplicate a membership the primary has already.
      moveMemberships: c.prepare<{ ws: string; from: string; to: string }>(
        `UPDATE OR IGNORE list_members SET distinct_id = @to WHERE workspace = @ws AND distinct_id = @from`,
      ),
      moveDraftMemberships: c.prepare<{ ws: string; from: string; to: string }>(
        `UPDATE OR IGNORE list_version_members SET distinct_id = @to
         WHERE distinct_id = @from AND version_pk IN (${WORKSPACE_VERSIONS})`,
      ),
    };
  }

  find(ws: string, listId: string): ListRow | undefined {
    return this.s.find.get({ ws, listId });
  }

  insert(ws: string, listId: string, f: ListFields, now: string): void {
    this.s.insert.run({ ws, listId, ...flags(f), now });
  }

  update(pk: number, f: ListFields, now: string): void {
    this.s.update.run({ pk, ...flags(f), now });
  }

  touch(pk: number, now: string): void {
    this.s.touch.run({ pk, now });
  }

  /** Deletes the list; its members, versions and their members go by cascade. */
  delete(pk: number): void {
    this.s.delete.run({ pk });
  }

  count(ws: string): number {
    return this.s.count.get({ ws })?.n ?? 0;
  }

  /** Newest first. */
  page(ws: string, limit: number, offset: number): ListRow[] {
    return this.s.page.all({ ws, limit, offset });
  }

  /** Returns how many were added (ids already members are skipped). */
  addMembers(pk: number, ws: string, ids: readonly string[], now: string): number {
    return this.s.addMembers.run({ pk, ws, ids: JSON.stringify(ids), now }).changes;
  }

  removeMembers(pk: number, ids: readonly string[]): number {
    return this.s.removeMembers.run({ pk, ids: JSON.stringify(ids) }).changes;
  }

  countMembers(pk: number): number {
    return this.s.countMembers.get({ pk })?.n ?? 0;
  }

  membersBelow(pk: number, bound: number | undefined, n: number): MemberRow[] {
    return this.s.membersBelow.all({ pk, bound: bound ?? Number.MAX_SAFE_INTEGER, n });
  }

  membersAbove(pk: number, bound: number, n: number): MemberRow[] {
    return this.s.membersAbove.all({ pk, bound, n });
  }

  countMemberships(ws: string, distinctId: string): number {
    return this.s.countMemberships.get({ ws, id: distinctId })?.n ?? 0;
  }

  membershipsBelow(ws: string, distinctId: string, bound: number | undefined, n: number): MembershipRow[] {
    return this.s.membershipsBelow.all({ ws, id: distinctId, bound: bound ?? Number.MAX_SAFE_INTEGER, n });
  }

  membershipsAbove(ws: string, distinctId: string, bound: number, n: number): MembershipRow[] {
    return this.s.membershipsAbove.all({ ws, id: distinctId, bound, n });
  }

  insertVersion(pk: number, versionId: string, now: string): void {
    this.s.insertVersion.run({ pk, versionId, now });
  }

  findVersion(pk: number, versionId: string): VersionRow | undefined {
    return this.s.findVersion.get({ pk, versionId });
  }

  deleteVersion(vpk: number): void {
    this.s.deleteVersion.run({ vpk });
  }

  addVersionMembers(vpk: number, ids: readonly string[], now: string): number {
    return this.s.addVersionMembers.run({ vpk, ids: JSON.stringify(ids), now }).changes;
  }

  removeVersionMembers(vpk: number, ids: readonly string[]): number {
    return this.s.removeVersionMembers.run({ vpk, ids: JSON.stringify(ids) }).changes;
  }

  countVersionMembers(vpk: number): number {
    return this.s.countVersionMembers.get({ vpk })?.n ?? 0;
  }

  /** Makes the list's members exactly the draft's; returns how many memberships changed. */
  replaceMembersWithVersion(pk: number, ws: string, vpk: number, now: string): number {
    const removed = this.s.dropMembersNotInVersion.run({ pk, vpk }).changes;
    const added = this.s.addMembersFromVersion.run({ pk, ws, vpk, now }).changes;
    return removed + added;
  }

  /** Removes a distinct_id from every list and draft of the workspace; touches the lists it left. */
  deleteMemberships(ws: string, distinctId: string, now: string): void {
    this.s.touchListsOf.run({ ws, id: distinctId, now });
    this.s.deleteMemberships.run({ ws, id: distinctId });
    this.s.deleteDraftMemberships.run({ ws, id: distinctId });
  }

  /**
   * Moves `from`'s memberships (lists and drafts) to `to`, keeping their row
   * ids and created_at; where both are members, `to`'s membership stays and
   * `from`'s is dropped.
   */
  moveMemberships(ws: string, from: string, to: string, now: string): void {
    this.s.touchListsOf.run({ ws, id: from, now });
    this.s.moveMemberships.run({ ws, from, to });
    this.s.deleteMemberships.run({ ws, id: from });
    this.s.moveDraftMemberships.run({ ws, from, to });
    this.s.deleteDraftMemberships.run({ ws, id: from });
  }
}

function flags(f: ListFields) {
  return {
    listName: f.listName,
    listDescription: f.listDescription,
    trackUserEntry: f.trackUserEntry ? 1 : 0,
    trackUserExit: f.trackUserExit ? 1 : 0,
  };
}
