import { formatTimestamp, type Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import {
  type CatalogCategory,
  type CategoryEntry,
  categoryEntry,
  channelPreferences,
  matchesTags,
  parseTagFilter,
  type StoredChoice,
  type TagExpression,
  type TenantOverride,
  type TenantView,
} from '../engine/preferences.js';
import { objectNotFound } from '../objects/errors.js';
import type { ObjectRelations, ObjectService } from '../objects/service.js';
import type { TenantRelations, TenantService } from '../tenants/service.js';
import { userNotFound } from '../users/errors.js';
import { checkedId, type UserRelations, type UserService } from '../users/service.js';
import type { Workspace } from '../workspaces/registry.js';
import { badField, categoryNotFound, tenantNotFound, tenantOrCategoryNotFound } from './errors.js';
import type { BulkUpdateBody, CategoryBody, ChannelPreferencesBody, FullPreferenceBody, ResetBody, TenantCategoryBody } from './schemas.js';
import { type OwnerKey, PreferenceStore, type TenantOverrideFields, type TenantOverrideRow } from './store.js';
import {
  legacyTenantCategoryWire,
  overrideOf,
  type StoredCategory,
  type StoredSet,
  tenantCategoryWire,
  type TenantCategoryWire,
} from './wire.js';

/** Whose preferences: a user, or an object. */
export type Owner = { kind: 'user'; distinctId: string } | { kind: 'object'; objectType: string; objectId: string };

export const DEFAULT_TENANT = 'default';

/** The query of a preference read. */
export interface ReadOptions {
  tenantId?: string | undefined;
  showOptOutChannels?: boolean | undefined;
  tags?: string | undefined;
}

export interface FullPreference {
  sections: {
    name: string | null;
    slug: string | null;
    description: string | null;
    tags: string[] | null;
    subcategories: CategoryEntry[];
  }[];
  channel_preferences: { channel: string; is_restricted: boolean }[];
}

interface Page<T> {
  meta: { count: number; limit: number; offset: number };
  results: T[];
}

const ownerKey = (owner: Owner): OwnerKey =>
  owner.kind === 'user' ? { objectType: '', ownerId: owner.distinctId } : { objectType: owner.objectType, ownerId: owner.objectId };

const choiceOf = (c: StoredCategory | undefined): StoredChoice | undefined =>
  c && {
    preference: c.preference,
    optOutChannels: c.opt_out_channels,
    optInChannels: c.opt_in_channels,
    ...(c.digest_schedule !== undefined ? { digestSchedule: c.digest_schedule } : {}),
    ...(c.properties !== undefined ? { properties: c.properties } : {}),
  };

const jsonOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/**
 * Preferences of users and objects per tenant scope, and tenants' category
 * overrides. Answers are computed by the engine (src/engine/preferences.ts)
 * from the workspace's catalog, the tenant's overrides and the stored choices.
 */
export class PreferenceService implements UserRelations, ObjectRelations, TenantRelations {
  private readonly store: PreferenceStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: UserService,
    private readonly objects: ObjectService,
    private readonly tenants: TenantService,
  ) {
    this.store = new PreferenceStore(db);
    users.addRelations(this);
    objects.addRelations(this);
    tenants.addRelations(this);
  }

  private now(): string {
    return formatTimestamp(this.clock.nowMicros());
  }

  private write<T>(fn: () => T): T {
    return inTransaction(this.db.$client, fn);
  }

  private read<T>(fn: () => T): T {
    return inTransaction(this.db.$client, fn, 'deferred');
  }

  // ---- pieces ----------------------------------------------------------------------------------------------

  private checkOwner(ws: Workspace, owner: Owner): void {
    if (owner.kind === 'user') {
      if (!this.users.exists(ws, checkedId(owner.distinctId))) throw userNotFound(owner.distinctId);
    } else if (!this.objects.exists(ws, owner.objectType, owner.objectId)) {
      throw objectNotFound(owner.objectType, owner.objectId);
    }
  }

  /** The tenant scope of a request: `default` unless a tenant is named, which must exist. */
  private scope(ws: Workspace, tenantId: string | undefined): string {
    const tid = tenantId === undefined || tenantId === '' ? DEFAULT_TENANT : tenantId;
    if (!this.tenants.exists(ws, tid)) throw tenantNotFound(tid);
    return tid;
  }

  private overrideRows(ws: Workspace, tenantId: string): Map<string, TenantOverrideRow> {
    return new Map(this.store.overrides(ws.dataKey, tenantId).map((r) => [r.category, r]));
  }

  private tenantView(ws: Workspace, tenantId: string): TenantView {
    const overrides = new Map<string, TenantOverride>();
    for (const [slug, row] of this.overrideRows(ws, tenantId)) overrides.set(slug, overrideOf(row));
    return { blockedChannels: this.tenants.get(ws, tenantId).blockedChannels ?? [], overrides };
  }

  private loadSet(ws: Workspace, owner: Owner, tenantId: string): StoredSet {
    const row = this.store.find(ws.dataKey, ownerKey(owner), tenantId);
    if (!row) return { channels: {}, categories: {} };
    return {
      channels: JSON.parse(row.channels) as StoredSet['channels'],
      categories: JSON.parse(row.categories) as StoredSet['categories'],
    };
  }

  private saveSet(ws: Workspace, owner: Owner, tenantId: string, set: StoredSet, now: string): void {
    this.store.save(ws.dataKey, ownerKey(owner), tenantId, JSON.stringify(set.channels), JSON.stringify(set.categories), now);
  }

  private tagFilter(tags: string | undefined): TagExpression | undefined {
    if (tags === undefined || tags.trim() === '') return undefined;
    const parsed = parseTagFilter(tags);
    if (!parsed.ok) throw badField('tags', parsed.message);
    return parsed.value;
  }

  private category(ws: Workspace, slug: string): CatalogCategory {
    const c = ws.preferenceCatalog.bySlug.get(slug);
    if (!c) throw categoryNotFound(slug);
    return c;
  }

  /** Entries of the visible categories matching the filter, in catalog order. */
  private entries(ws: Workspace, view: TenantView, set: StoredSet, opts: ReadOptions): { c: CatalogCategory; entry: CategoryEntry }[] {
    const filter = this.tagFilter(opts.tags);
    const out: { c: CatalogCategory; entry: CategoryEntry }[] = [];
    for (const c of ws.preferenceCatalog.categories) {
      if (filter !== undefined && !matchesTags(filter, c.effectiveTags)) continue;
      const entry = categoryEntry(
        c,
        ws.preferenceCatalog.channels,
        view,
        choiceOf(set.categories[c.category]),
        opts.showOptOutChannels ?? false,
      );
      if (entry) out.push({ c, entry });
    }
    return out;
  }

  private full(ws: Workspace, owner: Owner, tenantId: string, opts: ReadOptions): FullPreference {
    const view = this.tenantView(ws, tenantId);
    const set = this.loadSet(ws, owner, tenantId);
    const byCategory = new Map(this.entries(ws, view, set, opts).map(({ c, entry }) => [c, entry]));
    const sections: FullPreference['sections'] = [];
    for (const s of ws.preferenceCatalog.sections) {
      const subcategories = s.categories.map((c) => byCategory.get(c)).filter((e): e is CategoryEntry => e !== undefined);
      if (subcategories.length > 0) sections.push({ name: s.name, slug: s.slug, description: s.description, tags: s.tags, subcategories });
    }
    return { sections, channel_preferences: channelPreferences(ws.preferenceCatalog.channels, view, set.channels) };
  }

  private storedCategory(
    body: {
      preference?: string | undefined;
      opt_out_channels?: string[] | null | undefined;
      opt_in_channels?: string[] | null | undefined;
      digest_schedule?: unknown;
      properties?: unknown;
    },
    now: string,
  ): StoredCategory {
    const stored: StoredCategory = {
      preference: body.preference === 'opt_out' ? 'opt_out' : 'opt_in',
      opt_out_channels: body.opt_out_channels ? [...new Set(body.opt_out_channels)] : null,
      opt_in_channels: body.opt_in_channels ? [...new Set(body.opt_in_channels)] : null,
      updated_at: now,
    };
    if (body.digest_schedule !== undefined && body.digest_schedule !== null) stored.digest_schedule = body.digest_schedule;
    if (body.properties !== undefined && body.properties !== null) stored.properties = body.properties;
    return stored;
  }

  /** Applies a full-preference body to a set (channels merged, listed categories replaced). */
  private apply(set: StoredSet, body: FullPreferenceBody, now: string): void {
    for (const cp of body.channel_preferences ?? []) set.channels[cp.channel] = cp.is_restricted;
    for (const c of body.categories ?? []) set.categories[c.category] = this.storedCategory(c, now);
  }

  /** Every category a body names must be in the catalog (checked before anything is written). */
  private checkCategories(ws: Workspace, body: FullPreferenceBody): void {
    for (const c of body.categories ?? []) this.category(ws, c.category);
  }

  // ---- users and objects -----------------------------------------------------------------------------------

  /** `GET …/preference/`: sections of visible categories, and the channel preferences. */
  getFull(ws: Workspace, owner: Owner, opts: ReadOptions): FullPreference {
    return this.read(() => {
      this.checkOwner(ws, owner);
      return this.full(ws, owner, this.scope(ws, opts.tenantId), opts);
    });
  }

  /** `PATCH …/preference/`: channel preferences merged, listed categories replaced; answers the full preference. */
  updateFull(ws: Workspace, owner: Owner, tenantId: string | undefined, body: FullPreferenceBody): FullPreference {
    return this.write(() => {
      this.checkOwner(ws, owner);
      const tid = this.scope(ws, tenantId);
      this.checkCategories(ws, body);
      const now = this.now();
      const set = this.loadSet(ws, owner, tid);
      this.apply(set, body, now);
      this.saveSet(ws, owner, tid, set, now);
      return this.full(ws, owner, tid, {});
    });
  }

  getChannels(ws: Workspace, owner: Owner, tenantId: string | undefined): Pick<FullPreference, 'channel_preferences'> {
    return this.read(() => {
      this.checkOwner(ws, owner);
      const tid = this.scope(ws, tenantId);
      const set = this.loadSet(ws, owner, tid);
      return { channel_preferences: channelPreferences(ws.preferenceCatalog.channels, this.tenantBlockedOnly(ws, tid), set.channels) };
    });
  }

  /** `PATCH …/channel_preference/`: only the listed channels change; answers every channel. */
  updateChannels(
    ws: Workspace,
    owner: Owner,
    tenantId: string | undefined,
    body: ChannelPreferencesBody,
  ): Pick<FullPreference, 'channel_preferences'> {
    return this.write(() => {
      this.checkOwner(ws, owner);
      const tid = this.scope(ws, tenantId);
      const now = this.now();
      const set = this.loadSet(ws, owner, tid);
      this.apply(set, { channel_preferences: body.channel_preferences }, now);
      this.saveSet(ws, owner, tid, set, now);
      return { channel_preferences: channelPreferences(ws.preferenceCatalog.channels, this.tenantBlockedOnly(ws, tid), set.channels) };
    });
  }

  private tenantBlockedOnly(ws: Workspace, tenantId: string): TenantView {
    return { blockedChannels: this.tenants.get(ws, tenantId).blockedChannels ?? [], overrides: new Map() };
  }

  /** `GET …/preference/category/`: a flat, offset-paged list of the visible categories. */
  listCategories(ws: Workspace, owner: Owner, opts: ReadOptions, limit: number, offset: number): Page<CategoryEntry> {
    return this.read(() => {
      this.checkOwner(ws, owner);
      const tid = this.scope(ws, opts.tenantId);
      const all = this.entries(ws, this.tenantView(ws, tid), this.loadSet(ws, owner, tid), opts);
      return { meta: { count: all.length, limit, offset }, results: all.slice(offset, offset + limit).map((e) => e.entry) };
    });
  }

  private oneEntry(ws: Workspace, owner: Owner, tid: string, slug: string, showOptOutChannels: boolean): CategoryEntry {
    const c = this.category(ws, slug);
    const set = this.loadSet(ws, owner, tid);
    const entry = categoryEntry(
      c,
      ws.preferenceCatalog.channels,
      this.tenantView(ws, tid),
      choiceOf(set.categories[slug]),
      showOptOutChannels,
    );
    // A category the tenant hides or turned off is not there for its users.
    if (!entry) throw categoryNotFound(slug);
    return entry;
  }

  getCategory(ws: Workspace, owner: Owner, slug: string, opts: ReadOptions): CategoryEntry {
    return this.read(() => {
      this.checkOwner(ws, owner);
      return this.oneEntry(ws, owner, this.scope(ws, opts.tenantId), slug, opts.showOptOutChannels ?? false);
    });
  }

  /** `PATCH …/preference/category/{cat}/`: replaces the owner's choice for the category. */
  updateCategory(ws: Workspace, owner: Owner, slug: string, opts: ReadOptions, body: CategoryBody): CategoryEntry {
    return this.write(() => {
      this.checkOwner(ws, owner);
      const tid = this.scope(ws, opts.tenantId);
      this.oneEntry(ws, owner, tid, slug, false);
      const now = this.now();
      const set = this.loadSet(ws, owner, tid);
      set.categories[slug] = this.storedCategory(body ?? {}, now);
      this.saveSet(ws, owner, tid, set, now);
      return this.oneEntry(ws, owner, tid, slug, opts.showOptOutChannels ?? false);
    });
  }

  // ---- bulk (users) ----------------------------------------------------------------------------------------

  /** `PATCH /v1/bulk/user/preference/`: the same change for every listed user; unknown users are skipped. */
  bulkUpdate(ws: Workspace, tenantId: string | undefined, body: BulkUpdateBody): { success: true } {
    return this.write(() => {
      const tid = this.scope(ws, tenantId);
      this.checkCategories(ws, body);
      const now = this.now();
      for (const distinctId of new Set(body.distinct_ids)) {
        if (!this.users.exists(ws, distinctId)) continue;
        const owner: Owner = { kind: 'user', distinctId };
        const set = this.loadSet(ws, owner, tid);
        this.apply(set, body, now);
        this.saveSet(ws, owner, tid, set, now);
      }
      return { success: true };
    });
  }

  /** `PATCH /v1/bulk/user/preference/reset/`: forgets channel and/or category choices, so the defaults apply again. */
  reset(ws: Workspace, tenantId: string | undefined, body: ResetBody): { success: true } {
    const resetChannels = body.reset_channel_preferences ?? true;
    const resetCategories = body.reset_categories ?? true;
    return this.write(() => {
      const tid = this.scope(ws, tenantId);
      const now = this.now();
      for (const distinctId of new Set(body.distinct_ids)) {
        const owner: Owner = { kind: 'user', distinctId };
        if (resetChannels && resetCategories) {
          this.store.deleteSet(ws.dataKey, ownerKey(owner), tid);
          continue;
        }
        if (!this.store.find(ws.dataKey, ownerKey(owner), tid)) continue;
        const set = this.loadSet(ws, owner, tid);
        if (resetChannels) set.channels = {};
        if (resetCategories) set.categories = {};
        this.saveSet(ws, owner, tid, set, now);
      }
      return { success: true };
    });
  }

  // ---- tenants ---------------------------------------------------------------------------------------------

  private checkTenant(ws: Workspace, tenantId: string): void {
    if (!this.tenants.exists(ws, tenantId)) throw tenantNotFound(tenantId);
  }

  /** `GET /v1/tenant/{id}/preference/category/` (and the deprecated `/category/`). */
  listTenantCategories(
    ws: Workspace,
    tenantId: string,
    opts: { tags?: string | undefined; includeDisabled?: boolean | undefined; limit: number; offset: number },
  ): Page<TenantCategoryWire> {
    return this.read(() => {
      this.checkTenant(ws, tenantId);
      const filter = this.tagFilter(opts.tags);
      const rows = this.overrideRows(ws, tenantId);
      const all = ws.preferenceCatalog.categories
        .filter((c) => filter === undefined || matchesTags(filter, c.effectiveTags))
        .map((c) => tenantCategoryWire(c, rows.get(c.category)))
        .filter((e) => opts.includeDisabled || e.enabled_for_tenant);
      return {
        meta: { count: all.length, limit: opts.limit, offset: opts.offset },
        results: all.slice(opts.offset, opts.offset + opts.limit),
      };
    });
  }

  getTenantCategory(ws: Workspace, tenantId: string, slug: string): TenantCategoryWire {
    return this.read(() => {
      const c = ws.preferenceCatalog.bySlug.get(slug);
      if (!c || !this.tenants.exists(ws, tenantId)) throw tenantOrCategoryNotFound(tenantId, slug);
      return tenantCategoryWire(c, this.store.override(ws.dataKey, tenantId, slug));
    });
  }

  /**
   * `PATCH /v1/tenant/{id}/preference/category/{cat}/`: fields sent change
   * the override; `null` (or `""` for preference) removes a field's override,
   * a `null` boolean keeps it.
   */
  updateTenantCategory(ws: Workspace, tenantId: string, slug: string, body: TenantCategoryBody, legacy = false): TenantCategoryWire {
    return this.write(() => {
      const c = ws.preferenceCatalog.bySlug.get(slug);
      if (legacy) {
        this.checkTenant(ws, tenantId);
        if (!c) throw categoryNotFound(slug);
      } else if (!c || !this.tenants.exists(ws, tenantId)) {
        throw tenantOrCategoryNotFound(tenantId, slug);
      }
      const b = body ?? {};
      const before = this.store.override(ws.dataKey, tenantId, slug);
      const list = (sent: string[] | null | undefined, stored: string | null) =>
        sent === undefined ? stored : sent === null ? null : JSON.stringify([...new Set(sent)]);
      const fields: TenantOverrideFields = {
        enabled_for_tenant: (b.enabled_for_tenant ?? (before?.enabled_for_tenant ?? 1) === 1) ? 1 : 0,
        visible_to_subscriber: (b.visible_to_subscriber ?? (before?.visible_to_subscriber ?? 1) === 1) ? 1 : 0,
        preference:
          b.preference === undefined ? (before?.preference ?? null) : b.preference === null || b.preference === '' ? null : b.preference,
        mandatory_channels: list(b.mandatory_channels, before?.mandatory_channels ?? null),
        opt_in_channels: list(b.opt_in_channels, before?.opt_in_channels ?? null),
        blocked_channels: list(b.blocked_channels, before?.blocked_channels ?? null),
        digest_schedule: b.digest_schedule === undefined ? (before?.digest_schedule ?? null) : jsonOrNull(b.digest_schedule),
        properties: b.properties === undefined ? (before?.properties ?? null) : jsonOrNull(b.properties),
      };
      this.store.saveOverride(ws.dataKey, tenantId, slug, fields, this.now());
      return tenantCategoryWire(c!, this.store.override(ws.dataKey, tenantId, slug));
    });
  }

  /** The deprecated list's entries. */
  listLegacy(ws: Workspace, tenantId: string, limit: number, offset: number) {
    const page = this.listTenantCategories(ws, tenantId, { includeDisabled: true, limit, offset });
    return { meta: page.meta, results: page.results.map(legacyTenantCategoryWire) };
  }

  /** `GET /v1/tenant/{id}/preference/`: the whole catalog with the tenant's overrides, by root and section. */
  tenantFull(ws: Workspace, tenantId: string) {
    return this.read(() => {
      this.checkTenant(ws, tenantId);
      const rows = this.overrideRows(ws, tenantId);
      const doc = ws.preferenceDocument;
      return {
        root_categories: (doc?.root_categories ?? []).map((root) => ({
          root_category: root.root_category,
          sections: root.sections.map((s) => ({
            name: s.name,
            slug: s.slug,
            description: s.description,
            tags: s.tags,
            categories: s.categories.map((sc) => tenantCategoryWire(ws.preferenceCatalog.bySlug.get(sc.category)!, rows.get(sc.category))),
          })),
        })),
      };
    });
  }

  // ---- relations: called inside the owner's or tenant's delete transaction ------------------------------------

  userDeleted(workspace: string, distinctId: string): void {
    this.store.deleteOwner(workspace, { objectType: '', ownerId: distinctId });
  }

  /** The primary keeps its own preferences; the secondary's go with it (userDeleted). */
  usersMerged(): void {}

  objectDeleted(workspace: string, objectType: string, objectId: string): void {
    this.store.deleteOwner(workspace, { objectType, ownerId: objectId });
  }

  tenantDeleted(workspace: string, tenantId: string): void {
    this.store.deleteTenant(workspace, tenantId);
  }
}
