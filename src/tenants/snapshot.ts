import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { tenants } from '../db/schema.js';
import { snapshotTimestamp } from '../profiles/snapshot.js';
import {
  blockedChannelsField,
  colourField,
  domainField,
  propertiesField,
  SOCIAL_LINKS,
  tenantIdProblem,
  tenantNameField,
  timezoneField,
  urlField,
} from './schemas.js';

/**
 * The stored tenants of a workspace in a snapshot, checked as the API checks
 * them. A `default` tenant never changed is not stored, so it is not in the
 * snapshot either: it follows the name of the workspace it is imported into.
 */
export const tenantsSnapshotSchema = z.array(
  z.object({
    tenant_id: z.string().superRefine((id, ctx) => {
      const problem = tenantIdProblem(id);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    tenant_name: tenantNameField,
    logo: urlField.nullable(),
    timezone: timezoneField.nullable(),
    blocked_channels: blockedChannelsField.nullable(),
    embedded_preference_url: urlField.nullable(),
    hosted_preference_domain: domainField.nullable(),
    primary_color: colourField.nullable(),
    secondary_color: colourField.nullable(),
    tertiary_color: colourField.nullable(),
    social_links: z.partialRecord(z.enum(SOCIAL_LINKS), urlField),
    properties: propertiesField,
    created_at: snapshotTimestamp,
    updated_at: snapshotTimestamp,
  }),
);
export type TenantsSnapshot = z.infer<typeof tenantsSnapshotSchema>;

/** A data key's stored tenants, oldest first. */
export function exportTenants(db: Db, dataKey: string): TenantsSnapshot {
  return db
    .select()
    .from(tenants)
    .where(eq(tenants.workspace, dataKey))
    .orderBy(asc(tenants.id))
    .all()
    .map((t) => ({
      tenant_id: t.tenantId,
      tenant_name: t.tenantName,
      logo: t.logo,
      timezone: t.timezone,
      blocked_channels: t.blockedChannels === null ? null : (JSON.parse(t.blockedChannels) as TenantsSnapshot[number]['blocked_channels']),
      embedded_preference_url: t.embeddedPreferenceUrl,
      hosted_preference_domain: t.hostedPreferenceDomain,
      primary_color: t.primaryColor,
      secondary_color: t.secondaryColor,
      tertiary_color: t.tertiaryColor,
      social_links: JSON.parse(t.socialLinks) as TenantsSnapshot[number]['social_links'],
      properties: JSON.parse(t.properties) as Record<string, unknown>,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
    }));
}

/** Writes the tenants into `dataKey`, which holds none yet. */
export function importTenants(db: Db, dataKey: string, snap: TenantsSnapshot): void {
  for (const t of snap) {
    db.insert(tenants)
      .values({
        workspace: dataKey,
        tenantId: t.tenant_id,
        tenantName: t.tenant_name,
        logo: t.logo,
        timezone: t.timezone,
        blockedChannels: t.blocked_channels === null ? null : JSON.stringify([...new Set(t.blocked_channels)]),
        embeddedPreferenceUrl: t.embedded_preference_url,
        hostedPreferenceDomain: t.hosted_preference_domain,
        primaryColor: t.primary_color,
        secondaryColor: t.secondary_color,
        tertiaryColor: t.tertiary_color,
        socialLinks: JSON.stringify(t.social_links),
        properties: JSON.stringify(t.properties),
        createdAt: t.created_at,
        updatedAt: t.updated_at,
      })
      .run();
  }
}
