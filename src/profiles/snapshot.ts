import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { identities, objectIdentities, objects, userTenantIdentities, userTenantProfiles, users } from '../db/schema.js';
import { parseTimestamp } from '../clock.js';
import { canonicalKey, isProviderChannel, parseIdentity, resolveProvider, validateDistinctId } from '../engine/index.js';
import { CHANNELS, type JsonObject } from '../engine/types.js';

/**
 * Snapshot parts users and objects share: timestamps, distinct_ids and channel
 * identities. An import is checked as the API checks requests, so a snapshot
 * cannot bring in what the API would have refused.
 */

/** The clock's format, `2025-04-04T21:37:36.712496+00:00`, on a real calendar day. */
export const snapshotTimestamp = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/, 'must be a timestamp such as 2025-04-04T21:37:36.712496+00:00')
  .refine((v) => parseTimestamp(v) !== null, 'must be a real date and time');

/** A user's distinct_id, as the API accepts it. */
export const snapshotDistinctId = z.string().superRefine((id, ctx) => {
  const problem = validateDistinctId(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const identitySnapshotSchema = z
  .object({
    channel: z.enum(CHANNELS),
    value: z.union([z.string(), z.record(z.string(), z.unknown())]),
    id_provider: z.string().nullable(),
    status: z.enum(['active', 'inactive']),
    perma_status: z.enum(['active', 'disabled']),
    meta: z.record(z.string(), z.unknown()),
    created_at: snapshotTimestamp,
    updated_at: snapshotTimestamp,
  })
  .superRefine((i, ctx) => {
    // The value as the API would parse it (email, E.164 phone, push token, Slack/Teams/webpush shapes).
    const parsed = parseIdentity(i.channel, i.value, '');
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['value'], message: parsed.error.message });
    if (!isProviderChannel(i.channel)) {
      if (i.id_provider !== null) ctx.addIssue({ code: 'custom', path: ['id_provider'], message: `must be null for ${i.channel}` });
    } else if (i.id_provider !== null) {
      const provider = resolveProvider(i.channel, i.id_provider, '');
      if (!provider.ok) ctx.addIssue({ code: 'custom', path: ['id_provider'], message: provider.error.message });
      else if (provider.value !== i.id_provider) {
        ctx.addIssue({ code: 'custom', path: ['id_provider'], message: 'must be a provider name in lower case, such as "fcm"' });
      }
    }
  });
export type IdentitySnapshot = z.infer<typeof identitySnapshotSchema>;

/** An identity row of either identity table, as drizzle reads it (owner column aside). */
export interface IdentityRecord {
  channel: string;
  valueKey: string;
  value: string;
  idProvider: string | null;
  status: 'active' | 'inactive';
  permaStatus: 'active' | 'disabled';
  meta: string;
  createdAt: string;
  updatedAt: string;
}

export function identityToSnapshot(row: IdentityRecord): IdentitySnapshot {
  return {
    channel: row.channel as IdentitySnapshot['channel'],
    value: JSON.parse(row.value) as string | Record<string, unknown>,
    id_provider: row.idProvider,
    status: row.status,
    perma_status: row.permaStatus,
    meta: JSON.parse(row.meta) as Record<string, unknown>,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

function identityFromSnapshot(i: IdentitySnapshot): IdentityRecord {
  return {
    channel: i.channel,
    // The key is derived, never taken from the document, so equality stays what the engine says it is.
    valueKey: canonicalKey(i.value as string | JsonObject),
    value: JSON.stringify(i.value),
    idProvider: i.id_provider,
    status: i.status,
    permaStatus: i.perma_status,
    meta: JSON.stringify(i.meta),
    createdAt: i.created_at,
    updatedAt: i.updated_at,
  };
}

/** Groups rows by owner, keeping their order. */
export function byOwner<R>(rows: readonly R[], ownerOf: (row: R) => number): Map<number, R[]> {
  const grouped = new Map<number, R[]>();
  for (const row of rows) {
    const owner = ownerOf(row);
    const list = grouped.get(owner);
    if (list) list.push(row);
    else grouped.set(owner, [row]);
  }
  return grouped;
}

/** Rows per multi-row insert, well below SQLite's limit on bound parameters. */
const INSERT_CHUNK = 500;

export function chunks<T>(items: readonly T[], size = INSERT_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What a user or an object holds in a snapshot besides its key. */
export const profileSnapshotFields = {
  properties: z.record(z.string(), z.unknown()),
  created_at: snapshotTimestamp,
  updated_at: snapshotTimestamp,
  identities: z.array(identitySnapshotSchema),
};
type ProfileSnapshotFields = z.infer<z.ZodObject<typeof profileSnapshotFields>>;

interface ProfileRecord {
  id: number;
  properties: string;
  createdAt: string;
  updatedAt: string;
}

/** Where a kind of profile and its identities live, in drizzle's terms. */
const TABLES = {
  users: { owners: users, identities, ownerColumn: identities.userId },
  objects: { owners: objects, identities: objectIdentities, ownerColumn: objectIdentities.objectPk },
  userTenantProfiles: { owners: userTenantProfiles, identities: userTenantIdentities, ownerColumn: userTenantIdentities.profileId },
} as const;

/** A data key's profiles of one kind, oldest first, each with its key fields and its identities in insertion order. */
export function exportProfiles<R extends ProfileRecord, K>(
  db: Db,
  kind: keyof typeof TABLES,
  dataKey: string,
  keyOf: (row: R) => K,
): (K & ProfileSnapshotFields)[] {
  const t = TABLES[kind];
  const rows = db.select().from(t.owners).where(eq(t.owners.workspace, dataKey)).orderBy(asc(t.owners.id)).all() as R[];
  const owned = byOwner(
    db
      .select({ identity: t.identities, owner: t.ownerColumn })
      .from(t.identities)
      .innerJoin(t.owners, eq(t.owners.id, t.ownerColumn))
      .where(eq(t.owners.workspace, dataKey))
      .orderBy(asc(t.identities.id))
      .all(),
    (r) => r.owner,
  );
  return rows.map((row) => ({
    ...keyOf(row),
    properties: JSON.parse(row.properties) as Record<string, unknown>,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    identities: (owned.get(row.id) ?? []).map((r) => identityToSnapshot(r.identity)),
  }));
}

/** The columns of a profile row written from a snapshot, besides workspace and key. */
export function profileRowOf(p: ProfileSnapshotFields) {
  return { properties: JSON.stringify(p.properties), createdAt: p.created_at, updatedAt: p.updated_at };
}

/** Writes one profile's identities from a snapshot, in document order, under its row id. */
export function importIdentities(db: Db, kind: keyof typeof TABLES, ownerPk: number, list: readonly IdentitySnapshot[]): void {
  for (const part of chunks(list)) {
    const rows = part.map(identityFromSnapshot);
    if (kind === 'users')
      db.insert(identities)
        .values(rows.map((r) => ({ ...r, userId: ownerPk })))
        .run();
    else if (kind === 'objects')
      db.insert(objectIdentities)
        .values(rows.map((r) => ({ ...r, objectPk: ownerPk })))
        .run();
    else
      db.insert(userTenantIdentities)
        .values(rows.map((r) => ({ ...r, profileId: ownerPk })))
        .run();
  }
}
