import { channelsToWire, overlayProfile } from '../engine/index.js';
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
  const globalProperties = JSON.parse(row.globalProperties) as Record<string, unknown>;
  const tenantProperties = JSON.parse(row.tenantProperties) as Record<string, unknown>;
  return {
    distinct_id: row.distinctId,
    properties: overlayProfile(
      { properties: globalProperties as never, identities: [] },
      { properties: tenantProperties as never, identities: [] },
    ).properties,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
