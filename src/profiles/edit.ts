import { badRequest } from '../api/errors.js';
import { applyOperations, applyUpsert, newProfile } from '../engine/index.js';
import type { EngineResult, Profile } from '../engine/types.js';
import type { Workspace } from '../workspaces/registry.js';
import { emptyEdit } from './errors.js';
import { inboxValue } from './inbox.js';
import type { StoredProfile } from './store.js';

/** What the writer needs of a user or object store; `K` is the profile's key (a distinct_id, or type and id). */
export interface ProfileStore<K, S extends StoredProfile> {
  find(workspace: string, key: K): S | undefined;
  save(workspace: string, key: K, before: S | undefined, profile: Profile, now: string): S;
}

/**
 * The write path users and objects share: upsert (create or update) and edit
 * (operations on an existing profile), inside the caller's transaction.
 * `inboxSubject` is what a new profile's `$inbox` value is derived from, or
 * null for profiles that get none (a tenant-scoped profile shows its user's).
 */
export class ProfileWriter<K, S extends StoredProfile> {
  constructor(
    private readonly store: ProfileStore<K, S>,
    private readonly inboxSubject: ((key: K) => string) | null,
  ) {}

  newProfile(ws: Workspace, key: K, now: string): Profile {
    return newProfile({ now }, ws.inbox && this.inboxSubject ? inboxValue(ws.inboxSecret, this.inboxSubject(key)) : null);
  }

  /** Creates or updates; `where` prefixes error messages (e.g. the recipient's position in a request). */
  upsert(ws: Workspace, key: K, body: unknown, now: string, where = ''): S {
    const before = this.store.find(ws.dataKey, key);
    const start = before?.profile ?? this.newProfile(ws, key, now);
    return this.save(ws, key, before, applyUpsert(start, body ?? {}, { now }), now, where);
  }

  /** Applies the operations of a PATCH body to an existing profile, all or nothing. */
  edit(ws: Workspace, key: K, before: S, operations: unknown, now: string): S {
    return this.save(ws, key, before, applyOperations(before.profile, operations, { now }), now);
  }

  /** Saves what the engine computed, or answers its error as a 400. */
  save(ws: Workspace, key: K, before: S | undefined, result: EngineResult, now: string, where = ''): S {
    if (!result.ok) throw badRequest(where ? `${where}: ${result.error.message}` : result.error.message, { path: result.error.path });
    return this.store.save(ws.dataKey, key, before, result.profile, now);
  }
}

/** The operations of a PATCH body; a body without any is refused as upstream refuses it. */
export function operationsOf(body: unknown): unknown {
  const operations = (body as { operations?: unknown } | null | undefined)?.operations;
  if (operations === undefined || operations === null || (Array.isArray(operations) && operations.length === 0)) throw emptyEdit();
  return operations;
}
