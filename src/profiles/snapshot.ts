import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { identities, objectIdentities, objects, users } from '../db/schema.js';
import { canonicalKey } from '../engine/index.js';
import { CHANNELS, type JsonObject } from '../engine/types.js';

/** Snapshot parts users and objects share: timestamps and channel identities. */

export const snapshotTimestamp = z.string().min(1);

export const identitySnapshotSchema = z.object({
  channel: z.enum(CHANNELS),
  value: z.union([z.string(), z.record(z.string(), z.unknown())]),
  id_provider: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  perma_status: z.enum(['active', 'disabled']),
  meta: z.record(z.string(), z.unknown()),
  created_at: snapshotTimestamp,
  updated_at: snapshotTimestamp,
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

export function identityFromSnapshot(i: IdentitySnapshot): IdentityRecord {
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
