import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { identities, users } from '../db/schema.js';
import {
  byOwner,
  chunks,
  identityFromSnapshot,
  identitySnapshotSchema,
  identityToSnapshot,
  snapshotTimestamp,
} from '../profiles/snapshot.js';

/** The users of a workspace in a snapshot, with identities and statuses. */
export const usersSnapshotSchema = z.array(
  z.object({
    distinct_id: z.string().min(1),
    properties: z.record(z.string(), z.unknown()),
    created_at: snapshotTimestamp,
    updated_at: snapshotTimestamp,
    identities: z.array(identitySnapshotSchema),
  }),
);
export type UsersSnapshot = z.infer<typeof usersSnapshotSchema>;

/** A data key's users, oldest first, with their identities in insertion order. */
export function exportUsers(db: Db, dataKey: string): UsersSnapshot {
  const rows = db.select().from(users).where(eq(users.workspace, dataKey)).orderBy(asc(users.id)).all();
  const owned = byOwner(
    db
      .select({ identity: identities })
      .from(identities)
      .innerJoin(users, eq(users.id, identities.userId))
      .where(eq(users.workspace, dataKey))
      .orderBy(asc(identities.id))
      .all()
      .map((r) => r.identity),
    (i) => i.userId,
  );
  return rows.map((u) => ({
    distinct_id: u.distinctId,
    properties: JSON.parse(u.properties) as Record<string, unknown>,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    identities: (owned.get(u.id) ?? []).map(identityToSnapshot),
  }));
}

/** Writes the users into `dataKey`, which holds none yet. */
export function importUsers(db: Db, dataKey: string, snap: UsersSnapshot): void {
  for (const u of snap) {
    const { id } = db
      .insert(users)
      .values({
        workspace: dataKey,
        distinctId: u.distinct_id,
        properties: JSON.stringify(u.properties),
        createdAt: u.created_at,
        updatedAt: u.updated_at,
      })
      .returning({ id: users.id })
      .get();
    for (const part of chunks(u.identities)) {
      db.insert(identities)
        .values(part.map((i) => ({ ...identityFromSnapshot(i), userId: id })))
        .run();
    }
  }
}
