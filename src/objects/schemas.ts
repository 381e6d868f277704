import { z } from 'zod';
import { operationsBody, upsertBody } from '../api/profileSchemas.js';
import { cursorMetaSchema } from '../api/schemas.js';
import { channelArrays } from '../users/schemas.js';

/** Longest accepted object_type and object id, in Unicode code points. */
export const MAX_OBJECT_KEY_LENGTH = 255;
/** Most recipients one subscription call may name (SuprSend's documented limit). */
export const MAX_RECIPIENTS = 100;
/** Most ids one bulk delete may name. */
const MAX_BULK_OBJECT_IDS = 10_000;

const objectType = z
  .string()
  .describe('Groups similar objects, e.g. teams, departments (percent-encoded in the path; 1 to 255 characters)');
const objectId = z.string().describe('Unique identifier of the object within its type (percent-encoded in the path; 1 to 255 characters)');

export const objectTypeParams = z.object({ object_type: objectType });
export const objectParams = z.object({ object_type: objectType, id: objectId });
export const userParams = z.object({
  distinct_id: z.string().describe('Unique identifier of the user (percent-encoded in the path; at most 255 characters)'),
});

/** An object as SuprSend answers it; keys in the documented order, then one array per channel. */
export const objectSchema = z
  .looseObject({
    object_type: z.string(),
    id: z.string(),
    subscriptions_count: z.number().int().describe('Users and child objects subscribed to this object'),
    properties: z.record(z.string(), z.unknown()).describe('Custom properties, plus $timezone, $locale and $preferred_language'),
    created_at: z.string().describe('ISO-8601 UTC with microseconds'),
    updated_at: z.string(),
    ...channelArrays,
  })
  .meta({ id: 'Object' });

export const objectListSchema = z.object({ meta: cursorMetaSchema, results: z.array(objectSchema) }).meta({ id: 'ObjectList' });

/** One subscriber of an object: a user or a child object (the other one is null). */
const subscriptionSchema = z
  .object({
    properties: z.record(z.string(), z.unknown()).describe('Subscription properties, `$recipient.subscription.<key>` in templates'),
    user: z
      .object({ distinct_id: z.string(), updated_at: z.string().describe("The user's updated_at") })
      .nullable()
      .describe('Set when the subscriber is a user'),
    object: z
      .object({
        id: z.string(),
        object_type: z.string(),
        subscriptions_count: z.number().int().describe("The child object's own subscriptions"),
        updated_at: z.string().describe("The child object's updated_at"),
      })
      .nullable()
      .describe('Set when the subscriber is a child object'),
    created_at: z.string().describe('When the subscription was created'),
    updated_at: z.string().describe('When the subscription was last changed (subscribing again updates it)'),
  })
  .meta({ id: 'ObjectSubscription' });

export const subscriptionsCreatedSchema = z
  .object({ results: z.array(subscriptionSchema).describe('One item per distinct recipient, in request order') })
  .meta({ id: 'ObjectSubscriptionsCreated' });

export const subscriptionListSchema = z
  .object({ meta: cursorMetaSchema, results: z.array(subscriptionSchema) })
  .meta({ id: 'ObjectSubscriptionList' });

/** A subscription seen from the subscriber: the (parent) object it is subscribed to. */
const subscribedToSchema = z
  .object({
    properties: z.record(z.string(), z.unknown()).describe('Subscription properties'),
    object: z.object({
      id: z.string(),
      object_type: z.string(),
      properties: z.record(z.string(), z.unknown()),
      subscriptions_count: z.number().int(),
      updated_at: z.string(),
    }),
    created_at: z.string().describe('When the subscription was created'),
    updated_at: z.string().describe('When the subscription was last changed'),
  })
  .meta({ id: 'SubscribedObject' });

export const subscribedToListSchema = z
  .object({ meta: cursorMetaSchema, results: z.array(subscribedToSchema) })
  .meta({ id: 'SubscribedObjectList' });

export const objectUpsertBodySchema = upsertBody('object');

export const objectEditBodySchema = operationsBody;

export const bulkDeleteBodySchema = z.object(
  {
    object_ids: z
      .array(z.string(), { error: 'must be a list of object ids' })
      .min(1, 'must list at least one id')
      .max(MAX_BULK_OBJECT_IDS, `at most ${MAX_BULK_OBJECT_IDS.toLocaleString('en')} ids per call`)
      .describe('Ids of objects of this type; unknown ids are not an error'),
  },
  { error: 'a JSON body is required: {"object_ids": ["id1", "id2"]}' },
);

const RECIPIENT_SHAPES = 'a distinct_id string, a user object {"distinct_id": …} or a child object {"id": …, "object_type": …}';

const RECIPIENT_DOCS = {
  subscribe: {
    distinctId: 'A distinct_id; the user is created when missing',
    user: 'A user; the other keys are an upsert body for it (the user is created or updated)',
    object: 'A child object, which must exist; any other keys are upserted into it',
  },
  unsubscribe: {
    distinctId: 'A distinct_id',
    user: 'A user, by its distinct_id (other keys are ignored)',
    object: 'A child object (other keys are ignored)',
  },
} as const;

const recipients = (verb: keyof typeof RECIPIENT_DOCS) => {
  const docs = RECIPIENT_DOCS[verb];
  const item = z.union(
    [
      z.string().describe(docs.distinctId),
      z.looseObject({ distinct_id: z.string() }).describe(docs.user),
      z.looseObject({ id: z.string(), object_type: z.string() }).describe(docs.object),
    ],
    { error: `each recipient must be ${RECIPIENT_SHAPES}` },
  );
  return z
    .array(item, {
      error: (issue) =>
        issue.input === undefined
          ? `required: the list of recipients to ${verb}, each ${RECIPIENT_SHAPES}`
          : `must be a list of recipients to ${verb}, each ${RECIPIENT_SHAPES}`,
    })
    .min(1, 'must list at least one recipient')
    .max(MAX_RECIPIENTS, `at most ${MAX_RECIPIENTS} recipients per call`);
};

export const subscribeBodySchema = z
  .object({
    recipients: recipients('subscribe').describe(`Up to ${MAX_RECIPIENTS} users or child objects`),
    properties: z
      .record(z.string(), z.unknown(), { error: 'must be a JSON object, e.g. {"role": "admin"}' })
      .nullish()
      .describe('Properties of the subscriptions; subscribing again replaces them. Omitted: kept as they are (a new subscription gets {})'),
  })
  .nullish();

export const unsubscribeBodySchema = z
  .object({
    recipients: recipients('unsubscribe')
      .optional()
      .describe('distinct_id strings and {"id", "object_type"} objects; unknown ones are ignored. Without it, the query parameter is read'),
  })
  .nullish()
  .describe('Optional: without a body, the recipients query parameter names the users to remove');

export const unsubscribeQuerySchema = z.looseObject({
  recipients: z.string().optional().describe('Comma-separated distinct_ids; read only when the request has no JSON body'),
});
