import { z } from 'zod';
import type { Db } from '../db/open.js';
import { users } from '../db/schema.js';
import { exportProfiles, importIdentities, profileRowOf, profileSnapshotFields, snapshotDistinctId } from '../profiles/snapshot.js';

/** The users of a workspace in a snapshot, with identities and statuses. */
export const usersSnapshotSchema = z.array(z.object({ distinct_id: snapshotDistinctId, ...profileSnapshotFields }));
export type UsersSnapshot = z.infer<typeof usersSnapshotSchema>;

/** A data key's users, oldest first, with their identities in insertion order. */
export function exportUsers(db: Db, dataKey: string): UsersSnapshot {
  return exportProfiles(db, 'users', dataKey, (u: typeof users.$inferSelect) => ({ distinct_id: u.distinctId }));
}

/** Writes the users into `dataKey`, which holds none yet. */
export function importUsers(db: Db, dataKey: string, snap: UsersSnapshot): void {
  for (const u of snap) {
    const { id } = db
      .insert(users)
      .values({ workspace: dataKey, distinctId: u.distinct_id, ...profileRowOf(u) })
      .returning({ id: users.id })
      .get();
    importIdentities(db, 'users', id, u.identities);
  }
}
