import type Database from 'better-sqlite3';
import { z } from 'zod';
import { canonicalKey } from '../engine/index.js';
import { CHANNELS, type JsonObject } from '../engine/types.js';
import { workspaceNameSchema } from '../config.js';
import type { Workspace } from '../workspaces/registry.js';

/**
 * Snapshots: a workspace's whole state as one JSON document — users with
 * identities and statuses, lists with members and drafts, objects with
 * identities, subscriptions — and back. Rows are written in the order they
 * are read, so export → import → export gives the same document.
 */

const timestamp = z.string().min(1);
const identitySchema = z.object({
  channel: z.enum(CHANNELS),
  value: z.union([z.string(), z.record(z.string(), z.unknown())]),
  id_provider: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  perma_status: z.enum(['active', 'disabled']),
  meta: z.record(z.string(), z.unknown()),
  created_at: timestamp,
  updated_at: timestamp,
});
const memberSchema = z.object({ distinct_id: z.string().min(1), created_at: timestamp });
const objectRef = z.object({ object_type: z.string().min(1), id: z.string().min(1) });

const workspaceSnapshotSchema = z.object({
  name: workspaceNameSchema,
  users: z.array(
    z.object({
      distinct_id: z.string().min(1),
      properties: z.record(z.string(), z.unknown()),
      created_at: timestamp,
      updated_at: timestamp,
      identities: z.array(identitySchema),
    }),
  ),
  lists: z.array(
    z.object({
      list_id: z.string().min(1),
      list_name: z.string(),
      list_description: z.string(),
      track_user_entry: z.boolean(),
      track_user_exit: z.boolean(),
      created_at: timestamp,
      updated_at: timestamp,
      members: z.array(memberSchema),
      drafts: z.array(z.object({ version_id: z.string().min(1), created_at: timestamp, members: z.array(memberSchema) })),
    }),
  ),
  objects: z.array(
    objectRef.extend({
      properties: z.record(z.string(), z.unknown()),
      created_at: timestamp,
      updated_at: timestamp,
      identities: z.array(identitySchema),
    }),
  ),
  subscriptions: z.array(
    z.object({
      object: objectRef,
      subscriber: z.union([z.object({ distinct_id: z.string().min(1) }), z.object({ object: objectRef })]),
      properties: z.record(z.string(), z.unknown()),
      created_at: timestamp,
      updated_at: timestamp,
    }),
  ),
});

export const snapshotSchema = z
  .object({
    format: z.literal('suprsend-emulator-snapshot'),
    version: z.literal(1),
    workspaces: z.array(workspaceSnapshotSchema),
  })
  .meta({ id: 'Snapshot' });
export type Snapshot = z.infer<typeof snapshotSchema>;
export type WorkspaceSnapshot = z.infer<typeof workspaceSnapshotSchema>;

type Row = Record<string, unknown>;
const json = (text: unknown) => JSON.parse(text as string) as Record<string, unknown>;

function identitiesOf(statement: Database.Statement, ownerPk: unknown) {
  return (statement.all(ownerPk) as Row[]).map((i) => ({
    channel: i.channel as (typeof CHANNELS)[number],
    value: JSON.parse(i.value as string) as string | Record<string, unknown>,
    id_provider: i.id_provider as string | null,
    status: i.status as 'active' | 'inactive',
    perma_status: i.perma_status as 'active' | 'disabled',
    meta: json(i.meta),
    created_at: i.created_at as string,
    updated_at: i.updated_at as string,
  }));
}

/** Reads one workspace's state. */
export function exportWorkspace(sqlite: Database.Database, ws: Workspace): WorkspaceSnapshot {
  const key = ws.dataKey;
  // Prepared once per export: these run once per user, list and object.
  const userIdentities = sqlite.prepare('select * from identities where user_id = ? order by id');
  const objectIdentities = sqlite.prepare('select * from object_identities where object_pk = ? order by id');
  const listMembers = sqlite.prepare('select * from list_members where list_pk = ? order by id');
  const listDrafts = sqlite.prepare('select * from list_versions where list_pk = ? order by id');
  const draftMembers = sqlite.prepare('select * from list_version_members where version_pk = ? order by id');
  const users = (sqlite.prepare('select * from users where workspace = ? order by id').all(key) as Row[]).map((u) => ({
    distinct_id: u.distinct_id as string,
    properties: json(u.properties),
    created_at: u.created_at as string,
    updated_at: u.updated_at as string,
    identities: identitiesOf(userIdentities, u.id),
  }));
  const members = (statement: Database.Statement, pk: unknown) =>
    (statement.all(pk) as Row[]).map((m) => ({ distinct_id: m.distinct_id as string, created_at: m.created_at as string }));
  const lists = (sqlite.prepare('select * from lists where workspace = ? order by id').all(key) as Row[]).map((l) => ({
    list_id: l.list_id as string,
    list_name: l.list_name as string,
    list_description: l.list_description as string,
    track_user_entry: Boolean(l.track_user_entry),
    track_user_exit: Boolean(l.track_user_exit),
    created_at: l.created_at as string,
    updated_at: l.updated_at as string,
    members: members(listMembers, l.id),
    drafts: (listDrafts.all(l.id) as Row[]).map((v) => ({
      version_id: v.version_id as string,
      created_at: v.created_at as string,
      members: members(draftMembers, v.id),
    })),
  }));
  const objects = (sqlite.prepare('select * from objects where workspace = ? order by id').all(key) as Row[]).map((o) => ({
    object_type: o.object_type as string,
    id: o.object_id as string,
    properties: json(o.properties),
    created_at: o.created_at as string,
    updated_at: o.updated_at as string,
    identities: identitiesOf(objectIdentities, o.id),
  }));
  const subscriptions = (
    sqlite
      .prepare(
        `select s.*, p.object_type as p_type, p.object_id as p_id, c.object_type as c_type, c.object_id as c_id
         from subscriptions s join objects p on p.id = s.object_pk left join objects c on c.id = s.child_object_pk
         where s.workspace = ? order by s.id`,
      )
      .all(key) as Row[]
  ).map((s) => ({
    object: { object_type: s.p_type as string, id: s.p_id as string },
    subscriber:
      s.distinct_id !== null
        ? { distinct_id: s.distinct_id as string }
        : { object: { object_type: s.c_type as string, id: s.c_id as string } },
    properties: json(s.properties),
    created_at: s.created_at as string,
    updated_at: s.updated_at as string,
  }));
  return { name: ws.name, users, lists, objects, subscriptions };
}

