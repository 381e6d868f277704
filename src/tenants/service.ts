import { formatTimestamp, type Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import type { Json, JsonObject } from '../engine/index.js';
import { copyObject, setOwn } from '../engine/json.js';
import type { Workspace } from '../workspaces/registry.js';
import { defaultNotDeletable, fieldError, type Naming, tenantNotFound } from './errors.js';
import { type BrandBody, DEFAULT_TENANT_ID, type SocialLink, socialLinkKey, type TenantBody, tenantIdProblem } from './schemas.js';
import { type TenantFields, TenantStore } from './store.js';
import { defaultTenant, rowToTenant, type Tenant } from './wire.js';

/**
 * What other domains keep about tenants (e.g. tenant-scoped user profiles).
 * Called inside the transaction that deletes the tenant, so a cascade is all
 * or nothing. `workspace` is the workspace's data key.
 */
export interface TenantRelations {
  tenantDeleted(workspace: string, tenantId: string): void;
}

/** An upsert body with the name under one key, whichever route it came through. */
export interface TenantInput {
  name?: string | null | undefined;
  logo?: string | null | undefined;
  timezone?: string | null | undefined;
  blockedChannels?: string[] | null | undefined;
  embeddedPreferenceUrl?: string | null | undefined;
  hostedPreferenceDomain?: string | null | undefined;
  primaryColor?: string | null | undefined;
  secondaryColor?: string | null | undefined;
  tertiaryColor?: string | null | undefined;
  socialLinks?: Record<string, string | null> | null | undefined;
  properties?: Record<string, unknown> | null | undefined;
}

/** A `/v1/tenant/` or `/v1/brand/` body as a TenantInput. */
export function tenantInput(body: TenantBody | BrandBody, naming: Naming): TenantInput {
  return {
    name: naming === 'tenant' ? (body as TenantBody).tenant_name : (body as BrandBody).brand_name,
    logo: body.logo,
    timezone: body.timezone,
    blockedChannels: body.blocked_channels,
    embeddedPreferenceUrl: body.embedded_preference_url ?? body.preference_page_url,
    hostedPreferenceDomain: body.hosted_preference_domain,
    primaryColor: body.primary_color,
    secondaryColor: body.secondary_color,
    tertiaryColor: body.tertiary_color,
    socialLinks: body.social_links,
    properties: body.properties,
  };
}

export interface TenantPage {
  meta: { count: number; limit: number; offset: number };
  results: Tenant[];
}

/** null or absent: keep; "": clear; anything else: set. */
const pick = (sent: string | null | undefined, stored: string | null): string | null =>
  sent === undefined || sent === null ? stored : sent === '' ? null : sent;

/**
 * Tenants (brands are the same tenants under older field names). Every
 * workspace has a `default` tenant: computed from the workspace until it is
 * first changed, stored from then on; it cannot be deleted.
 */
export class TenantService {
  private readonly store: TenantStore;
  private readonly relations: TenantRelations[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.store = new TenantStore(db);
  }

  /** Lets another domain cascade a tenant's deletion (called inside the delete's transaction). */
  addRelations(relations: TenantRelations): void {
    this.relations.push(relations);
  }

  private now(): string {
    return formatTimestamp(this.clock.nowMicros());
  }

  private transaction<T>(fn: () => T): T {
    return inTransaction(this.db.$client, fn);
  }

  /** The tenant, stored or the computed default; undefined when there is none. */
  private find(ws: Workspace, tenantId: string): Tenant | undefined {
    const row = this.store.find(ws.dataKey, tenantId);
    if (row) return rowToTenant(row);
    return tenantId === DEFAULT_TENANT_ID ? defaultTenant(ws.name) : undefined;
  }

  /** Whether the tenant exists (the `default` tenant always does); for domains that answer 404 for an unknown tenant. */
  exists(ws: Workspace, tenantId: string): boolean {
    return tenantId === DEFAULT_TENANT_ID || this.store.exists(ws.dataKey, tenantId);
  }

  get(ws: Workspace, tenantId: string, naming: Naming = 'tenant'): Tenant {
    const tenant = this.find(ws, tenantId);
    if (!tenant) throw tenantNotFound(naming, tenantId);
    return tenant;
  }

  /** `GET /v1/tenant/`: `default` first, then the others in creation order; offset paging. */
  list(ws: Workspace, limit: number, offset: number): TenantPage {
    return inTransaction(
      this.db.$client,
      () => {
        const stored = this.store.count(ws.dataKey);
        if (this.store.exists(ws.dataKey, DEFAULT_TENANT_ID)) {
          return { meta: { count: stored, limit, offset }, results: this.store.page(ws.dataKey, limit, offset).map(rowToTenant) };
        }
        // The computed default comes first, before every stored row.
        const results: Tenant[] =
          offset === 0
            ? [defaultTenant(ws.name), ...this.store.page(ws.dataKey, limit - 1, 0).map(rowToTenant)]
            : this.store.page(ws.dataKey, limit, offset - 1).map(rowToTenant);
        return { meta: { count: stored + 1, limit, offset }, results };
      },
      'deferred',
    );
  }

  /**
   * `POST /v1/tenant/{tenant_id}/`: creates the tenant (the name is then
   * required) or updates the fields sent. `null` and absent fields keep their
   * value, `""` clears a field (removes a social link); properties are
   * upserted on first-level keys.
   */
  upsert(ws: Workspace, tenantId: string, input: TenantInput, naming: Naming = 'tenant'): Tenant {
    const idProblem = tenantIdProblem(tenantId);
    if (idProblem) throw fieldError(`${naming}_id`, idProblem);
    return this.transaction(() => {
      const existing = this.find(ws, tenantId);
      if (!existing && (input.name === undefined || input.name === null)) {
        throw fieldError(`${naming}_name`, input.name === null ? 'This field may not be null.' : 'This field is required.');
      }
      const fields = merged(existing, input);
      const now = this.now();
      const row = this.store.find(ws.dataKey, tenantId);
      if (row) this.store.update(row.id, fields, now);
      else this.store.insert(ws.dataKey, tenantId, fields, now);
      return rowToTenant(this.store.find(ws.dataKey, tenantId)!);
    });
  }

  /** `DELETE /v1/tenant/{tenant_id}/`, cascading to the relations; the `default` tenant stays (400). */
  delete(ws: Workspace, tenantId: string, naming: Naming = 'tenant'): void {
    if (tenantId === DEFAULT_TENANT_ID) throw defaultNotDeletable(naming);
    this.transaction(() => {
      const row = this.store.find(ws.dataKey, tenantId);
      if (!row) throw tenantNotFound(naming, tenantId);
      this.store.delete(row.id);
      for (const r of this.relations) r.tenantDeleted(ws.dataKey, tenantId);
    });
  }
}

/** The stored fields after applying `input` to `existing` (or to nothing, for a new tenant). */
function merged(existing: Tenant | undefined, input: TenantInput): TenantFields {
  const links: Partial<Record<SocialLink, string>> = { ...existing?.socialLinks };
  for (const [sent, value] of Object.entries(input.socialLinks ?? {})) {
    const key = socialLinkKey(sent)!;
    if (value === null) continue;
    if (value === '') delete links[key];
    else links[key] = value;
  }
  const properties: JsonObject = copyObject(existing?.properties ?? {});
  for (const [key, value] of Object.entries(input.properties ?? {})) {
    setOwn(properties, key, value as Json);
  }
  const blocked = input.blockedChannels ?? existing?.blockedChannels ?? null;
  return {
    tenant_name: input.name ?? existing!.name,
    logo: pick(input.logo, existing?.logo ?? null),
    timezone: pick(input.timezone, existing?.timezone ?? null),
    blocked_channels: blocked === null ? null : JSON.stringify([...new Set(blocked)]),
    embedded_preference_url: pick(input.embeddedPreferenceUrl, existing?.embeddedPreferenceUrl ?? null),
    hosted_preference_domain: pick(input.hostedPreferenceDomain, existing?.hostedPreferenceDomain ?? null),
    primary_color: pick(input.primaryColor, existing?.primaryColor ?? null),
    secondary_color: pick(input.secondaryColor, existing?.secondaryColor ?? null),
    tertiary_color: pick(input.tertiaryColor, existing?.tertiaryColor ?? null),
    social_links: JSON.stringify(links),
    properties: JSON.stringify(properties),
  };
}
