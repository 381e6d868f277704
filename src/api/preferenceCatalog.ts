import { z } from 'zod';
import {
  type Catalog,
  type CatalogCategory,
  type CatalogSection,
  DEFAULT_WORKSPACE_CHANNELS,
  PREFERENCE_CHANNELS,
  ROOT_CATEGORIES,
  type RootCategory,
} from '../engine/preferences.js';

/**
 * A workspace's preference categories, in the document SuprSend's management
 * API takes (`POST /v1/{workspace}/preference_category/`) and returns, plus
 * what the emulator adds: the workspace's `channels`, categories directly
 * under a root (an unnamed section), an optional section `slug`. Used by the
 * control plane, WORKSPACES_FILE, PREFERENCE_CATEGORIES_FILE and snapshots.
 */

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const slugMessage = 'must be lowercase letters and digits in words joined by "-" (pattern ^[a-z0-9]+(-[a-z0-9]+)*$)';

const channelSchema = z.enum(PREFERENCE_CHANNELS, { error: `must be one of ${PREFERENCE_CHANNELS.join(', ')}` });
const channelList = z.array(channelSchema).max(PREFERENCE_CHANNELS.length * 4);
const tagsSchema = z.array(z.string().regex(SLUG, `tags ${slugMessage}`)).max(100);
const text = (max: number) => z.string().max(max);

export const catalogCategorySchema = z.object({
  category: z.string().regex(SLUG, `category ${slugMessage}`).max(255),
  name: text(255).min(1),
  description: text(2000).nullish(),
  default_preference: z.enum(['opt_in', 'opt_out', 'cant_unsubscribe'], {
    error: 'must be one of opt_in, opt_out, cant_unsubscribe',
  }),
  default_mandatory_channels: channelList.nullish(),
  default_opt_in_channels: channelList.nullish(),
  tags: tagsSchema.nullish(),
});

const sectionSchema = z.object({
  /** null: categories shown without a section (what GET answers for categories defined directly under a root). */
  name: text(255).min(1).nullable(),
  slug: z.string().regex(SLUG, `slug ${slugMessage}`).max(255).nullish(),
  description: text(2000).nullish(),
  tags: tagsSchema.nullish(),
  categories: z.array(catalogCategorySchema).max(1000).default([]),
});

/** The catalog document as received (unknown keys such as `$schema`, `version_no`, `status` are ignored). */
export const preferenceCatalogSchema = z
  .object({
    channels: z.array(channelSchema).min(1).max(PREFERENCE_CHANNELS.length).optional(),
    root_categories: z
      .array(
        z.object({
          root_category: z.enum(ROOT_CATEGORIES, { error: `must be one of ${ROOT_CATEGORIES.join(', ')}` }),
          sections: z.array(sectionSchema).max(200).nullish(),
          categories: z.array(catalogCategorySchema).max(1000).nullish(),
        }),
      )
      .max(3),
  })
  .superRefine((doc, ctx) => {
    if (doc.channels && new Set(doc.channels).size !== doc.channels.length) {
      ctx.addIssue({ code: 'custom', path: ['channels'], message: 'a channel is listed twice' });
    }
    const roots = new Set<string>();
    const slugs = new Set<string>();
    doc.root_categories.forEach((root, i) => {
      if (roots.has(root.root_category)) {
        ctx.addIssue({ code: 'custom', path: ['root_categories', i, 'root_category'], message: `${root.root_category} appears twice` });
      }
      roots.add(root.root_category);
      const check = (c: { category: string }, path: (string | number)[]) => {
        if (slugs.has(c.category)) ctx.addIssue({ code: 'custom', path, message: `category "${c.category}" is defined twice` });
        slugs.add(c.category);
      };
      for (const [j, c] of (root.categories ?? []).entries()) check(c, ['root_categories', i, 'categories', j, 'category']);
      for (const [j, sec] of (root.sections ?? []).entries()) {
        for (const [k, c] of sec.categories.entries()) check(c, ['root_categories', i, 'sections', j, 'categories', k, 'category']);
      }
    });
  })
  .meta({ id: 'PreferenceCategories' });
