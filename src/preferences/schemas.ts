import { z } from 'zod';
import { commonErrors } from '../api/schemas.js';
import { PREFERENCE_CHANNELS, ROOT_CATEGORIES } from '../engine/preferences.js';
import { CHANNEL_PROBLEM } from './errors.js';

/**
 * Requests and answers of the preference API. Bodies and queries fail with a
 * 400 whose `detail` names the field (`channel_preferences[0].channel`), as
 * upstream answers (routes set `errorForm: 'detail'`).
 */

export const DEFAULT_CATEGORY_PAGE_SIZE = 10;
export const MAX_CATEGORY_PAGE_SIZE = 1000;
export const MAX_BULK_DISTINCT_IDS = 1000;

const channel = z
  .enum(PREFERENCE_CHANNELS, { error: CHANNEL_PROBLEM })
  .describe('email, sms, whatsapp, androidpush, iospush, webpush, inbox, slack, ms_teams');
const channelList = z.array(channel, { error: 'must be a list of channels' }).max(50, 'lists at most 50 channels');
const bool = z.boolean({ error: 'must be a boolean' });
const choice = z
  .enum(['opt_in', 'opt_out', ''], { error: 'must be one of ["opt_in", "opt_out"]' })
  .describe('opt_in (the default; "" means the same) or opt_out');
const tenantPreference = z.enum(['opt_in', 'opt_out', 'cant_unsubscribe', ''], {
  error: 'must be one of ["opt_in", "opt_out", "cant_unsubscribe"]',
});
/** Free JSON kept as sent (digest_schedule, properties). */
const anyJson = z.unknown();

// ---- params and queries ---------------------------------------------------------------------------------------

export const categoryParam = z.object({ category: z.string().describe('Category slug') });

const truthy = z
  .string()
  .regex(/^(true|false|True|False|1|0)$/, 'must be true or false')
  .transform((v) => v === 'true' || v === 'True' || v === '1');

const wholeNumber = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number')
  .transform(Number);

export const preferenceQuerySchema = z.looseObject({
  tenant_id: z.string().optional().describe('The tenant whose preference set to use (default: the `default` tenant)'),
  show_opt_out_channels: truthy.optional().describe('true: list the channels of opted-out categories too (default false: [])'),
  tags: z
    .string()
    .optional()
    .describe('A tag, or a JSON expression with and (array), or (array), not, exists (boolean), nestable, matched on effective_tags'),
  locale: z.string().optional().describe('Accepted and ignored: names and descriptions are not translated'),
});
export type PreferenceQuery = z.output<typeof preferenceQuerySchema>;

export const preferenceListQuerySchema = preferenceQuerySchema.extend({
  limit: wholeNumber
    .transform((n) => Math.min(Math.max(n, 1), MAX_CATEGORY_PAGE_SIZE))
    .optional()
    .describe(`Page size (default ${DEFAULT_CATEGORY_PAGE_SIZE}); brought into 1 to ${MAX_CATEGORY_PAGE_SIZE}`),
  offset: wholeNumber.optional().describe('How many categories to skip (default 0)'),
});

export const tenantQuerySchema = z.looseObject({ tenant_id: z.string().optional().describe('Default: the `default` tenant') });

export const tenantCategoryListQuerySchema = z.looseObject({
  limit: preferenceListQuerySchema.shape.limit,
  offset: preferenceListQuerySchema.shape.offset,
  tags: preferenceQuerySchema.shape.tags,
  locale: preferenceQuerySchema.shape.locale,
  include_disabled: truthy.optional().describe('true: also list categories turned off for the tenant'),
});

// ---- bodies ---------------------------------------------------------------------------------------------------

const channelPreferenceItem = z.object({ channel, is_restricted: bool.describe('true: only mandatory channels of categories') });
const channelPreferences = z.array(channelPreferenceItem, { error: 'must be a list' }).max(50, 'lists at most 50 channels');

export const channelPreferencesBodySchema = z.object(
  { channel_preferences: channelPreferences },
  { error: 'must be a JSON object: {"channel_preferences": [{"channel": "email", "is_restricted": true}]}' },
);
export type ChannelPreferencesBody = z.output<typeof channelPreferencesBodySchema>;

