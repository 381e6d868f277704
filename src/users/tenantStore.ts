import type Database from 'better-sqlite3';
import type { KeysetPage, PageRequest } from '../api/paging.js';
import { keysetPage } from '../db/keyset.js';
import type { Db } from '../db/open.js';
import type { Profile } from '../engine/types.js';
import { type ProfileRow, ProfileRepo, type StoredProfile, USER_TENANT_PROFILES } from '../profiles/store.js';

/** A user's profile in one tenant, as read from the database. */
export interface StoredTenantProfile extends StoredProfile {
  distinctId: string;
  tenantId: string;
}

/** A row of the users of one tenant: the tenant-scoped profile beside the global one. */
export interface TenantUserRow {
  id: number;
  distinctId: string;
  tenantProperties: string;
  globalProperties: string;
  createdAt: string;
  updatedAt: string;
}

/** A row of one user's tenants: a profile row and its tenant. */
interface UserTenantRow extends ProfileRow {
  tenant_id: string;
}

const TENANT_USER = `p.id, p.distinct_id as distinctId, p.properties as tenantProperties, u.properties as globalProperties,
  u.created_at as createdAt, max(u.updated_at, p.updated_at) as updatedAt
  from user_tenant_profiles p join users u on u.workspace = p.workspace and u.distinct_id = p.distinct_id`;

/**
 * Data access for tenant-scoped user profiles and their identities; callers
 * hold the transaction. Statements are prepared once (request path).
 */
export class TenantProfileStore {
  private readonly profiles: ProfileRepo;
  private readonly s: {
    tenantsOfUser: Database.Statement<[string, string, number, number], UserTenantRow>;
    countTenantsOfUser: Database.Statement<[string, string], { n: number }>;
    countUsersOfTenant: Database.Statement<[string, string], { n: number }>;
    olderUsersOfTenant: Database.Statement<[string, string, number, number], TenantUserRow>;
    newerUsersOfTenant: Database.Statement<[string, string, number, number], TenantUserRow>;
    otherTenant: Database.Statement<[string, string, string], { tenant_id: string }>;
    deleteOfUser: Database.Statement<[string, string]>;
    deleteOfTenant: Database.Statement<[string, string]>;
    moveToPrimary: Database.Statement<[string, string, string, string, string]>;
  };

  constructor(db: Db) {
    const c = db.$client;
    this.profiles = new ProfileRepo(c, USER_TENANT_PROFILES);
    this.s = {
      tenantsOfUser: c.prepare(
        'select id, tenant_id, properties, created_at, updated_at from user_tenant_profiles where workspace = ? and distinct_id = ? order by id limit ? offset ?',
      ),
      countTenantsOfUser: c.prepare('select count(*) as n from user_tenant_profiles where workspace = ? and distinct_id = ?'),
      countUsersOfTenant: c.prepare('select count(*) as n from user_tenant_profiles where workspace = ? and tenant_id = ?'),
      olderUsersOfTenant: c.prepare(
        `select ${TENANT_USER} where p.workspace = ? and p.tenant_id = ? and p.id < ? order by p.id desc limit ?`,
      ),
      newerUsersOfTenant: c.prepare(
        `select ${TENANT_USER} where p.workspace = ? and p.tenant_id = ? and p.id > ? order by p.id asc limit ?`,
      ),
      otherTenant: c.prepare(
        'select tenant_id from user_tenant_profiles where workspace = ? and distinct_id = ? and tenant_id != ? limit 1',
      ),
      deleteOfUser: c.prepare('delete from user_tenant_profiles where workspace = ? and distinct_id = ?'),
      deleteOfTenant: c.prepare('delete from user_tenant_profiles where workspace = ? and tenant_id = ?'),
      // The secondary's profiles in tenants the primary has none in; what is left of the secondary is deleted with it.
      moveToPrimary: c.prepare(
        `update user_tenant_profiles set distinct_id = ? where workspace = ? and distinct_id = ? and tenant_id not in
          (select tenant_id from user_tenant_profiles where workspace = ? and distinct_id = ?)`,
      ),
    };
  }

  find(workspace: string, distinctId: string, tenantId: string): StoredTenantProfile | undefined {
    const found = this.profiles.find(workspace, [distinctId, tenantId]);
    return found && { ...found, distinctId, tenantId };
  }

  save(
    workspace: string,
    key: { distinctId: string; tenantId: string },
    before: StoredTenantProfile | undefined,
    profile: Profile,
    now: string,
  ) {
    return { ...this.profiles.save(workspace, [key.distinctId, key.tenantId], before, profile, now), ...key };
  }

  delete(workspace: string, distinctId: string, tenantId: string): boolean {
    return this.profiles.delete(workspace, [distinctId, tenantId]);
  }

  /** One user's tenant-scoped profiles, oldest first, with their total. */
  tenantsOfUser(workspace: string, distinctId: string, limit: number, offset: number): { count: number; profiles: StoredTenantProfile[] } {
    const rows = this.s.tenantsOfUser.all(workspace, distinctId, limit, offset);
    return {
      count: this.s.countTenantsOfUser.get(workspace, distinctId)?.n ?? 0,
      // The rows are the profiles: only their identities are left to read (not each profile again by key).
      profiles: rows.map((row) => ({ ...this.profiles.withIdentities(row), distinctId, tenantId: row.tenant_id })),
    };
  }

  countUsersOfTenant(workspace: string, tenantId: string): number {
    return this.s.countUsersOfTenant.get(workspace, tenantId)?.n ?? 0;
  }

  /** The users with a profile in the tenant, newest mapping first (keyset paging). */
  usersOfTenant(workspace: string, tenantId: string, req: PageRequest): KeysetPage<TenantUserRow> {
    return keysetPage<TenantUserRow>(
      {
        older: (bound, n) => this.s.olderUsersOfTenant.all(workspace, tenantId, bound ?? Number.MAX_SAFE_INTEGER, n),
        newer: (bound, n) => this.s.newerUsersOfTenant.all(workspace, tenantId, bound, n),
        idOf: (row) => row.id,
      },
      req,
    );
  }

  /** A tenant other than `tenantId` the user has a profile in, if any. */
  otherTenantOf(workspace: string, distinctId: string, tenantId: string): string | undefined {
    return this.s.otherTenant.get(workspace, distinctId, tenantId)?.tenant_id;
  }

  deleteOfUser(workspace: string, distinctId: string): void {
    this.s.deleteOfUser.run(workspace, distinctId);
  }

  deleteOfTenant(workspace: string, tenantId: string): void {
    this.s.deleteOfTenant.run(workspace, tenantId);
  }

  /** Merge: the secondary's tenant profiles move to the primary where it has none in that tenant. */
  moveToPrimary(workspace: string, primary: string, secondary: string): void {
    this.s.moveToPrimary.run(primary, workspace, secondary, workspace, primary);
  }
}
