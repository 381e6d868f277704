import { z } from 'zod';
import { CHANNELS } from '../engine/types.js';
import { operationsBody, upsertBody } from '../api/profileSchemas.js';
import { cursorMetaSchema } from '../api/schemas.js';

export const distinctIdParams = z.object({
  distinct_id: z.string().describe('Unique identifier of the user (percent-encoded in the path; at most 255 characters)'),
});

const identitySchema = z
  .object({
    value: z.union([z.string(), z.record(z.string(), z.unknown())]).describe('A string, or an object for $slack, $ms_teams and $webpush'),
    id_provider: z.string().optional().describe('Provider of push and inbox identities: fcm, xiaomi, oppo, apns, vapid, suprsend'),
    status: z.enum(['active', 'inactive']),
    perma_status: z.enum(['active', 'disabled']).describe('disabled after a hard bounce'),
  })
  .meta({ id: 'ChannelIdentity' });
const identities = z.array(identitySchema).optional();

/** One optional identity array per channel: the channel part of a user or an object. */
export const channelArrays = Object.fromEntries(CHANNELS.map((c) => [c, identities])) as Record<
  (typeof CHANNELS)[number],
  typeof identities
>;

export const userSchema = z
  .looseObject({
    distinct_id: z.string(),
    properties: z.record(z.string(), z.unknown()).describe('Custom properties, plus $timezone, $locale and $preferred_language'),
    created_at: z.string().describe('ISO-8601 UTC with microseconds'),
    updated_at: z.string(),
    ...channelArrays,
  })
  .meta({ id: 'User' });

const userSummarySchema = z
  .object({
    distinct_id: z.string(),
    properties: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'UserSummary' });

export const userListSchema = z.object({ meta: cursorMetaSchema, results: z.array(userSummarySchema) }).meta({ id: 'UserList' });

export const upsertBodySchema = upsertBody('user');

export const editBodySchema = operationsBody;

export const mergeBodySchema = z
  .object({ from_user_id: z.string().min(1).describe('distinct_id of the secondary user; deleted after the merge') })
  .nullish();

export const bulkDeleteBodySchema = z.object({
  distinct_ids: z.array(z.string()).min(1, 'distinct_ids must list at least one id').max(10_000, 'at most 10,000 ids per call'),
});
