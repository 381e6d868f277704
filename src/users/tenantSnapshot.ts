import { z } from 'zod';
import type { Db } from '../db/open.js';
import { userTenantProfiles } from '../db/schema.js';
import { exportProfiles, importIdentities, profileRowOf, profileSnapshotFields, snapshotDistinctId } from '../profiles/snapshot.js';

/** The tenant-scoped user profiles of a workspace in a snapshot (absent from documents of version 1). */
export const userTenantProfilesSnapshotSchema = z.array(
  z.object({ distinct_id: snapshotDistinctId, tenant_id: z.string().min(1), ...profileSnapshotFields }),
);
export type UserTenantProfilesSnapshot = z.infer<typeof userTenantProfilesSnapshotSchema>;

/** A data key's tenant-scoped user profiles, oldest first, with their identities. */
export function exportUserTenantProfiles(db: Db, dataKey: string): UserTenantProfilesSnapshot {
  return exportProfiles(db, 'userTenantProfiles', dataKey, (p: typeof userTenantProfiles.$inferSelect) => ({
    distinct_id: p.distinctId,
    tenant_id: p.tenantId,
  }));
}

/** Writes the tenant-scoped profiles into `dataKey`, which holds none yet. */
export function importUserTenantProfiles(db: Db, dataKey: string, snap: UserTenantProfilesSnapshot): void {
  for (const p of snap) {
    const { id } = db
      .insert(userTenantProfiles)
      .values({ workspace: dataKey, distinctId: p.distinct_id, tenantId: p.tenant_id, ...profileRowOf(p) })
      .returning({ id: userTenantProfiles.id })
      .get();
    importIdentities(db, 'userTenantProfiles', id, p.identities);
  }
}
