import { z } from 'zod';
import { validateDistinctId } from '../engine/index.js';
import { cursorMetaSchema, longErrorSchema, longErrors, wholeNumberParam } from '../api/schemas.js';

/** Upper bound of `distinct_ids` in one add/remove call. */
const MAX_IDS_PER_CALL = 10_000;
const MAX_LIST_ID_LENGTH = 64;

/** Django REST framework's wording for a missing or mistyped field, which upstream answers with. */
const requiredString = (iss: { input?: unknown }) =>
  iss.input === undefined ? 'This field is required.' : iss.input === null ? 'This field may not be null.' : 'Not a valid string.';

const notAnObject = 'Invalid data: expected a JSON object.';

/** How a list_id is stored: trimmed and lower-cased. Path list_ids are looked up the same way. */
export function normaliseListId(listId: string): string {
  return listId.trim().toLowerCase();
}

/**
 * `list_id` in a create body: trimmed, lower-cased, then 1 to 64 characters
 * of `[a-z0-9_-]`.
 */
const listIdInput = z
  .string({ error: requiredString })
  .trim()
  .toLowerCase()
  .min(1, 'This field may not be blank.')
  .max(MAX_LIST_ID_LENGTH, `Ensure this field has no more than ${MAX_LIST_ID_LENGTH} characters.`)
  .regex(/^[A-Za-z0-9_-]*$/, "Only letters, digits, '_' and '-' are allowed (the list_id is stored lower-cased).")
  .describe('Unique identifier of the list: 1 to 64 characters of a-z, 0-9, _ and -; trimmed and stored lower-cased');

export const listIdParams = z.object({
  list_id: z.string().describe('The list_id (matched after trimming and lower-casing)'),
});

export const versionParams = listIdParams.extend({
  version_id: z.string().describe('The version_id that start_sync returned'),
});

export const createListBodySchema = z
  .looseObject(
    {
      list_id: listIdInput,
      list_name: z.string({ error: 'Not a valid string.' }).nullish().describe('Name of the list'),
      list_description: z.string({ error: 'Not a valid string.' }).nullish().describe('What kind of users the list holds'),
      track_user_entry: z
        .boolean({ error: 'Must be a valid boolean.' })
        .optional()
        .describe('Record `$USER_ENTERED_LIST - <list_id>` events'),
      track_user_exit: z
        .boolean({ error: 'Must be a valid boolean.' })
        .optional()
        .describe('Record `$USER_EXITED_LIST - <list_id>` events'),
    },
    { error: notAnObject },
  )
  .describe('Creates the list, or updates the name, description and tracking flags of an existing one (only the fields sent)');

const distinctIdItem = z.string({ error: 'Not a valid string.' }).superRefine((id, ctx) => {
  const problem = validateDistinctId(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const distinctIdsBodySchema = z.looseObject(
  {
    distinct_ids: z
      .array(distinctIdItem, {
        error: (iss) => (iss.input === undefined ? 'This field is required.' : 'Expected a list of distinct_id strings.'),
      })
      .max(MAX_IDS_PER_CALL, `Ensure this field has no more than ${MAX_IDS_PER_CALL} elements.`)
      .describe(`distinct_ids of the users (at most ${MAX_IDS_PER_CALL}); they need not exist as users yet`),
  },
  { error: notAnObject },
);

/** A whole number query parameter in [min, max]. */

export const DEFAULT_LIST_PAGE_SIZE = 20;

export const offsetQuerySchema = z.looseObject({
  limit: wholeNumberParam('limit', 1, 1000).optional().describe(`Page size, 1 to 1000 (default ${DEFAULT_LIST_PAGE_SIZE})`),
  offset: wholeNumberParam('offset', 0, Number.MAX_SAFE_INTEGER).optional().describe('How many lists to skip (default 0)'),
});

export const subscriberQuerySchema = z.looseObject({
  limit: wholeNumberParam('limit', 1, 1000).optional().describe(`Page size, 1 to 1000 (default ${DEFAULT_LIST_PAGE_SIZE})`),
  after: z.string().optional().describe('Cursor from meta.after (or a result id): the page after it'),
  before: z.string().optional().describe('Cursor from meta.before (or a result id): the page before it'),
  sort: z
    .enum(['id', '-id'], { error: 'sort must be "id" (oldest first) or "-id" (newest first)' })
    .optional()
    .describe('"-id": newest first (default); "id": oldest first'),
});

// ---- responses ----------------------------------------------------------------------------------

export const listSchema = z
  .object({
    list_id: z.string(),
    list_name: z.string(),
    list_description: z.string(),
    list_type: z.enum(['static_list', 'query_based']).describe('Always static_list here'),
    subscribers_count: z.number().int().describe('Members of the list (of the draft, on a draft version)'),
    source: z.string().nullable().describe('Always null here (lists are filled through the API)'),
    is_readonly: z.boolean(),
    status: z.enum(['active', 'draft']).describe('draft on start_sync and on a draft version'),
    track_user_entry: z.boolean(),
    track_user_exit: z.boolean(),
    requested_for_delete: z.boolean(),
    created_at: z.string().describe('ISO-8601 UTC with microseconds'),
    updated_at: z.string().describe('Changes with the name, description or members'),
    drafts: z.null(),
    version_id: z.string().nullable().describe('The draft version on start_sync and a draft version; null otherwise'),
  })
  .meta({ id: 'SubscriberList' });

export const listPageSchema = z
  .object({
    meta: z.object({ count: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
    results: z.array(listSchema),
  })
  .meta({ id: 'SubscriberListPage' });

export const changeResultSchema = z
  .object({
    success: z.boolean(),
    affected_count: z.number().int().describe('Members actually added or removed'),
  })
  .meta({ id: 'ListChangeResult' });

export const successSchema = z.object({ success: z.boolean() }).meta({ id: 'ListSuccess' });

const subscriberSchema = z
  .object({
    id: z.string().describe('Opaque id of the membership; usable as a before/after cursor'),
    distinct_id: z.string(),
    created_at: z.string().describe('When the user was added to the list'),
  })
  .meta({ id: 'ListSubscriber' });

export const subscriberPageSchema = z
  .object({ meta: cursorMetaSchema, results: z.array(subscriberSchema) })
  .meta({ id: 'ListSubscriberPage' });

export const subscribedListSchema = z
  .object({
    list: z.object({
      list_id: z.string(),
      list_name: z.string(),
      list_description: z.string(),
      list_type: z.enum(['static_list', 'query_based']),
      source: z.string().nullable(),
      subscribers_count: z.number().int(),
      updated_at: z.string(),
    }),
    created_at: z.string().describe('When the user was added to the list'),
  })
  .meta({ id: 'SubscribedList' });

export const subscribedListPageSchema = z
  .object({ meta: cursorMetaSchema, results: z.array(subscribedListSchema) })
  .meta({ id: 'SubscribedListPage' });

export const listErrors = longErrors;
export const listErrorsWith404 = { ...longErrors, 404: longErrorSchema } as const;
