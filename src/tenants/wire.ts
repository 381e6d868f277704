import type { z } from 'zod';
import type { JsonObject } from '../engine/index.js';
import { type brandSchema, DEFAULT_TENANT_ID, SOCIAL_LINKS, type SocialLink, type tenantSchema } from './schemas.js';
import type { TenantRow } from './store.js';

export type TenantWire = z.infer<typeof tenantSchema>;
export type BrandWire = z.infer<typeof brandSchema>;

/** A tenant as the service handles it: stored, or the computed `default` of a workspace. */
export interface Tenant {
  tenantId: string;
  name: string;
  logo: string | null;
  timezone: string | null;
  blockedChannels: string[] | null;
  embeddedPreferenceUrl: string | null;
  hostedPreferenceDomain: string | null;
  primaryColor: string | null;
  secondaryColor: string | null;
  tertiaryColor: string | null;
  /** The links set; unset ones are absent. */
  socialLinks: Partial<Record<SocialLink, string>>;
  properties: JsonObject;
  /** In the clock's `+00:00` form; null for a computed default tenant. */
  updatedAt: string | null;
}

export function rowToTenant(row: TenantRow): Tenant {
  return {
    tenantId: row.tenant_id,
    name: row.tenant_name,
    logo: row.logo,
    timezone: row.timezone,
    blockedChannels: row.blocked_channels === null ? null : (JSON.parse(row.blocked_channels) as string[]),
    embeddedPreferenceUrl: row.embedded_preference_url,
    hostedPreferenceDomain: row.hosted_preference_domain,
    primaryColor: row.primary_color,
    secondaryColor: row.secondary_color,
    tertiaryColor: row.tertiary_color,
    socialLinks: JSON.parse(row.social_links) as Partial<Record<SocialLink, string>>,
    properties: JSON.parse(row.properties) as JsonObject,
    updatedAt: row.updated_at,
  };
}

/**
 * A workspace's `default` tenant before anything changed it: named after the
 * workspace, everything else unset, never updated.
 */
export function defaultTenant(workspaceName: string): Tenant {
  return {
    tenantId: DEFAULT_TENANT_ID,
    name: workspaceName,
    logo: null,
    timezone: null,
    blockedChannels: null,
    embeddedPreferenceUrl: null,
    hostedPreferenceDomain: null,
    primaryColor: null,
    secondaryColor: null,
    tertiaryColor: null,
    socialLinks: {},
    properties: {},
    updatedAt: null,
  };
}

/** `2025-04-06T21:01:35.359787+00:00` → `2025-04-06T21:01:35.359787Z`, the form SuprSend's tenant API answers. */
const zulu = (ts: string | null) => (ts === null ? null : ts.replace(/\+00:00$/, 'Z'));

function commonWire(t: Tenant): Omit<TenantWire, 'tenant_id' | 'tenant_name'> {
  return {
    logo: t.logo,
    timezone: t.timezone,
    blocked_channels: t.blockedChannels,
    embedded_preference_url: t.embeddedPreferenceUrl,
    hosted_preference_domain: t.hostedPreferenceDomain,
    primary_color: t.primaryColor,
    secondary_color: t.secondaryColor,
    tertiary_color: t.tertiaryColor,
    social_links: Object.fromEntries(SOCIAL_LINKS.map((k) => [k, t.socialLinks[k] ?? ''])) as Record<SocialLink, string>,
    properties: t.properties,
    updated_at: zulu(t.updatedAt),
  };
}

export function tenantToWire(t: Tenant): TenantWire {
  return { tenant_id: t.tenantId, tenant_name: t.name, ...commonWire(t) };
}

export function brandToWire(t: Tenant): BrandWire {
  return { brand_id: t.tenantId, brand_name: t.name, ...commonWire(t) };
}
