import type Database from 'better-sqlite3';
import type { Db } from '../db/open.js';

/** A stored tenant; JSON columns as text. */
export interface TenantRow {
  id: number;
  tenant_id: string;
  tenant_name: string;
  logo: string | null;
  timezone: string | null;
  blocked_channels: string | null;
  embedded_preference_url: string | null;
  hosted_preference_domain: string | null;
  primary_color: string | null;
  secondary_color: string | null;
  tertiary_color: string | null;
  social_links: string;
  properties: string;
  created_at: string;
  updated_at: string;
}

/** The fields of a tenant an upsert writes. */
export type TenantFields = Omit<TenantRow, 'id' | 'tenant_id' | 'created_at' | 'updated_at'>;

const FIELDS = [
  'tenant_name',
  'logo',
  'timezone',
  'blocked_channels',
  'embedded_preference_url',
  'hosted_preference_domain',
  'primary_color',
  'secondary_color',
  'tertiary_color',
  'social_links',
  'properties',
] as const satisfies readonly (keyof TenantFields)[];

const fieldValues = (f: TenantFields) => FIELDS.map((k) => f[k]);

/**
 * The listing's order: the `default` tenant first (it stands for the
 * organisation), then the others in creation order.
 */
const ORDER = `ORDER BY (tenant_id = 'default') DESC, id ASC`;

/** Data access for tenants. Statements are prepared once; callers hold the transaction. */
export class TenantStore {
  private readonly s: {
    find: Database.Statement<[ws: string, tenantId: string], TenantRow>;
    exists: Database.Statement<[ws: string, tenantId: string], { one: number }>;
    insert: Database.Statement<unknown[]>;
    update: Database.Statement<unknown[]>;
    delete: Database.Statement<[pk: number]>;
    count: Database.Statement<[ws: string], { n: number }>;
    page: Database.Statement<[ws: string, limit: number, offset: number], TenantRow>;
  };

  constructor(db: Db) {
    const sqlite = db.$client;
    this.s = {
      find: sqlite.prepare('SELECT * FROM tenants WHERE workspace = ? AND tenant_id = ?'),
      exists: sqlite.prepare('SELECT 1 AS one FROM tenants WHERE workspace = ? AND tenant_id = ?'),
      insert: sqlite.prepare(
        `INSERT INTO tenants (workspace, tenant_id, ${FIELDS.join(', ')}, created_at, updated_at)
         VALUES (?, ?, ${FIELDS.map(() => '?').join(', ')}, ?, ?)`,
      ),
      update: sqlite.prepare(`UPDATE tenants SET ${FIELDS.map((f) => `${f} = ?`).join(', ')}, updated_at = ? WHERE id = ?`),
      delete: sqlite.prepare('DELETE FROM tenants WHERE id = ?'),
      count: sqlite.prepare('SELECT count(*) AS n FROM tenants WHERE workspace = ?'),
      page: sqlite.prepare(`SELECT * FROM tenants WHERE workspace = ? ${ORDER} LIMIT ? OFFSET ?`),
    };
  }

  find(ws: string, tenantId: string): TenantRow | undefined {
    return this.s.find.get(ws, tenantId);
  }

  exists(ws: string, tenantId: string): boolean {
    return this.s.exists.get(ws, tenantId) !== undefined;
  }

  insert(ws: string, tenantId: string, fields: TenantFields, now: string): void {
    this.s.insert.run(ws, tenantId, ...fieldValues(fields), now, now);
  }

  update(pk: number, fields: TenantFields, now: string): void {
    this.s.update.run(...fieldValues(fields), now, pk);
  }

  delete(pk: number): void {
    this.s.delete.run(pk);
  }

  count(ws: string): number {
    return this.s.count.get(ws)!.n;
  }

  /** Stored tenants in listing order, `default` (when stored) first. */
  page(ws: string, limit: number, offset: number): TenantRow[] {
    return this.s.page.all(ws, limit, offset);
  }
}
