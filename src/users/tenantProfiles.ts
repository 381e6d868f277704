import { type CursorPage, cursorPage } from '../api/cursor.js';
import type { PageRequest } from '../api/paging.js';
import type { Clock } from '../clock.js';
import { formatTimestamp } from '../clock.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import { applyOperations } from '../engine/index.js';
import type { EngineResult } from '../engine/types.js';
import { operationsOf, ProfileWriter } from '../profiles/edit.js';
import type { Workspace } from '../workspaces/registry.js';
import type { ApiError } from '../api/errors.js';
import { tenantNotFound, tenantProfileNotFound, userInOtherTenant, userNotFound } from './errors.js';
import { checkedId, type UserRelations, type UserService } from './service.js';
import { type StoredTenantProfile, TenantProfileStore } from './tenantStore.js';
import { type TenantUserWire, tenantProfileToWire, tenantUserRowToWire, tenantUserToWire } from './tenantWire.js';

export const TENANT_USER_CURSOR = 'tenant_user';

/** What tenant-scoped profiles need of the tenants domain. */
export interface TenantDirectory {
  exists(ws: Workspace, tenantId: string): boolean;
}

type TenantKey = { distinctId: string; tenantId: string };

/**
 * Tenant-scoped user profiles: per (user, tenant), properties and identities
 * that override the user's global profile key by key when seen in that
 * tenant. The global profile is never changed through them.
 */
