import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { preferenceSets, tenantPreferenceCategories } from '../db/schema.js';
import { PREFERENCE_CHANNELS } from '../engine/preferences.js';
import { snapshotTimestamp } from '../profiles/snapshot.js';

/**
 * Stored preference choices and tenants' category overrides in a snapshot.
 * (The catalog itself belongs to the workspace: see src/admin/snapshot.ts.)
 */

const channel = z.enum(PREFERENCE_CHANNELS);
const channels = z.array(channel).nullable();

export const preferenceSetsSnapshotSchema = z.array(
  z.object({
    /** null for a user's preferences, else the object's type. */
    object_type: z.string().min(1).nullable(),
    /** The user's distinct_id or the object's id. */
    owner_id: z.string().min(1),
    tenant_id: z.string().min(1),
    channels: z.partialRecord(channel, z.boolean()),
    categories: z.record(
      z.string().min(1),
      z.object({
        preference: z.enum(['opt_in', 'opt_out']),
        opt_out_channels: channels,
        opt_in_channels: channels,
        digest_schedule: z.unknown().optional(),
        properties: z.unknown().optional(),
        updated_at: snapshotTimestamp,
      }),
    ),
    updated_at: snapshotTimestamp,
  }),
);
export type PreferenceSetsSnapshot = z.infer<typeof preferenceSetsSnapshotSchema>;

export const tenantPreferenceCategoriesSnapshotSchema = z.array(
  z.object({
    tenant_id: z.string().min(1),
    category: z.string().min(1),
    enabled_for_tenant: z.boolean(),
    visible_to_subscriber: z.boolean(),
    preference: z.enum(['opt_in', 'opt_out', 'cant_unsubscribe']).nullable(),
    mandatory_channels: channels,
    opt_in_channels: channels,
    blocked_channels: channels,
    digest_schedule: z.unknown().optional(),
    properties: z.unknown().optional(),
    updated_at: snapshotTimestamp,
  }),
);
export type TenantPreferenceCategoriesSnapshot = z.infer<typeof tenantPreferenceCategoriesSnapshotSchema>;

const list = (text: string | null) => (text === null ? null : (JSON.parse(text) as z.infer<typeof channel>[]));
const text = (value: unknown[] | null) => (value === null ? null : JSON.stringify(value));

export function exportPreferenceSets(db: Db, dataKey: string): PreferenceSetsSnapshot {
  return db
    .select()
    .from(preferenceSets)
    .where(eq(preferenceSets.workspace, dataKey))
    .orderBy(asc(preferenceSets.id))
    .all()
    .map((r) => ({
      object_type: r.objectType === '' ? null : r.objectType,
      owner_id: r.ownerId,
      tenant_id: r.tenantId,
      channels: JSON.parse(r.channels) as PreferenceSetsSnapshot[number]['channels'],
      categories: JSON.parse(r.categories) as PreferenceSetsSnapshot[number]['categories'],
      updated_at: r.updatedAt,
    }));
}

export function importPreferenceSets(db: Db, dataKey: string, snap: PreferenceSetsSnapshot): void {
  for (const s of snap) {
    db.insert(preferenceSets)
      .values({
        workspace: dataKey,
        objectType: s.object_type ?? '',
        ownerId: s.owner_id,
        tenantId: s.tenant_id,
        channels: JSON.stringify(s.channels),
        categories: JSON.stringify(s.categories),
        updatedAt: s.updated_at,
      })
      .run();
  }
}

export function exportTenantPreferenceCategories(db: Db, dataKey: string): TenantPreferenceCategoriesSnapshot {
  return db
    .select()
    .from(tenantPreferenceCategories)
    .where(eq(tenantPreferenceCategories.workspace, dataKey))
    .orderBy(asc(tenantPreferenceCategories.id))
    .all()
    .map((r) => ({
      tenant_id: r.tenantId,
      category: r.category,
      enabled_for_tenant: r.enabledForTenant,
      visible_to_subscriber: r.visibleToSubscriber,
      preference: r.preference,
      mandatory_channels: list(r.mandatoryChannels),
      opt_in_channels: list(r.optInChannels),
      blocked_channels: list(r.blockedChannels),
      ...(r.digestSchedule === null ? {} : { digest_schedule: JSON.parse(r.digestSchedule) as unknown }),
      ...(r.properties === null ? {} : { properties: JSON.parse(r.properties) as unknown }),
      updated_at: r.updatedAt,
    }));
}

export function importTenantPreferenceCategories(db: Db, dataKey: string, snap: TenantPreferenceCategoriesSnapshot): void {
  for (const o of snap) {
    db.insert(tenantPreferenceCategories)
      .values({
        workspace: dataKey,
        tenantId: o.tenant_id,
        category: o.category,
        enabledForTenant: o.enabled_for_tenant,
        visibleToSubscriber: o.visible_to_subscriber,
        preference: o.preference,
        mandatoryChannels: text(o.mandatory_channels),
        optInChannels: text(o.opt_in_channels),
        blockedChannels: text(o.blocked_channels),
        digestSchedule: o.digest_schedule === undefined || o.digest_schedule === null ? null : JSON.stringify(o.digest_schedule),
        properties: o.properties === undefined || o.properties === null ? null : JSON.stringify(o.properties),
        updatedAt: o.updated_at,
      })
      .run();
  }
}
