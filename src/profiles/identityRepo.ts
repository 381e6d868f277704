import type Database from 'better-sqlite3';
import type { Channel, Identity, JsonObject } from '../engine/types.js';

/** Where a kind of profile keeps its identities: `identities.user_id` or `object_identities.object_pk`. */
export interface IdentityTable {
  table: 'identities' | 'object_identities' | 'user_tenant_identities';
  ownerColumn: 'user_id' | 'object_pk' | 'profile_id';
}

interface IdentityRow {
  id: number;
  channel: string;
  value_key: string;
  value: string;
  id_provider: string | null;
  status: 'active' | 'inactive';
  perma_status: 'active' | 'disabled';
  meta: string;
  created_at: string;
  updated_at: string;
}

/** The identities of one profile as loaded, with their row ids so a save touches only what changed. */
export interface LoadedIdentities {
  identities: Identity[];
  rowIds: Map<string, number>;
}

const rowKey = (channel: string, key: string) => `${channel}\u0000${key}`;

function toIdentity(row: IdentityRow): Identity {
  return {
    channel: row.channel as Channel,
    value: JSON.parse(row.value) as string | JsonObject,
    key: row.value_key,
    idProvider: row.id_provider,
    status: row.status,
    permaStatus: row.perma_status,
    meta: JSON.parse(row.meta) as JsonObject,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function unchanged(a: Identity, b: Identity): boolean {
  return (
    a.idProvider === b.idProvider &&
    a.status === b.status &&
    a.permaStatus === b.permaStatus &&
    a.updatedAt === b.updatedAt &&
    JSON.stringify(a.meta) === JSON.stringify(b.meta)
  );
}

/**
 * Reads and writes the channel identities of users or objects. Identities
 * keep insertion order (row id); a save diffs against what was loaded.
 */
export class IdentityRepo {
  private readonly selectAll: Database.Statement<[number], IdentityRow>;
  private readonly insertOne: Database.Statement<unknown[]>;
  private readonly updateOne: Database.Statement<unknown[]>;
  private readonly deleteOne: Database.Statement<[number]>;

  constructor(sqlite: Database.Database, t: IdentityTable) {
    this.selectAll = sqlite.prepare(`select * from ${t.table} where ${t.ownerColumn} = ? order by id`);
    // Positional parameters: binding them is cheaper than named ones, and these run per identity.
    this.insertOne = sqlite.prepare(
      `insert into ${t.table} (${t.ownerColumn}, channel, value_key, value, id_provider, status, perma_status, meta, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateOne = sqlite.prepare(
      `update ${t.table} set id_provider = ?, status = ?, perma_status = ?, meta = ?, updated_at = ? where id = ?`,
    );
    this.deleteOne = sqlite.prepare(`delete from ${t.table} where id = ?`);
  }

  load(ownerPk: number): LoadedIdentities {
    const rows = this.selectAll.all(ownerPk);
    return { identities: rows.map(toIdentity), rowIds: new Map(rows.map((r) => [rowKey(r.channel, r.value_key), r.id])) };
  }

  /** Makes the stored identities of `ownerPk` equal `next`; returns the new row ids. */
  save(ownerPk: number, before: LoadedIdentities | undefined, next: readonly Identity[]): Map<string, number> {
    const previous = new Map(before?.identities.map((i) => [rowKey(i.channel, i.key), i]) ?? []);
    const rowIds = new Map<string, number>();
    for (const identity of next) {
      const k = rowKey(identity.channel, identity.key);
      const old = previous.get(k);
      const oldRow = before?.rowIds.get(k);
      if (old && oldRow !== undefined) {
        previous.delete(k);
        rowIds.set(k, oldRow);
        if (!unchanged(old, identity)) {
          const i = identity;
          this.updateOne.run(i.idProvider, i.status, i.permaStatus, JSON.stringify(i.meta), i.updatedAt, oldRow);
        }
      } else {
        const i = identity;
        const info = this.insertOne.run(
          ownerPk,
          i.channel,
          i.key,
          JSON.stringify(i.value),
          i.idProvider,
          i.status,
          i.permaStatus,
          JSON.stringify(i.meta),
          i.createdAt,
          i.updatedAt,
        );
        rowIds.set(k, Number(info.lastInsertRowid));
      }
    }
    for (const k of previous.keys()) {
      const id = before?.rowIds.get(k);
      if (id !== undefined) this.deleteOne.run(id);
    }
    return rowIds;
  }
}