export class UserTenantService implements UserRelations {
  private readonly store: TenantProfileStore;
  private readonly writer: ProfileWriter<TenantKey, StoredTenantProfile>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: UserService,
    private readonly tenants: TenantDirectory,
  ) {
    this.store = new TenantProfileStore(db);
    this.writer = new ProfileWriter(
      {
        find: (ws, key) => this.store.find(ws, key.distinctId, key.tenantId),
        save: (ws, key, b, p, now) => this.store.save(ws, key, b, p, now),
      },
      null,
    );
    users.addRelations(this);
  }

  private now(): string {
    return formatTimestamp(this.clock.nowMicros());
  }

  private transaction<T>(fn: () => T): T {
    return inTransaction(this.db.$client, fn);
  }

  private checkTenant(ws: Workspace, tenantId: string): void {
    if (!this.tenants.exists(ws, tenantId)) throw tenantNotFound(tenantId);
  }

  /** In an `exclusive` workspace, a user has a profile in one tenant at most. */
  private tenancyConflict(ws: Workspace, distinctId: string, tenantId: string): ApiError | undefined {
    if (ws.userTenancyMode !== 'exclusive') return undefined;
    return this.store.otherTenantOf(ws.dataKey, distinctId, tenantId) === undefined ? undefined : userInOtherTenant();
  }

  /** The user seen in the tenant (404 when the user, the tenant or the user's profile in it is missing). */
  get(ws: Workspace, distinctId: string, tenantId: string): TenantUserWire {
    checkedId(distinctId);
    const user = this.users.stored(ws, distinctId);
    if (!user) throw userNotFound(distinctId);
    this.checkTenant(ws, tenantId);
    const scoped = this.store.find(ws.dataKey, distinctId, tenantId);
    if (!scoped) throw tenantProfileNotFound(distinctId, tenantId);
    return tenantUserToWire(user, scoped);
  }

  /** `POST`: creates or updates the user's profile in the tenant (and the user, when missing). */
  upsert(ws: Workspace, distinctId: string, tenantId: string, body: unknown): TenantUserWire {
    checkedId(distinctId);
    this.checkTenant(ws, tenantId);
    return this.transaction(() => {
      const conflict = this.tenancyConflict(ws, distinctId, tenantId);
      if (conflict) throw conflict;
      const user = this.users.ensure(ws, distinctId);
      const scoped = this.writer.upsert(ws, { distinctId, tenantId }, body, this.now());
      return tenantUserToWire(user, scoped);
    });
  }

  /** `PATCH`: operations on the user's profile in the tenant (created empty when missing), all or nothing. */
  edit(ws: Workspace, distinctId: string, tenantId: string, body: unknown): TenantUserWire {
    checkedId(distinctId);
    const operations = operationsOf(body);
    return this.transaction(() => {
      const user = this.users.stored(ws, distinctId);
      if (!user) throw userNotFound(distinctId);
      this.checkTenant(ws, tenantId);
      const conflict = this.tenancyConflict(ws, distinctId, tenantId);
      if (conflict) throw conflict;
      const now = this.now();
      const key = { distinctId, tenantId };
      const before = this.store.find(ws.dataKey, distinctId, tenantId);
      const result = applyOperations(before?.profile ?? this.writer.newProfile(ws, key, now), operations, { now });
      return tenantUserToWire(user, this.writer.save(ws, key, before, result, now));
    });
  }

  /** `DELETE`: removes the user's profile in the tenant; the global profile stays. */
  unlink(ws: Workspace, distinctId: string, tenantId: string): void {
    checkedId(distinctId);
    this.transaction(() => {
      if (!this.users.stored(ws, distinctId)) throw userNotFound(distinctId);
      this.checkTenant(ws, tenantId);
      if (!this.store.delete(ws.dataKey, distinctId, tenantId)) throw tenantProfileNotFound(distinctId, tenantId);
    });
  }

  /** The tenants a user has a profile in, with that profile (offset paging, oldest first). */
  tenantsOf(ws: Workspace, distinctId: string, limit: number, offset: number) {
    checkedId(distinctId);
    if (!this.users.stored(ws, distinctId)) throw userNotFound(distinctId);
    const { count, profiles } = this.store.tenantsOfUser(ws.dataKey, distinctId, limit, offset);
    return { meta: { count, limit, offset }, results: profiles.map(tenantProfileToWire) };
  }

  /** `GET /v1/user/?tenant_id=`: the users with a profile in the tenant, each as seen in it. */
  usersOf(ws: Workspace, tenantId: string, req: PageRequest): CursorPage<ReturnType<typeof tenantUserRowToWire>> {
    this.checkTenant(ws, tenantId);
    const page = this.store.usersOfTenant(ws.dataKey, tenantId, req);
    return cursorPage(TENANT_USER_CURSOR, this.store.countUsersOfTenant(ws.dataKey, tenantId), req, page, tenantUserRowToWire);
  }

  /**
   * `/event/` identity records with a `tenant_id`: operations on the user's
   * profile in the tenant, creating the user and that profile when missing.
   * Returns the engine's error instead of throwing; an unknown tenant is one.
   */
  applyOperationsCreating(
    ws: Workspace,
    distinctId: string,
    tenantId: string,
    operations: unknown,
  ): EngineResult | { ok: false; error: Error } {
    if (!this.tenants.exists(ws, tenantId)) return { ok: false, error: tenantNotFound(tenantId) };
    return this.transaction(() => {
      const conflict = this.tenancyConflict(ws, distinctId, tenantId);
      if (conflict) return { ok: false, error: conflict };
      const now = this.now();
      const key = { distinctId, tenantId };
      const before = this.store.find(ws.dataKey, distinctId, tenantId);
      const result = applyOperations(before?.profile ?? this.writer.newProfile(ws, key, now), operations, { now });
      if (result.ok) {
        this.users.ensure(ws, distinctId);
        this.store.save(ws.dataKey, key, before, result.profile, now);
      }
      return result;
    });
  }

  userDeleted(workspace: string, distinctId: string): void {
    this.store.deleteOfUser(workspace, distinctId);
  }

  usersMerged(workspace: string, primary: string, secondary: string): void {
    this.store.moveToPrimary(workspace, primary, secondary);
  }

  /** Called by the tenants domain inside the transaction that deletes a tenant. */
  tenantDeleted(workspace: string, tenantId: string): void {
    this.store.deleteOfTenant(workspace, tenantId);
  }
}
