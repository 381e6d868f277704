/**
 * Notification preferences as pure functions: a catalog category, the
 * tenant's override of it, the owner's stored choice and channel restrictions
 * in; the category entry the API answers, or whether a channel would get a
 * notification of the category, out. Every preference answer and (later) the
 * notification journal use these, so they agree.
 */

/** The channels preferences know, in the order SuprSend's 400 message lists them. */
export const PREFERENCE_CHANNELS = ['sms', 'email', 'androidpush', 'iospush', 'webpush', 'inbox', 'whatsapp', 'slack', 'ms_teams'] as const;
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

/** A workspace's channel list when its catalog names none (and their output order). */
export const DEFAULT_WORKSPACE_CHANNELS: readonly PreferenceChannel[] = [
  'email',
  'sms',
  'whatsapp',
  'androidpush',
  'iospush',
  'webpush',
  'inbox',
  'slack',
  'ms_teams',
];

export const ROOT_CATEGORIES = ['system', 'transactional', 'promotional'] as const;
export type RootCategory = (typeof ROOT_CATEGORIES)[number];

export type DefaultPreference = 'opt_in' | 'opt_out' | 'cant_unsubscribe';
export type Choice = 'opt_in' | 'opt_out';

/** A sub-category of the catalog. */
export interface CatalogCategory {
  category: string;
  name: string;
  description: string | null;
  rootCategory: RootCategory;
  defaultPreference: DefaultPreference;
  defaultMandatoryChannels: string[] | null;
  defaultOptInChannels: string[] | null;
  tags: string[] | null;
  /** The category's tags and its section's, or null when both are empty. */
  effectiveTags: string[] | null;
}

/** A section (UI grouping); `name` and `slug` are null for categories defined directly under a root. */
export interface CatalogSection {
  rootCategory: RootCategory;
  name: string | null;
  slug: string | null;
  description: string | null;
  tags: string[] | null;
  categories: readonly CatalogCategory[];
}

/** A workspace's catalog: sections in output order (system, transactional, promotional), and its channels. */
export interface Catalog {
  channels: readonly string[];
  sections: readonly CatalogSection[];
  /** Every category in output order. */
  categories: readonly CatalogCategory[];
  bySlug: ReadonlyMap<string, CatalogCategory>;
}

export const EMPTY_CATALOG: Catalog = { channels: DEFAULT_WORKSPACE_CHANNELS, sections: [], categories: [], bySlug: new Map() };

/** A tenant's override of one category; null fields follow the catalog. */
export interface TenantOverride {
  enabledForTenant: boolean;
  visibleToSubscriber: boolean;
  preference: DefaultPreference | null;
  mandatoryChannels: string[] | null;
  optInChannels: string[] | null;
  blockedChannels: string[] | null;
}

/** What an owner (user or object) chose for one category in one tenant scope. */
export interface StoredChoice {
  preference: Choice;
  optOutChannels: string[] | null;
  optInChannels: string[] | null;
  /** Stored and echoed back when sent (shapes are the client's). */
  digestSchedule?: unknown;
  properties?: unknown;
}

/** The tenant side of a computation: the tenant's blocked channels and its category overrides. */
export interface TenantView {
  blockedChannels: readonly string[];
  overrides: ReadonlyMap<string, TenantOverride>;
}

export const NO_TENANT_VIEW: TenantView = { blockedChannels: [], overrides: new Map() };

export interface ChannelEntry {
  channel: string;
  preference: Choice;
  is_editable: boolean;
}

/** A category as the user/object preference API answers it. */
export interface CategoryEntry {
  name: string;
  category: string;
  description: string | null;
  tags: string[] | null;
  effective_tags: string[] | null;
  original_preference: DefaultPreference | null;
  preference: Choice;
  is_editable: boolean;
  channels: ChannelEntry[];
  digest_schedule?: unknown;
  properties?: unknown;
}