export function exportSnapshot(sqlite: Database.Database, workspaces: readonly Workspace[]): Snapshot {
  return {
    format: 'suprsend-emulator-snapshot',
    version: 1,
    workspaces: sqlite.transaction(() => workspaces.map((ws) => exportWorkspace(sqlite, ws)))(),
  };
}

/**
 * Writes one workspace's state into `dataKey`, which must hold no rows (a
 * freshly reset workspace). Throws a message for a snapshot that refers to
 * objects it does not contain; the caller's transaction then rolls back.
 */
export function importWorkspace(sqlite: Database.Database, dataKey: string, snap: WorkspaceSnapshot): void {
  const insertIdentity = (table: string, ownerColumn: string) =>
    sqlite.prepare(
      `insert into ${table} (${ownerColumn}, channel, value_key, value, id_provider, status, perma_status, meta, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  const userIdentity = insertIdentity('identities', 'user_id');
  const objectIdentity = insertIdentity('object_identities', 'object_pk');
  const writeIdentities = (stmt: Database.Statement, owner: number | bigint, ids: WorkspaceSnapshot['users'][number]['identities']) => {
    for (const i of ids) {
      // The key is derived, never taken from the document, so equality stays what the engine says it is.
      stmt.run(
        owner,
        i.channel,
        canonicalKey(i.value as string | JsonObject),
        JSON.stringify(i.value),
        i.id_provider,
        i.status,
        i.perma_status,
        JSON.stringify(i.meta),
        i.created_at,
        i.updated_at,
      );
    }
  };

  const insertUser = sqlite.prepare(
    'insert into users (workspace, distinct_id, properties, created_at, updated_at) values (?, ?, ?, ?, ?)',
  );
  for (const u of snap.users) {
    const { lastInsertRowid } = insertUser.run(dataKey, u.distinct_id, JSON.stringify(u.properties), u.created_at, u.updated_at);
    writeIdentities(userIdentity, lastInsertRowid, u.identities);
  }

  const insertList = sqlite.prepare(
    `insert into lists (workspace, list_id, list_name, list_description, track_user_entry, track_user_exit, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMember = sqlite.prepare('insert into list_members (list_pk, workspace, distinct_id, created_at) values (?, ?, ?, ?)');
  const insertVersion = sqlite.prepare('insert into list_versions (list_pk, version_id, created_at) values (?, ?, ?)');
  const insertVersionMember = sqlite.prepare('insert into list_version_members (version_pk, distinct_id, created_at) values (?, ?, ?)');
  for (const l of snap.lists) {
    const listPk = insertList.run(
      dataKey,
      l.list_id,
      l.list_name,
      l.list_description,
      l.track_user_entry ? 1 : 0,
      l.track_user_exit ? 1 : 0,
      l.created_at,
      l.updated_at,
    ).lastInsertRowid;
    for (const m of l.members) insertMember.run(listPk, dataKey, m.distinct_id, m.created_at);
    for (const d of l.drafts) {
      const versionPk = insertVersion.run(listPk, d.version_id, d.created_at).lastInsertRowid;
      for (const m of d.members) insertVersionMember.run(versionPk, m.distinct_id, m.created_at);
    }
  }

  const insertObject = sqlite.prepare(
    'insert into objects (workspace, object_type, object_id, properties, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
  );
  const objectPks = new Map<string, number | bigint>();
  const refKey = (r: { object_type: string; id: string }) => `${r.object_type}\u0000${r.id}`;
  for (const o of snap.objects) {
    const pk = insertObject.run(dataKey, o.object_type, o.id, JSON.stringify(o.properties), o.created_at, o.updated_at).lastInsertRowid;
    objectPks.set(refKey(o), pk);
    writeIdentities(objectIdentity, pk, o.identities);
  }

  const insertSubscription = sqlite.prepare(
    `insert into subscriptions (workspace, object_pk, distinct_id, child_object_pk, properties, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const pkOf = (r: { object_type: string; id: string }, where: string) => {
    const pk = objectPks.get(refKey(r));
    if (pk === undefined) throw new SnapshotError(`${where}: object '${r.object_type}/${r.id}' is not in the snapshot's objects`);
    return pk;
  };
  snap.subscriptions.forEach((s, i) => {
    const where = `workspaces[${snap.name}].subscriptions[${i}]`;
    const parent = pkOf(s.object, where);
    const child = 'object' in s.subscriber ? pkOf(s.subscriber.object, where) : null;
    const distinctId = 'distinct_id' in s.subscriber ? s.subscriber.distinct_id : null;
    insertSubscription.run(dataKey, parent, distinctId, child, JSON.stringify(s.properties), s.created_at, s.updated_at);
  });
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}
