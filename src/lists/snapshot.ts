import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { listMembers, lists, listVersionMembers, listVersions } from '../db/schema.js';
import { byOwner, chunks, snapshotDistinctId, snapshotTimestamp } from '../profiles/snapshot.js';

const memberSchema = z.object({ distinct_id: snapshotDistinctId, created_at: snapshotTimestamp });

/** The lists of a workspace in a snapshot, with members and draft versions. */
export const listsSnapshotSchema = z.array(
  z.object({
    list_id: z.string().min(1),
    list_name: z.string(),
    list_description: z.string(),
    track_user_entry: z.boolean(),
    track_user_exit: z.boolean(),
    created_at: snapshotTimestamp,
    updated_at: snapshotTimestamp,
    members: z.array(memberSchema),
    drafts: z.array(z.object({ version_id: z.string().min(1), created_at: snapshotTimestamp, members: z.array(memberSchema) })),
  }),
);
export type ListsSnapshot = z.infer<typeof listsSnapshotSchema>;

const member = (m: { distinctId: string; createdAt: string }) => ({ distinct_id: m.distinctId, created_at: m.createdAt });

/** A data key's lists, oldest first, each with its members and drafts in insertion order. */
export function exportLists(db: Db, dataKey: string): ListsSnapshot {
  const rows = db.select().from(lists).where(eq(lists.workspace, dataKey)).orderBy(asc(lists.id)).all();
  const members = byOwner(
    db.select().from(listMembers).where(eq(listMembers.workspace, dataKey)).orderBy(asc(listMembers.id)).all(),
    (m) => m.listPk,
  );
  const drafts = byOwner(
    db
      .select({ version: listVersions })
      .from(listVersions)
      .innerJoin(lists, eq(lists.id, listVersions.listPk))
      .where(eq(lists.workspace, dataKey))
      .orderBy(asc(listVersions.id))
      .all()
      .map((r) => r.version),
    (v) => v.listPk,
  );
  const draftMembers = byOwner(
    db
      .select({ member: listVersionMembers })
      .from(listVersionMembers)
      .innerJoin(listVersions, eq(listVersions.id, listVersionMembers.versionPk))
      .innerJoin(lists, eq(lists.id, listVersions.listPk))
      .where(eq(lists.workspace, dataKey))
      .orderBy(asc(listVersionMembers.id))
      .all()
      .map((r) => r.member),
    (m) => m.versionPk,
  );
  return rows.map((l) => ({
    list_id: l.listId,
    list_name: l.listName,
    list_description: l.listDescription,
    track_user_entry: l.trackUserEntry,
    track_user_exit: l.trackUserExit,
    created_at: l.createdAt,
    updated_at: l.updatedAt,
    members: (members.get(l.id) ?? []).map(member),
    drafts: (drafts.get(l.id) ?? []).map((v) => ({
      version_id: v.versionId,
      created_at: v.createdAt,
      members: (draftMembers.get(v.id) ?? []).map(member),
    })),
  }));
}

/** Writes the lists into `dataKey`, which holds none yet. */
export function importLists(db: Db, dataKey: string, snap: ListsSnapshot): void {
  for (const l of snap) {
    const { id: listPk } = db
      .insert(lists)
      .values({
        workspace: dataKey,
        listId: l.list_id,
        listName: l.list_name,
        listDescription: l.list_description,
        trackUserEntry: l.track_user_entry,
        trackUserExit: l.track_user_exit,
        createdAt: l.created_at,
        updatedAt: l.updated_at,
      })
      .returning({ id: lists.id })
      .get();
    for (const part of chunks(l.members)) {
      db.insert(listMembers)
        .values(part.map((m) => ({ listPk, workspace: dataKey, distinctId: m.distinct_id, createdAt: m.created_at })))
        .run();
    }
    for (const d of l.drafts) {
      const { id: versionPk } = db
        .insert(listVersions)
        .values({ listPk, versionId: d.version_id, createdAt: d.created_at })
        .returning({ id: listVersions.id })
        .get();
      for (const part of chunks(d.members)) {
        db.insert(listVersionMembers)
          .values(part.map((m) => ({ versionPk, distinctId: m.distinct_id, createdAt: m.created_at })))
          .run();
      }
    }
  }
}
