import type { Clock } from '../clock.js';
import { formatTimestamp } from '../clock.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import { applyOperations, canonicalKey, mergeProfiles, setIdentityStatus, validateDistinctId } from '../engine/index.js';
import type { Channel, EngineResult, IdentityStatus, JsonObject, PermaStatus } from '../engine/types.js';
import { ApiError, badRequest } from '../api/errors.js';
import { mergeSourceNotFound, userNotFound } from './errors.js';
import { cursorPage, type CursorPage } from '../api/cursor.js';
import type { PageRequest } from '../api/paging.js';
import type { Workspace } from '../workspaces/registry.js';
import { operationsOf, ProfileWriter } from '../profiles/edit.js';
import { UserStore, type StoredUser } from './store.js';
import { userSummaryToWire, userToWire, type UserWire } from './wire.js';

export const USER_CURSOR = 'user';

/**
 * What other domains (lists, objects) keep about users. Called inside the
 * transaction that deletes or merges, so a cascade is all or nothing.
 */
export interface UserRelations {
  userDeleted(workspace: string, distinctId: string): void;
  /** Before the secondary is deleted: move what belongs to it over to the primary. */
  usersMerged(workspace: string, primary: string, secondary: string): void;
}

/** The user operations of the API, each one atomic (one transaction). */
export class UserService {
  private readonly store: UserStore;
  private readonly writer: ProfileWriter<string, StoredUser>;
  private readonly relations: UserRelations[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.store = new UserStore(db);
    this.writer = new ProfileWriter(this.store, (distinctId) => distinctId);
  }

  addRelations(relations: UserRelations): void {
    this.relations.push(relations);
  }

  /** Deletes a user and everything attached to it; false when there was no such user. */
  private deleteCascading(ws: Workspace, distinctId: string): boolean {
    const deleted = this.store.delete(ws.dataKey, distinctId);
    if (deleted) for (const r of this.relations) r.userDeleted(ws.dataKey, distinctId);
    return deleted;
  }

  private now(): string {
    return formatTimestamp(this.clock.nowMicros());
  }

  private transaction<T>(fn: () => T): T {
    return inTransaction(this.db.$client, fn);
  }

  get(ws: Workspace, distinctId: string): UserWire {
    const user = this.store.find(ws.dataKey, checkedId(distinctId));
    if (!user) throw userNotFound(distinctId);
    return userToWire(user);
  }

  /** Whether the user exists; for domains that answer 404 for an unknown user. */
  exists(ws: Workspace, distinctId: string): boolean {
    return this.store.exists(ws.dataKey, distinctId);
  }

  /** The stored global profile, for views built on it (tenant-scoped profiles); undefined when there is no such user. */
  stored(ws: Workspace, distinctId: string): StoredUser | undefined {
    return this.store.find(ws.dataKey, distinctId);
  }

  /** The user, created as an upsert without a body creates it when missing; inside the caller's transaction. */
  ensure(ws: Workspace, distinctId: string): StoredUser {
    return this.store.find(ws.dataKey, distinctId) ?? this.writer.upsert(ws, distinctId, {}, this.now());
  }

  /** `POST /v1/user/{id}/`: creates or updates. */
  upsert(ws: Workspace, distinctId: string, body: unknown): UserWire {
    checkedId(distinctId);
    return this.transaction(() => userToWire(this.writer.upsert(ws, distinctId, body, this.now())));
  }

  /** `PATCH /v1/user/{id}/`: applies `operations` to an existing user, all or nothing. */
  edit(ws: Workspace, distinctId: string, body: unknown): UserWire {
    checkedId(distinctId);
    const operations = operationsOf(body);
    return this.transaction(() => {
      const before = this.store.find(ws.dataKey, distinctId);
      if (!before) throw userNotFound(distinctId);
      return userToWire(this.writer.edit(ws, distinctId, before, operations, this.now()));
    });
  }

  /**
   * Applies operations to a user, creating it when missing (the `/event/`
   * identity path). Returns the engine's error instead of throwing it.
   */
  applyOperationsCreating(ws: Workspace, distinctId: string, operations: unknown): EngineResult {
    return this.transaction(() => {
      const now = this.now();
      const before = this.store.find(ws.dataKey, distinctId);
      const result = applyOperations(before?.profile ?? this.writer.newProfile(ws, distinctId, now), operations, { now });
      if (result.ok) this.store.save(ws.dataKey, distinctId, before, result.profile, now);
      return result;
    });
  }

  delete(ws: Workspace, distinctId: string): void {
    checkedId(distinctId);
    const deleted = this.transaction(() => this.deleteCascading(ws, distinctId));
    if (!deleted) throw userNotFound(distinctId);
  }

  /**
   * `POST /v1/user/{id}/merge/`: the primary keeps its values, gains the keys
   * and identities only the secondary has, and the secondary is deleted.
   */
  merge(ws: Workspace, distinctId: string, body: unknown): UserWire {
    checkedId(distinctId);
    const from = (body as { from_user_id?: unknown } | undefined)?.from_user_id;
    if (typeof from !== 'string' || from === '')
      throw badRequest('from_user_id: required, the distinct_id of the user to merge into this one');
    if (from === distinctId) throw badRequest('from_user_id: a user cannot be merged into itself');
    return this.transaction(() => {
      const primary = this.store.find(ws.dataKey, distinctId);
      if (!primary) throw userNotFound(distinctId);
      const secondary = this.store.find(ws.dataKey, from);
      if (!secondary) throw mergeSourceNotFound(from);
      const now = this.now();
      const merged = this.store.save(ws.dataKey, distinctId, primary, mergeProfiles(primary.profile, secondary.profile, { now }), now);
      for (const r of this.relations) r.usersMerged(ws.dataKey, distinctId, from);
      this.deleteCascading(ws, from);
      return userToWire(merged);
    });
  }

  /** Sets the delivery status of one identity (simulated bounces and reactivation from the control plane). */
  setChannelStatus(
    ws: Workspace,
    distinctId: string,
    channel: Channel,
    value: string | JsonObject,
    status: IdentityStatus,
    permaStatus: PermaStatus | null,
  ): UserWire {
    return this.transaction(() => {
      const before = this.store.find(ws.dataKey, distinctId);
      if (!before) throw userNotFound(distinctId);
      const now = this.now();
      const key = canonicalKey(value);
      const current = before.profile.identities.find((i) => i.channel === channel && i.key === key);
      const perma = permaStatus ?? current?.permaStatus ?? 'active';
      const result = setIdentityStatus(before.profile, channel, value, status, perma, { now });
      if (!result.ok) throw new ApiError(404, result.error.message);
      return userToWire(this.store.save(ws.dataKey, distinctId, before, result.profile, now));
    });
  }

  /** `DELETE /v1/bulk/user/`: unknown ids are not an error. Returns how many were deleted. */
  bulkDelete(ws: Workspace, distinctIds: readonly string[]): number {
    return this.transaction(() => distinctIds.reduce((n, id) => n + (this.deleteCascading(ws, id) ? 1 : 0), 0));
  }

  list(ws: Workspace, req: PageRequest): CursorPage<ReturnType<typeof userSummaryToWire>> {
    return cursorPage(USER_CURSOR, this.store.count(ws.dataKey), req, this.store.page(ws.dataKey, req), userSummaryToWire);
  }
}

/** Rejects a distinct_id SuprSend would not accept; returns it unchanged otherwise. */
export function checkedId(distinctId: string): string {
  const problem = validateDistinctId(distinctId);
  if (problem) throw badRequest(`distinct_id: ${problem}`);
  return distinctId;
}
