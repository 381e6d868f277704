import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { objects, subscriptions } from '../db/schema.js';
import {
  exportProfiles,
  importIdentities,
  profileRowOf,
  profileSnapshotFields,
  snapshotDistinctId,
  snapshotTimestamp,
} from '../profiles/snapshot.js';
import { snapshotObjectMissing } from './errors.js';

const objectRef = z.object({ object_type: z.string().min(1), id: z.string().min(1) });
type ObjectRef = z.infer<typeof objectRef>;

/** The objects of a workspace in a snapshot, with identities. */
export const objectsSnapshotSchema = z.array(objectRef.extend(profileSnapshotFields));
type ObjectsSnapshot = z.infer<typeof objectsSnapshotSchema>;

/** Subscriptions to objects, of users or of child objects, naming objects by type and id. */
export const subscriptionsSnapshotSchema = z.array(
  z.object({
    object: objectRef,
    subscriber: z.union([z.object({ distinct_id: snapshotDistinctId }), z.object({ object: objectRef })]),
    properties: z.record(z.string(), z.unknown()),
    created_at: snapshotTimestamp,
    updated_at: snapshotTimestamp,
  }),
);
export type SubscriptionsSnapshot = z.infer<typeof subscriptionsSnapshotSchema>;

/** A data key's objects, oldest first, with their identities in insertion order. */
export function exportObjects(db: Db, dataKey: string): ObjectsSnapshot {
  return exportProfiles(db, 'objects', dataKey, (o: typeof objects.$inferSelect) => ({ object_type: o.objectType, id: o.objectId }));
}

/** A data key's subscriptions, oldest first. */
export function exportSubscriptions(db: Db, dataKey: string): SubscriptionsSnapshot {
  const parent = alias(objects, 'parent');
  const child = alias(objects, 'child');
  return db
    .select({
      s: subscriptions,
      parent: { type: parent.objectType, id: parent.objectId },
      child: { type: child.objectType, id: child.objectId },
    })
    .from(subscriptions)
    .innerJoin(parent, eq(parent.id, subscriptions.objectPk))
    .leftJoin(child, eq(child.id, subscriptions.childObjectPk))
    .where(eq(subscriptions.workspace, dataKey))
    .orderBy(asc(subscriptions.id))
    .all()
    .map(({ s, parent, child }) => ({
      object: { object_type: parent.type, id: parent.id },
      // A row holds a distinct_id or a child object (kept by a foreign key), never neither.
      subscriber: s.distinctId !== null ? { distinct_id: s.distinctId } : { object: { object_type: child!.type, id: child!.id } },
      properties: JSON.parse(s.properties) as Record<string, unknown>,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    }));
}

const refKey = (r: ObjectRef) => `${r.object_type}\u0000${r.id}`;

/**
 * Writes the objects and the subscriptions into `dataKey`, which holds none
 * yet. A subscription naming an object the snapshot lacks is a 400; the
 * caller's transaction then rolls back.
 */
export function importObjects(
  db: Db,
  dataKey: string,
  snap: { name: string; objects: ObjectsSnapshot; subscriptions: SubscriptionsSnapshot },
): void {
  const pks = new Map<string, number>();
  for (const o of snap.objects) {
    const { id } = db
      .insert(objects)
      .values({ workspace: dataKey, objectType: o.object_type, objectId: o.id, ...profileRowOf(o) })
      .returning({ id: objects.id })
      .get();
    pks.set(refKey(o), id);
    importIdentities(db, 'objects', id, o.identities);
  }
  const pkOf = (r: ObjectRef, where: string) => {
    const pk = pks.get(refKey(r));
    if (pk === undefined) throw snapshotObjectMissing(where, r.object_type, r.id);
    return pk;
  };
  snap.subscriptions.forEach((s, i) => {
    const where = `workspaces[${snap.name}].subscriptions[${i}]`;
    db.insert(subscriptions)
      .values({
        workspace: dataKey,
        objectPk: pkOf(s.object, where),
        distinctId: 'distinct_id' in s.subscriber ? s.subscriber.distinct_id : null,
        childObjectPk: 'object' in s.subscriber ? pkOf(s.subscriber.object, where) : null,
        properties: JSON.stringify(s.properties),
        createdAt: s.created_at,
        updatedAt: s.updated_at,
      })
      .run();
  });
}