/** What a tenant's category looks like once its override is applied (hidden: not shown, never delivered). */
export interface EffectiveCategory {
  hidden: boolean;
  defaultPreference: DefaultPreference;
  /** The category's channels: the workspace's minus every channel the tenant blocks. */
  channels: readonly string[];
  /** Channels a `cant_unsubscribe` category always delivers on; empty for the others. */
  mandatory: ReadonlySet<string>;
  /** Channels opted in by default; null = all. */
  optIn: string[] | null;
}

/** Step 1–2 of the computation: the tenant's override applied to the catalog entry. */
export function effectiveCategory(
  c: CatalogCategory,
  workspaceChannels: readonly string[],
  tenant: TenantView,
  override = tenant.overrides.get(c.category),
): EffectiveCategory {
  const hidden = override !== undefined && (!override.enabledForTenant || !override.visibleToSubscriber);
  const defaultPreference = override?.preference ?? c.defaultPreference;
  const blocked = new Set([...tenant.blockedChannels, ...(override?.blockedChannels ?? [])]);
  const channels = workspaceChannels.filter((ch) => !blocked.has(ch));
  let mandatory = new Set<string>();
  if (defaultPreference === 'cant_unsubscribe') {
    const listed = override?.mandatoryChannels ?? c.defaultMandatoryChannels;
    // For `cant_unsubscribe`, no mandatory channel listed means every channel is mandatory.
    mandatory = new Set(listed === null || listed.length === 0 ? channels : channels.filter((ch) => listed.includes(ch)));
  }
  const optIn = override?.optInChannels ?? c.defaultOptInChannels;
  return { hidden, defaultPreference, channels, mandatory, optIn };
}

/** The category preference shown: the stored choice, else the default (`cant_unsubscribe` shows as `opt_in`). */
function shownPreference(defaultPreference: DefaultPreference, choice: StoredChoice | undefined): Choice {
  if (defaultPreference === 'cant_unsubscribe') return 'opt_in';
  if (choice) return choice.preference;
  return defaultPreference === 'opt_out' ? 'opt_out' : 'opt_in';
}

/** Whether a non-mandatory channel is opted in, given the category preference is `opt_in`. */
function channelOptedIn(ch: string, eff: EffectiveCategory, choice: StoredChoice | undefined): boolean {
  if (choice?.optOutChannels) return !choice.optOutChannels.includes(ch);
  if (choice?.optInChannels) return choice.optInChannels.includes(ch);
  return eff.optIn === null || eff.optIn.includes(ch);
}

/**
 * The category entry of the user/object preference API, or null when the
 * tenant hides the category. With `showOptOutChannels` false, an opted-out
 * category has no channel entries.
 */
export function categoryEntry(
  c: CatalogCategory,
  workspaceChannels: readonly string[],
  tenant: TenantView,
  choice: StoredChoice | undefined,
  showOptOutChannels: boolean,
): CategoryEntry | null {
  const eff = effectiveCategory(c, workspaceChannels, tenant);
  if (eff.hidden) return null;
  const preference = shownPreference(eff.defaultPreference, choice);
  const channels: ChannelEntry[] =
    preference === 'opt_out' && !showOptOutChannels
      ? []
      : eff.channels.map((ch) => {
          if (eff.mandatory.has(ch)) return { channel: ch, preference: 'opt_in', is_editable: false };
          const on = preference === 'opt_in' && channelOptedIn(ch, eff, choice);
          return { channel: ch, preference: on ? 'opt_in' : 'opt_out', is_editable: true };
        });
  const entry: CategoryEntry = {
    name: c.name,
    category: c.category,
    description: c.description,
    tags: c.tags,
    effective_tags: c.effectiveTags,
    original_preference: choice ? eff.defaultPreference : null,
    preference,
    is_editable: eff.defaultPreference !== 'cant_unsubscribe',
    channels,
  };
  if (choice?.digestSchedule !== undefined) entry.digest_schedule = choice.digestSchedule;
  if (choice?.properties !== undefined) entry.properties = choice.properties;
  return entry;
}