export type PreferenceCatalogInput = z.input<typeof preferenceCatalogSchema>;
export type PreferenceCatalogDocument = z.output<typeof preferenceCatalogSchema>;

/** The document as stored and answered: every root, every field (null when not given), channels spelled out. */
export interface NormalizedCatalogDocument {
  channels: string[];
  root_categories: {
    root_category: RootCategory;
    sections: {
      name: string | null;
      slug: string | null;
      description: string | null;
      tags: string[] | null;
      categories: {
        category: string;
        name: string;
        description: string | null;
        default_preference: 'opt_in' | 'opt_out' | 'cant_unsubscribe';
        default_mandatory_channels: string[] | null;
        default_opt_in_channels: string[] | null;
        tags: string[] | null;
      }[];
    }[];
  }[];
}

const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || null;

const orNull = <T>(list: readonly T[] | null | undefined): T[] | null => (list && list.length > 0 ? [...new Set(list)] : null);
const listOrNull = <T>(list: readonly T[] | null | undefined): T[] | null => (list ? [...new Set(list)] : null);

/** A parsed document in its stored form: roots in the fixed order, unsectioned categories first as a section without a name. */
export function normalizeCatalog(doc: PreferenceCatalogDocument): NormalizedCatalogDocument {
  return {
    channels: [...(doc.channels ?? DEFAULT_WORKSPACE_CHANNELS)],
    root_categories: ROOT_CATEGORIES.map((rootCategory) => {
      const root = doc.root_categories.find((r) => r.root_category === rootCategory);
      const category = (c: z.output<typeof catalogCategorySchema>) => ({
        category: c.category,
        name: c.name,
        description: c.description ?? null,
        default_preference: c.default_preference,
        // `[]` for mandatory channels means the same as null: every channel (of a cant_unsubscribe category).
        default_mandatory_channels: orNull(c.default_mandatory_channels),
        default_opt_in_channels: listOrNull(c.default_opt_in_channels),
        tags: orNull(c.tags),
      });
      const sections: NormalizedCatalogDocument['root_categories'][number]['sections'] = [];
      if (root?.categories?.length) {
        sections.push({ name: null, slug: null, description: null, tags: null, categories: root.categories.map(category) });
      }
      for (const s of root?.sections ?? []) {
        sections.push({
          name: s.name,
          slug: s.name === null ? null : (s.slug ?? slugify(s.name)),
          description: s.description ?? null,
          tags: orNull(s.tags),
          categories: s.categories.map(category),
        });
      }
      return { root_category: rootCategory, sections };
    }),
  };
}

/** The engine's view of a stored document. */
export function catalogOf(doc: NormalizedCatalogDocument): Catalog {
  const sections: CatalogSection[] = [];
  const categories: CatalogCategory[] = [];
  for (const root of doc.root_categories) {
    for (const s of root.sections) {
      const cats = s.categories.map((c): CatalogCategory => {
        const effective = [...new Set([...(c.tags ?? []), ...(s.tags ?? [])])];
        return {
          category: c.category,
          name: c.name,
          description: c.description,
          rootCategory: root.root_category,
          defaultPreference: c.default_preference,
          defaultMandatoryChannels: c.default_mandatory_channels,
          defaultOptInChannels: c.default_opt_in_channels,
          tags: c.tags,
          effectiveTags: effective.length > 0 ? effective : null,
        };
      });
      if (cats.length === 0) continue;
      sections.push({
        rootCategory: root.root_category,
        name: s.name,
        slug: s.slug,
        description: s.description,
        tags: s.tags,
        categories: cats,
      });
      categories.push(...cats);
    }
  }
  return { channels: doc.channels, sections, categories, bySlug: new Map(categories.map((c) => [c.category, c])) };
}

/** Issues of a failed parse as "path: message" lines. */
export function catalogIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.slice(0, 10).map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'document'}: ${i.message}`);
}