const categoryChoiceFields = {
  preference: choice.optional(),
  opt_out_channels: channelList.nullish().describe('Channels turned off in the category (null: none)'),
  opt_in_channels: channelList.nullish().describe('Channels turned on in the category, the others off (null: the defaults)'),
};

export const categoryBodySchema = z
  .object(
    { ...categoryChoiceFields, digest_schedule: anyJson.optional(), properties: anyJson.optional() },
    { error: 'must be a JSON object: {"preference": "opt_in", "opt_out_channels": ["email"]}' },
  )
  .nullish();
export type CategoryBody = z.output<typeof categoryBodySchema>;

const categoryItem = z.object({ category: z.string({ error: 'must be a category slug' }), ...categoryChoiceFields });

export const fullPreferenceBodySchema = z.object(
  {
    channel_preferences: channelPreferences.optional(),
    categories: z.array(categoryItem, { error: 'must be a list' }).max(1000).optional(),
  },
  { error: 'must be a JSON object: {"channel_preferences": [...], "categories": [...]}' },
);
export type FullPreferenceBody = z.output<typeof fullPreferenceBodySchema>;

const distinctIds = z
  .array(z.string({ error: 'must be a distinct_id' }).min(1, 'must not be empty'), { error: 'must be a list of distinct_ids' })
  .min(1, 'must list at least one distinct_id')
  .max(MAX_BULK_DISTINCT_IDS, `lists at most ${MAX_BULK_DISTINCT_IDS} distinct_ids`);

export const bulkUpdateBodySchema = fullPreferenceBodySchema.extend({ distinct_ids: distinctIds });
export type BulkUpdateBody = z.output<typeof bulkUpdateBodySchema>;

export const resetBodySchema = z.object(
  {
    distinct_ids: distinctIds,
    reset_channel_preferences: bool.optional().describe('Default true'),
    reset_categories: bool.optional().describe('Default true'),
  },
  { error: 'must be a JSON object: {"distinct_ids": [...]}' },
);
export type ResetBody = z.output<typeof resetBodySchema>;

export const tenantCategoryBodySchema = z
  .object(
    {
      enabled_for_tenant: bool.nullish().describe('false: the category is off for the tenant (null: unchanged)'),
      visible_to_subscriber: bool.nullish().describe("false: hidden from the tenant's users (null: unchanged)"),
      preference: tenantPreference.nullish().describe('The default for the tenant; null or "" removes the override'),
      mandatory_channels: channelList.nullish().describe('null removes the override'),
      opt_in_channels: channelList.nullish().describe('null removes the override'),
      blocked_channels: channelList.nullish().describe('Channels never used for the category in this tenant; null removes the override'),
      digest_schedule: anyJson.optional(),
      properties: anyJson.optional(),
    },
    { error: 'must be a JSON object' },
  )
  .nullish();
export type TenantCategoryBody = z.output<typeof tenantCategoryBodySchema>;

// ---- answers --------------------------------------------------------------------------------------------------

const tags = z.array(z.string()).nullable();
const channelEntry = z.object({ channel: z.string(), preference: z.enum(['opt_in', 'opt_out']), is_editable: z.boolean() });

export const categoryEntrySchema = z
  .object({
    name: z.string(),
    category: z.string(),
    description: z.string().nullable(),
    tags,
    effective_tags: tags.describe("The category's tags and its section's"),
    original_preference: z
      .enum(['opt_in', 'opt_out', 'cant_unsubscribe'])
      .nullable()
      .describe('The default, once the owner set the category'),
    preference: z.enum(['opt_in', 'opt_out']),
    is_editable: z.boolean().describe('false for cant_unsubscribe categories'),
    channels: z.array(channelEntry).describe('[] for an opted-out category unless show_opt_out_channels=true'),
    digest_schedule: z.unknown().optional(),
    properties: z.unknown().optional(),
  })
  .meta({ id: 'PreferenceCategoryEntry' });

