import { z } from 'zod';
import { workspaceNameSchema } from '../config.js';
import type { Db } from '../db/open.js';
import { exportLists, importLists, listsSnapshotSchema } from '../lists/snapshot.js';
import {
  exportObjects,
  exportSubscriptions,
  importObjects,
  objectsSnapshotSchema,
  subscriptionsSnapshotSchema,
} from '../objects/snapshot.js';
import { type NormalizedCatalogDocument, normalizeCatalog, preferenceCatalogSchema } from '../api/preferenceCatalog.js';
import {
  exportPreferenceSets,
  exportTenantPreferenceCategories,
  importPreferenceSets,
  importTenantPreferenceCategories,
  preferenceSetsSnapshotSchema,
  tenantPreferenceCategoriesSnapshotSchema,
} from '../preferences/snapshot.js';
import { exportTenants, importTenants, tenantsSnapshotSchema } from '../tenants/snapshot.js';
import { exportUsers, importUsers, usersSnapshotSchema } from '../users/snapshot.js';
import { exportUserTenantProfiles, importUserTenantProfiles, userTenantProfilesSnapshotSchema } from '../users/tenantSnapshot.js';
import type { Workspace } from '../workspaces/registry.js';

/**
 * Snapshots: a workspace's whole state as one JSON document — users with
 * identities and statuses, lists with members and drafts, objects with
 * identities, subscriptions, tenants — and back. Each domain reads and writes
 * its own part; rows are written in the order they are read, so export →
 * import → export gives the same document.
 *
 * Version 2 added `tenants` and `user_tenant_profiles` (users' tenant-scoped
 * profiles) to each workspace; version 1 documents (without them) are still
 * read, as workspaces holding only their default tenant. Later version-2
 * documents add `preference_categories` (the workspace's catalog; absent: the
 * workspace keeps its own), `preferences` (stored choices) and
 * `tenant_preference_categories` (tenants' overrides); without them a
 * workspace has no choices and no overrides.
 */

const workspaceSnapshotV1Schema = z.object({
  name: workspaceNameSchema,
  users: usersSnapshotSchema,
  lists: listsSnapshotSchema,
  objects: objectsSnapshotSchema,
  subscriptions: subscriptionsSnapshotSchema,
});
const workspaceSnapshotSchema = workspaceSnapshotV1Schema
  .extend({
    tenants: tenantsSnapshotSchema,
    user_tenant_profiles: userTenantProfilesSnapshotSchema.default([]),
    preference_categories: preferenceCatalogSchema.nullable().optional(),
    preferences: preferenceSetsSnapshotSchema.default([]),
    tenant_preference_categories: tenantPreferenceCategoriesSnapshotSchema.default([]),
  })
  .superRefine((ws, ctx) => {
    // A tenant-scoped profile belongs to a user and a tenant of the same document, as the API would require.
    const users = new Set(ws.users.map((u) => u.distinct_id));
    const tenants = new Set(['default', ...ws.tenants.map((t) => t.tenant_id)]);
    ws.preferences.forEach((p, i) => {
      if (p.object_type === null && !users.has(p.owner_id)) {
        ctx.addIssue({ code: 'custom', path: ['preferences', i, 'owner_id'], message: `no user "${p.owner_id}" in this workspace` });
      }
      if (!tenants.has(p.tenant_id)) {
        ctx.addIssue({ code: 'custom', path: ['preferences', i, 'tenant_id'], message: `no tenant "${p.tenant_id}" in this workspace` });
      }
    });
    ws.tenant_preference_categories.forEach((o, i) => {
      if (!tenants.has(o.tenant_id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenant_preference_categories', i, 'tenant_id'],
          message: `no tenant "${o.tenant_id}" in this workspace`,
        });
      }
    });
    ws.user_tenant_profiles.forEach((p, i) => {
      if (!users.has(p.distinct_id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['user_tenant_profiles', i, 'distinct_id'],
          message: `no user "${p.distinct_id}" in this workspace`,
        });
      } else if (!tenants.has(p.tenant_id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['user_tenant_profiles', i, 'tenant_id'],
          message: `no tenant "${p.tenant_id}" in this workspace`,
        });
      }
    });
  });

export const SNAPSHOT_VERSION = 2;

export const snapshotSchema = z
  .object({
    format: z.literal('suprsend-emulator-snapshot'),
    version: z.literal(SNAPSHOT_VERSION),
    workspaces: z.array(workspaceSnapshotSchema),
  })
  .meta({ id: 'Snapshot' });
export type Snapshot = z.infer<typeof snapshotSchema>;
type WorkspaceSnapshot = z.infer<typeof workspaceSnapshotSchema>;

/** What an import reads: the current version, or version 1 (no tenants). */
export const importableSnapshotSchema = z.discriminatedUnion('version', [
  snapshotSchema,
  z.object({
    format: z.literal('suprsend-emulator-snapshot'),
    version: z.literal(1),
    workspaces: z.array(workspaceSnapshotV1Schema),
  }),
]);
type ImportableWorkspace = z.infer<typeof workspaceSnapshotV1Schema> &
  Partial<
    Pick<WorkspaceSnapshot, 'tenants' | 'user_tenant_profiles' | 'preference_categories' | 'preferences' | 'tenant_preference_categories'>
  >;

function exportWorkspace(db: Db, ws: Workspace): WorkspaceSnapshot {
  const key = ws.dataKey;
  return {
    name: ws.name,
    users: exportUsers(db, key),
    lists: exportLists(db, key),
    objects: exportObjects(db, key),
    subscriptions: exportSubscriptions(db, key),
    tenants: exportTenants(db, key),
    user_tenant_profiles: exportUserTenantProfiles(db, key),
    preference_categories: ws.preferenceDocument as WorkspaceSnapshot['preference_categories'],
    preferences: exportPreferenceSets(db, key),
    tenant_preference_categories: exportTenantPreferenceCategories(db, key),
  };
}

/** The listed workspaces' state, read in one transaction so it is consistent. */
export function exportSnapshot(db: Db, workspaces: readonly Workspace[]): Snapshot {
  return {
    format: 'suprsend-emulator-snapshot',
    version: SNAPSHOT_VERSION,
    workspaces: db.$client.transaction(() => workspaces.map((ws) => exportWorkspace(db, ws)))(),
  };
}

/**
 * Writes one workspace's state into `dataKey`, which must hold no rows (a
 * freshly reset workspace), inside the caller's transaction. Returns the
 * catalog the workspace gets (undefined: it keeps its own).
 */
export function importWorkspace(
  db: Db,
  dataKey: string,
  snap: ImportableWorkspace,
): { preferenceDocument?: NormalizedCatalogDocument | null } {
  importUsers(db, dataKey, snap.users);
  importLists(db, dataKey, snap.lists);
  importObjects(db, dataKey, snap);
  importTenants(db, dataKey, snap.tenants ?? []);
  importUserTenantProfiles(db, dataKey, snap.user_tenant_profiles ?? []);
  importPreferenceSets(db, dataKey, snap.preferences ?? []);
  importTenantPreferenceCategories(db, dataKey, snap.tenant_preference_categories ?? []);
  if (snap.preference_categories === undefined) return {};
  return { preferenceDocument: snap.preference_categories === null ? null : normalizeCatalog(snap.preference_categories) };
}
