import type { CatalogCategory, Choice, RootCategory, TenantOverride } from '../engine/preferences.js';
import type { TenantOverrideRow } from './store.js';

/** One stored category choice (JSON in `preference_sets.categories`). */
export interface StoredCategory {
  preference: Choice;
  opt_out_channels: string[] | null;
  opt_in_channels: string[] | null;
  digest_schedule?: unknown;
  properties?: unknown;
  updated_at: string;
}

/** An owner's stored choices in one tenant scope. */
export interface StoredSet {
  channels: Record<string, boolean>;
  categories: Record<string, StoredCategory>;
}

const list = (text: string | null): string[] | null => (text === null ? null : (JSON.parse(text) as string[]));

/** A stored override as the engine reads it. */
export function overrideOf(row: TenantOverrideRow): TenantOverride {
  return {
    enabledForTenant: row.enabled_for_tenant === 1,
    visibleToSubscriber: row.visible_to_subscriber === 1,
    preference: row.preference,
    mandatoryChannels: list(row.mandatory_channels),
    optInChannels: list(row.opt_in_channels),
    blockedChannels: list(row.blocked_channels),
  };
}

export interface TenantCategoryWire {
  name: string;
  category: string;
  description: string | null;
  tags: string[] | null;
  effective_tags: string[] | null;
  root_category: RootCategory;
  default_preference: CatalogCategory['defaultPreference'];
  default_mandatory_channels: string[] | null;
  default_opt_in_channels: string[] | null;
  enabled_for_tenant: boolean;
  visible_to_subscriber: boolean;
  preference: CatalogCategory['defaultPreference'] | null;
  mandatory_channels: string[] | null;
  opt_in_channels: string[] | null;
  blocked_channels: string[] | null;
  updated_at: string | null;
  digest_schedule?: unknown;
  properties?: unknown;
}

/** A catalog category with a tenant's override (or none) as the tenant preference API answers it. */
export function tenantCategoryWire(c: CatalogCategory, row: TenantOverrideRow | undefined): TenantCategoryWire {
  const wire: TenantCategoryWire = {
    name: c.name,
    category: c.category,
    description: c.description,
    tags: c.tags,
    effective_tags: c.effectiveTags,
    root_category: c.rootCategory,
    default_preference: c.defaultPreference,
    default_mandatory_channels: c.defaultMandatoryChannels,
    default_opt_in_channels: c.defaultOptInChannels,
    enabled_for_tenant: row ? row.enabled_for_tenant === 1 : true,
    visible_to_subscriber: row ? row.visible_to_subscriber === 1 : true,
    preference: row?.preference ?? null,
    mandatory_channels: list(row?.mandatory_channels ?? null),
    opt_in_channels: list(row?.opt_in_channels ?? null),
    blocked_channels: list(row?.blocked_channels ?? null),
    updated_at: row?.updated_at ?? null,
  };
  if (row?.digest_schedule) wire.digest_schedule = JSON.parse(row.digest_schedule);
  if (row?.properties) wire.properties = JSON.parse(row.properties);
  return wire;
}

/** The deprecated `/v1/tenant/{id}/category/` entry: fewer keys, `preference` is the tenant's effective default. */
export function legacyTenantCategoryWire(e: TenantCategoryWire) {
  return {
    name: e.name,
    category: e.category,
    root_category: e.root_category,
    default_preference: e.default_preference,
    default_mandatory_channels: e.default_mandatory_channels,
    default_opt_in_channels: e.default_opt_in_channels,
    visible_to_subscriber: e.visible_to_subscriber,
    preference: e.preference ?? e.default_preference,
    mandatory_channels: e.mandatory_channels,
    opt_in_channels: e.opt_in_channels,
    blocked_channels: e.blocked_channels,
  };
}
