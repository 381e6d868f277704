import { z } from 'zod';
import { isIanaTimezone, toJson } from '../engine/index.js';
import { longErrorSchema, longErrors } from '../api/schemas.js';

/**
 * Tenants (and brands, their older name): what a body may hold and what the
 * API answers. A field sent as `null` (or left out) is left as it is; `""`
 * clears a string field (for social links, as SuprSend documents it, `""`
 * removes the link).
 */

export const MAX_TENANT_ID_LENGTH = 64;
export const DEFAULT_TENANT_ID = 'default';
export const DEFAULT_TENANT_PAGE_SIZE = 20;
export const MAX_TENANT_PAGE_SIZE = 1000;

/** Channels a tenant can block, as SuprSend names them in preferences. */
export const TENANT_CHANNELS = ['email', 'sms', 'whatsapp', 'androidpush', 'iospush', 'webpush', 'slack', 'ms_teams', 'inbox'] as const;

/** The social links a tenant answers with, in upstream's order; `twitter` (Go SDK, deprecated) is taken as `x`. */
export const SOCIAL_LINKS = [
  'website',
  'facebook',
  'linkedin',
  'x',
  'instagram',
  'medium',
  'discord',
  'telegram',
  'youtube',
  'tiktok',
] as const;
export type SocialLink = (typeof SOCIAL_LINKS)[number];

/** A social link's key as sent (any case; `twitter` for `x`), or undefined when it is not one. */
export function socialLinkKey(sent: string): SocialLink | undefined {
  const lower = sent.toLowerCase();
  if (lower === 'twitter') return 'x';
  return (SOCIAL_LINKS as readonly string[]).includes(lower) ? (lower as SocialLink) : undefined;
}

/** Why `id` is not a tenant_id (1 to 64 characters of a-z, 0-9, `_`, `-`), or null. */
export function tenantIdProblem(id: string): string | null {
  if (id.length === 0) return 'This field may not be blank.';
  if (id.length > MAX_TENANT_ID_LENGTH) return `Ensure this field has no more than ${MAX_TENANT_ID_LENGTH} characters.`;
  if (!/^[a-z0-9_-]+$/.test(id)) return "Only lower-case letters, digits, '_' and '-' are allowed.";
  return null;
}

// ---- field checks, shared with snapshot imports ---------------------------------------------

const HTML = /<\/?[a-zA-Z!][^>]*>/;
const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const DOMAIN = /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const MAX_TEXT = 2048;

function isHttpUrl(value: string): boolean {
  if (value.length > MAX_TEXT || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const notAString = (iss: { input?: unknown }) => (iss.input === undefined ? 'This field is required.' : 'Not a valid string.');

export const tenantNameField = z
  .string({ error: notAString })
  .min(1, 'This field may not be blank.')
  .max(255, 'Ensure this field has no more than 255 characters.')
  .refine((v) => !HTML.test(v), 'Ensure this field contains non-html text');

/** A URL field: an http(s) URL. */
export const urlField = z.string({ error: notAString }).refine(isHttpUrl, 'Enter a valid URL.');
export const timezoneField = z.string({ error: notAString }).refine(isIanaTimezone, 'Enter a valid IANA time zone, e.g. America/New_York.');
export const colourField = z.string({ error: notAString }).regex(HEX_COLOUR, 'Enter a valid hex colour, e.g. #ff0000.');
export const domainField = z
  .string({ error: notAString })
  .regex(DOMAIN, 'Enter a valid domain name, e.g. preferences.example.com (no scheme, no path).');
export const blockedChannelsField = z
  .array(
    z.enum(TENANT_CHANNELS, { error: (iss) => `${JSON.stringify(iss.input)} is not a valid choice (${TENANT_CHANNELS.join(', ')}).` }),
    {
      error: 'Expected a list of channel names.',
    },
  )
  .max(TENANT_CHANNELS.length * 4, 'Too many channels.');

/** Custom properties: a JSON object of JSON values. */
export const propertiesField = z.record(z.string(), z.unknown(), { error: 'Expected a JSON object.' }).superRefine((value, ctx) => {
  const checked = toJson(value, 'properties');
  if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.error.message });
});

/** `""` (clear) or a value `field` accepts. */
const clearable = <T extends z.ZodType<string>>(field: T) => z.union([z.literal(''), field]).nullish();

/** Social links sent in a body: keys as in SOCIAL_LINKS (any case), each an http(s) URL, `""` (remove) or null (leave). */
const socialLinksInput = z
  .record(z.string(), z.union([z.literal(''), urlField]).nullable(), { error: 'Expected a JSON object of links.' })
  .superRefine((links, ctx) => {
    for (const key of Object.keys(links)) {
      if (!socialLinkKey(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `Not a social link; one of ${SOCIAL_LINKS.join(', ')}.` });
      }
    }
  });

