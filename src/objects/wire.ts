import { channelsToWire } from '../engine/index.js';
import type { StoredObject } from './store.js';
import type { SubscribedToRow, SubscriberRow } from './subscriptionStore.js';

/**
 * What an object's `$inbox` value is computed from (in place of a user's
 * distinct_id, with the same HMAC): `<object_type>/<id>`, each part
 * percent-encoded as the SDKs put it in the path. For ordinary ids that is
 * just `teams/devs`; the encoding keeps `a/b`+`c` and `a`+`b/c` apart.
 */
export function objectInboxSubject(objectType: string, objectId: string): string {
  return `${encodeURIComponent(objectType)}/${encodeURIComponent(objectId)}`;
}

/** An object as SuprSend answers it: keys in the documented order, then one array per channel. */
export function objectToWire(object: StoredObject, subscriptionsCount: number) {
  return {
    object_type: object.objectType,
    id: object.objectId,
    subscriptions_count: subscriptionsCount,
    properties: object.profile.properties,
    created_at: object.createdAt,
    updated_at: object.updatedAt,
    ...channelsToWire(object.profile),
  };
}
export type ObjectWire = ReturnType<typeof objectToWire>;

const parse = (json: string) => JSON.parse(json) as Record<string, unknown>;

/** One subscriber of an object: `user` or `object` is set, the other is null. */
export function subscriberToWire(row: SubscriberRow) {
  return {
    properties: parse(row.properties),
    user: row.distinctId !== null ? { distinct_id: row.distinctId, updated_at: row.userUpdatedAt ?? row.updatedAt } : null,
    object:
      row.childId !== null && row.childType !== null
        ? {
            id: row.childId,
            object_type: row.childType,
            subscriptions_count: row.childCount,
            updated_at: row.childUpdatedAt ?? row.updatedAt,
          }
        : null,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
export type SubscriberWire = ReturnType<typeof subscriberToWire>;

/** A subscription seen from the subscriber (user or child object): the parent object. */
export function subscribedToToWire(row: SubscribedToRow) {
  return {
    properties: parse(row.properties),
    object: {
      id: row.objectId,
      object_type: row.objectType,
      properties: parse(row.objectProperties),
      subscriptions_count: row.objectCount,
      updated_at: row.objectUpdatedAt,
    },
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
export type SubscribedToWire = ReturnType<typeof subscribedToToWire>;
