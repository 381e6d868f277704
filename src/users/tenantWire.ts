import { channelsToWire, overlayProfile, overlayProperties } from '../engine/index.js';
import type { JsonObject } from '../engine/types.js';
import type { StoredUser } from './store.js';
import type { StoredTenantProfile, TenantUserRow } from './tenantStore.js';

const later = (a: string, b: string) => (a > b ? a : b);

/** A user as seen in a tenant: the user's shape, the tenant-scoped keys winning over the global ones. */
export function tenantUserToWire(user: StoredUser, scoped: StoredTenantProfile) {
  const effective = overlayProfile(user.profile, scoped.profile);
  return {
    distinct_id: user.distinctId,
    tenant_id: scoped.tenantId,
    properties: effective.properties,
    created_at: user.createdAt,
    updated_at: later(user.updatedAt, scoped.updatedAt),
    ...channelsToWire(effective),
  };
}
export type TenantUserWire = ReturnType<typeof tenantUserToWire>;

/** One of a user's tenants: the tenant-scoped profile alone (what overrides the global one there). */
export function tenantProfileToWire(scoped: StoredTenantProfile) {
  return {
    tenant_id: scoped.tenantId,
    properties: scoped.profile.properties,
    created_at: scoped.createdAt,
    updated_at: scoped.updatedAt,
    ...channelsToWire(scoped.profile),
  };
}

/** A row of `GET /v1/user/?tenant_id=`: the user's summary as seen in the tenant (no channels, as every user listing). */
export function tenantUserRowToWire(row: TenantUserRow) {
  return {
    distinct_id: row.distinctId,
    properties: overlayProperties(JSON.parse(row.globalProperties) as JsonObject, JSON.parse(row.tenantProperties) as JsonObject),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