export const channelPreferencesSchema = z
  .object({ channel_preferences: z.array(z.object({ channel: z.string(), is_restricted: z.boolean() })) })
  .meta({ id: 'ChannelPreferences' });

export const fullPreferenceSchema = z
  .object({
    sections: z.array(
      z.object({
        name: z.string().nullable(),
        slug: z.string().nullable(),
        description: z.string().nullable(),
        tags,
        subcategories: z.array(categoryEntrySchema),
      }),
    ),
    channel_preferences: channelPreferencesSchema.shape.channel_preferences,
  })
  .meta({ id: 'FullPreference' });

const pageMeta = z.object({ count: z.number().int(), limit: z.number().int(), offset: z.number().int() });

export const categoryPageSchema = z
  .object({ meta: pageMeta, results: z.array(categoryEntrySchema) })
  .meta({ id: 'PreferenceCategoryPage' });

export const successSchema = z.object({ success: z.literal(true) });

const channels = z.array(z.string()).nullable();
export const tenantCategorySchema = z
  .object({
    name: z.string(),
    category: z.string(),
    description: z.string().nullable(),
    tags,
    effective_tags: tags,
    root_category: z.enum(ROOT_CATEGORIES),
    default_preference: z.enum(['opt_in', 'opt_out', 'cant_unsubscribe']),
    default_mandatory_channels: channels,
    default_opt_in_channels: channels,
    enabled_for_tenant: z.boolean(),
    visible_to_subscriber: z.boolean(),
    preference: z.enum(['opt_in', 'opt_out', 'cant_unsubscribe']).nullable().describe("The tenant's override (null: the default)"),
    mandatory_channels: channels,
    opt_in_channels: channels,
    blocked_channels: channels,
    updated_at: z.string().nullable(),
    digest_schedule: z.unknown().optional(),
    properties: z.unknown().optional(),
  })
  .meta({ id: 'TenantPreferenceCategory' });

export const tenantCategoryPageSchema = z
  .object({ meta: pageMeta, results: z.array(tenantCategorySchema) })
  .meta({ id: 'TenantPreferenceCategoryPage' });

/** The deprecated `/v1/tenant/{id}/category/` routes' entry: fewer keys. */
export const legacyTenantCategorySchema = z
  .object({
    name: z.string(),
    category: z.string(),
    root_category: z.enum(ROOT_CATEGORIES),
    default_preference: z.enum(['opt_in', 'opt_out', 'cant_unsubscribe']),
    default_mandatory_channels: channels,
    default_opt_in_channels: channels,
    visible_to_subscriber: z.boolean(),
    preference: z.enum(['opt_in', 'opt_out', 'cant_unsubscribe']).describe("The tenant's default: its override, else the catalog's"),
    mandatory_channels: channels,
    opt_in_channels: channels,
    blocked_channels: channels,
  })
  .meta({ id: 'LegacyTenantCategory' });

export const legacyTenantCategoryPageSchema = z.object({ meta: pageMeta, results: z.array(legacyTenantCategorySchema) });

export const legacyTenantCategoryBodySchema = z
  .object(
    {
      preference: tenantPreference.nullish(),
      visible_to_subscriber: bool.nullish(),
      mandatory_channels: channelList.nullish(),
      blocked_channels: channelList.nullish(),
    },
    { error: 'must be a JSON object' },
  )
  .nullish();

export const tenantFullPreferenceSchema = z
  .object({
    root_categories: z.array(
      z.object({
        root_category: z.enum(ROOT_CATEGORIES),
        sections: z.array(
          z.object({
            name: z.string().nullable(),
            slug: z.string().nullable(),
            description: z.string().nullable(),
            tags,
            categories: z.array(tenantCategorySchema),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'TenantFullPreference' });

export const preferenceErrorSchema = z
  .object({
    code: z.number().int(),
    detail: z.record(z.string(), z.string()).optional().describe('Field path → problem, on a 400'),
    message: z.string(),
  })
  .meta({ id: 'PreferenceError' });

export const preferenceErrors = { ...commonErrors, 400: preferenceErrorSchema, 404: preferenceErrorSchema } as const;