/** `channel_preferences`: one entry per workspace channel the tenant does not block. */
export function channelPreferences(
  workspaceChannels: readonly string[],
  tenant: TenantView,
  restricted: Readonly<Record<string, boolean>>,
): { channel: string; is_restricted: boolean }[] {
  return workspaceChannels
    .filter((ch) => !tenant.blockedChannels.includes(ch))
    .map((ch) => ({ channel: ch, is_restricted: restricted[ch] === true }));
}

/**
 * Send-time evaluation: would `channel` get a notification of `category`?
 * A category not in the catalog (or none) is not filtered. Otherwise: the
 * category is shown to the owner, the channel is opted in for it, and the
 * channel is not restricted unless it is mandatory for the category.
 */
export function wouldDeliver(
  catalog: Catalog,
  category: string | null | undefined,
  channel: string,
  tenant: TenantView,
  choice: StoredChoice | undefined,
  restricted: Readonly<Record<string, boolean>>,
): boolean {
  const c = category ? catalog.bySlug.get(category) : undefined;
  if (!c) return true;
  const eff = effectiveCategory(c, catalog.channels, tenant);
  if (eff.hidden || !eff.channels.includes(channel)) return false;
  if (eff.mandatory.has(channel)) return true;
  if (restricted[channel] === true) return false;
  return shownPreference(eff.defaultPreference, choice) === 'opt_in' && channelOptedIn(channel, eff, choice);
}

// ---- tags filter ----------------------------------------------------------------------------------------------

/** A `tags` filter: a tag, or `{"and": [...]}`, `{"or": [...]}`, `{"not": …}`, `{"exists": bool}`, nestable. */
export type TagExpression = string | { and: TagExpression[] } | { or: TagExpression[] } | { not: TagExpression } | { exists: boolean };

/** Parses the `tags` query parameter; a string that is not a JSON object is a single tag. Returns an error message on a bad expression. */
export function parseTagFilter(raw: string): { ok: true; value: TagExpression } | { ok: false; message: string } {
  const text = raw.trim();
  if (!text.startsWith('{')) return { ok: true, value: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, message: 'not valid JSON: use a tag, or an expression such as {"or": ["admin", {"not": "sales"}]}' };
  }
  const problem = tagExpressionProblem(parsed, 'tags', 0);
  return problem ? { ok: false, message: problem } : { ok: true, value: parsed as TagExpression };
}

function tagExpressionProblem(e: unknown, path: string, depth: number): string | undefined {
  if (depth > 32) return `${path}: nested too deeply`;
  if (typeof e === 'string') return undefined;
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    return `${path}: must be a tag or an object with one of and, or, not, exists`;
  const keys = Object.keys(e);
  if (keys.length !== 1) return `${path}: must have exactly one of and, or, not, exists`;
  const key = keys[0]!;
  const value = (e as Record<string, unknown>)[key];
  switch (key) {
    case 'and':
    case 'or':
      if (!Array.isArray(value)) return `${path}.${key}: must be an array`;
      for (const [i, item] of value.entries()) {
        const p = tagExpressionProblem(item, `${path}.${key}[${i}]`, depth + 1);
        if (p) return p;
      }
      return undefined;
    case 'not':
      return tagExpressionProblem(value, `${path}.not`, depth + 1);
    case 'exists':
      return typeof value === 'boolean' ? undefined : `${path}.exists: must be true or false`;
    default:
      return `${path}: unknown operator "${key}" (use and, or, not, exists)`;
  }
}

/** Whether a category with these effective tags matches the expression. */
export function matchesTags(e: TagExpression, tags: string[] | null): boolean {
  if (typeof e === 'string') return tags?.includes(e) ?? false;
  if ('and' in e) return e.and.every((x) => matchesTags(x, tags));
  if ('or' in e) return e.or.some((x) => matchesTags(x, tags));
  if ('not' in e) return !matchesTags(e.not, tags);
  return (tags !== null && tags.length > 0) === e.exists;
}