/** The fields tenants and brands share (everything but the id and name). */
const commonFields = {
  logo: clearable(urlField).describe('URL of the logo; "" clears it'),
  timezone: clearable(timezoneField).describe('IANA time zone, fallback for users without one; "" clears it'),
  blocked_channels: blockedChannelsField
    .nullish()
    .describe(`Channels never delivered for this tenant (${TENANT_CHANNELS.join(', ')}); [] clears`),
  embedded_preference_url: clearable(urlField).describe('URL of the preference page inside the tenant product; "" clears it'),
  preference_page_url: clearable(urlField).describe('Older name of embedded_preference_url (used when that is not sent)'),
  hosted_preference_domain: clearable(domainField).describe('Domain of the hosted preference page; "" clears it'),
  primary_color: clearable(colourField).describe('#rrggbb or #rgb; "" clears it'),
  secondary_color: clearable(colourField).describe('#rrggbb or #rgb; "" clears it'),
  tertiary_color: clearable(colourField).describe('#rrggbb or #rgb; "" clears it'),
  social_links: socialLinksInput
    .nullish()
    .describe(`Links by name (${SOCIAL_LINKS.join(', ')}; twitter is taken as x); "" removes a link, null or absent leaves it`),
  properties: propertiesField.nullish().describe('Custom properties, upserted on first-level keys'),
};

const notAnObject = 'Invalid data: expected a JSON object.';

export const tenantBodySchema = z
  .looseObject(
    {
      tenant_name: tenantNameField.nullish().describe('Name of the tenant: required when the tenant is created'),
      ...commonFields,
    },
    { error: notAnObject },
  )
  .describe('Creates the tenant, or updates the fields sent (null or absent leaves a field unchanged)');

export const brandBodySchema = z
  .looseObject(
    {
      brand_name: tenantNameField.nullish().describe('Name of the brand: required when the brand is created'),
      ...commonFields,
    },
    { error: notAnObject },
  )
  .describe('Creates the brand (a tenant), or updates the fields sent (null or absent leaves a field unchanged)');

export type TenantBody = z.infer<typeof tenantBodySchema>;
export type BrandBody = z.infer<typeof brandBodySchema>;

export const tenantIdParams = z.object({
  tenant_id: z.string().describe('1 to 64 characters of a-z, 0-9, _ and -'),
});
export const brandIdParams = z.object({
  brand_id: z.string().describe('1 to 64 characters of a-z, 0-9, _ and -'),
});

/** A whole number query parameter; `limit` is brought into 1..1000 as the SDKs do. */
const wholeNumber = (name: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `${name} must be a whole number`)
    .transform(Number);

export const tenantListQuerySchema = z.looseObject({
  limit: wholeNumber('limit')
    .transform((n) => Math.min(Math.max(n, 1), MAX_TENANT_PAGE_SIZE))
    .optional()
    .describe(`Page size (default ${DEFAULT_TENANT_PAGE_SIZE}); brought into 1 to ${MAX_TENANT_PAGE_SIZE}`),
  offset: wholeNumber('offset').optional().describe('How many tenants to skip (default 0)'),
});

// ---- responses ----------------------------------------------------------------------------------

const responseFields = {
  logo: z.string().nullable(),
  timezone: z.string().nullable(),
  blocked_channels: z.array(z.string()).nullable(),
  embedded_preference_url: z.string().nullable(),
  hosted_preference_domain: z.string().nullable(),
  primary_color: z.string().nullable(),
  secondary_color: z.string().nullable(),
  tertiary_color: z.string().nullable(),
  social_links: z
    .object(Object.fromEntries(SOCIAL_LINKS.map((k) => [k, z.string()])) as Record<SocialLink, z.ZodString>)
    .describe('Every link, "" when not set'),
  properties: z.record(z.string(), z.unknown()),
  updated_at: z.string().nullable().describe('ISO-8601 UTC with microseconds and Z; null for a default tenant never changed'),
};

export const tenantSchema = z.object({ tenant_id: z.string(), tenant_name: z.string(), ...responseFields }).meta({ id: 'Tenant' });
export const brandSchema = z.object({ brand_id: z.string(), brand_name: z.string(), ...responseFields }).meta({ id: 'Brand' });

const pageMeta = z.object({ count: z.number().int(), limit: z.number().int(), offset: z.number().int() });
export const tenantPageSchema = z.object({ meta: pageMeta, results: z.array(tenantSchema) }).meta({ id: 'TenantPage' });
export const brandPageSchema = z.object({ meta: pageMeta, results: z.array(brandSchema) }).meta({ id: 'BrandPage' });

export const tenantErrors = longErrors;
export const tenantErrorsWith404 = { ...longErrors, 404: longErrorSchema } as const;
