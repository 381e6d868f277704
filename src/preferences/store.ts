import type Database from 'better-sqlite3';
import type { Db } from '../db/open.js';

/** A stored preference set (JSON columns as text). */
export interface PreferenceSetRow {
  id: number;
  channels: string;
  categories: string;
}

/** A stored tenant override (JSON columns as text). */
export interface TenantOverrideRow {
  category: string;
  enabled_for_tenant: number;
  visible_to_subscriber: number;
  preference: 'opt_in' | 'opt_out' | 'cant_unsubscribe' | null;
  mandatory_channels: string | null;
  opt_in_channels: string | null;
  blocked_channels: string | null;
  digest_schedule: string | null;
  properties: string | null;
  updated_at: string;
}

export type TenantOverrideFields = Omit<TenantOverrideRow, 'category' | 'updated_at'>;

/** An owner of preferences: a user (`objectType` '') or an object. */
export interface OwnerKey {
  objectType: string;
  ownerId: string;
}

/** Data access for preference sets and tenant overrides. Statements are prepared once; callers hold the transaction. */
export class PreferenceStore {
  private readonly s: {
    find: Database.Statement<[string, string, string, string], PreferenceSetRow>;
    save: Database.Statement<[string, string, string, string, string, string, string]>;
    deleteSet: Database.Statement<[string, string, string, string]>;
    deleteOwner: Database.Statement<[string, string, string]>;
    deleteTenantSets: Database.Statement<[string, string]>;
    deleteTenantOverrides: Database.Statement<[string, string]>;
    overrides: Database.Statement<[string, string], TenantOverrideRow>;
    override: Database.Statement<[string, string, string], TenantOverrideRow>;
    saveOverride: Database.Statement<unknown[]>;
  };

  constructor(db: Db) {
    const sqlite = db.$client;
    const OVERRIDE_COLUMNS = `category, enabled_for_tenant, visible_to_subscriber, preference, mandatory_channels, opt_in_channels,
      blocked_channels, digest_schedule, properties, updated_at`;
    this.s = {
      find: sqlite.prepare(
        'SELECT id, channels, categories FROM preference_sets WHERE workspace = ? AND object_type = ? AND owner_id = ? AND tenant_id = ?',
      ),
      save: sqlite.prepare(
        `INSERT INTO preference_sets (workspace, object_type, owner_id, tenant_id, channels, categories, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace, object_type, owner_id, tenant_id)
         DO UPDATE SET channels = excluded.channels, categories = excluded.categories, updated_at = excluded.updated_at`,
      ),
      deleteSet: sqlite.prepare('DELETE FROM preference_sets WHERE workspace = ? AND object_type = ? AND owner_id = ? AND tenant_id = ?'),
      deleteOwner: sqlite.prepare('DELETE FROM preference_sets WHERE workspace = ? AND object_type = ? AND owner_id = ?'),
      deleteTenantSets: sqlite.prepare('DELETE FROM preference_sets WHERE workspace = ? AND tenant_id = ?'),
      deleteTenantOverrides: sqlite.prepare('DELETE FROM tenant_preference_categories WHERE workspace = ? AND tenant_id = ?'),
      overrides: sqlite.prepare(`SELECT ${OVERRIDE_COLUMNS} FROM tenant_preference_categories WHERE workspace = ? AND tenant_id = ?`),
      override: sqlite.prepare(
        `SELECT ${OVERRIDE_COLUMNS} FROM tenant_preference_categories WHERE workspace = ? AND tenant_id = ? AND category = ?`,
      ),
      saveOverride: sqlite.prepare(
        `INSERT INTO tenant_preference_categories (workspace, tenant_id, ${OVERRIDE_COLUMNS})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace, tenant_id, category) DO UPDATE SET
           enabled_for_tenant = excluded.enabled_for_tenant, visible_to_subscriber = excluded.visible_to_subscriber,
           preference = excluded.preference, mandatory_channels = excluded.mandatory_channels,
           opt_in_channels = excluded.opt_in_channels, blocked_channels = excluded.blocked_channels,
           digest_schedule = excluded.digest_schedule, properties = excluded.properties, updated_at = excluded.updated_at`,
      ),
    };
  }

  find(ws: string, owner: OwnerKey, tenantId: string): PreferenceSetRow | undefined {
    return this.s.find.get(ws, owner.objectType, owner.ownerId, tenantId);
  }

  save(ws: string, owner: OwnerKey, tenantId: string, channels: string, categories: string, now: string): void {
    this.s.save.run(ws, owner.objectType, owner.ownerId, tenantId, channels, categories, now);
  }

  deleteSet(ws: string, owner: OwnerKey, tenantId: string): void {
    this.s.deleteSet.run(ws, owner.objectType, owner.ownerId, tenantId);
  }

  /** Every tenant scope of one owner. */
  deleteOwner(ws: string, owner: OwnerKey): void {
    this.s.deleteOwner.run(ws, owner.objectType, owner.ownerId);
  }

  /** Every preference set scoped to the tenant, and its overrides. */
  deleteTenant(ws: string, tenantId: string): void {
    this.s.deleteTenantSets.run(ws, tenantId);
    this.s.deleteTenantOverrides.run(ws, tenantId);
  }

  overrides(ws: string, tenantId: string): TenantOverrideRow[] {
    return this.s.overrides.all(ws, tenantId);
  }

  override(ws: string, tenantId: string, category: string): TenantOverrideRow | undefined {
    return this.s.override.get(ws, tenantId, category);
  }

  saveOverride(ws: string, tenantId: string, category: string, f: TenantOverrideFields, now: string): void {
    this.s.saveOverride.run(
      ws,
      tenantId,
      category,
      f.enabled_for_tenant,
      f.visible_to_subscriber,
      f.preference,
      f.mandatory_channels,
      f.opt_in_channels,
      f.blocked_channels,
      f.digest_schedule,
      f.properties,
      now,
    );
  }
}
