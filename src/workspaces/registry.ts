import { createHash } from 'node:crypto';
import { catalogOf, type NormalizedCatalogDocument, normalizeCatalog } from '../api/preferenceCatalog.js';
import type { WorkspaceConfig } from '../config.js';
import { type Catalog, EMPTY_CATALOG } from '../engine/preferences.js';

/** A workspace as the running server knows it. */
export interface Workspace {
  name: string;
  /**
   * What the `workspace` column of its data rows holds. Starts as the name;
   * a reset switches it to a fresh key, so old rows vanish at once.
   */
  dataKey: string;
  origin: 'config' | 'runtime';
  key: string;
  secret: string;
  apiKeys: readonly string[];
  inboxSecret: string;
  /** Whether new users get an `$inbox` identity. */
  inbox: boolean;
  /** Whether a user may have profiles in many tenants (`shared`) or in one at most (`exclusive`). */
  userTenancyMode: 'shared' | 'exclusive';
  /** The notification categories as defined (null: none defined), and the engine's view of them. */
  preferenceDocument: NormalizedCatalogDocument | null;
  preferenceCatalog: Catalog;
}

/** Gives a workspace its notification categories (null: none). */
export function setPreferenceDocument(ws: Workspace, doc: NormalizedCatalogDocument | null): void {
  ws.preferenceDocument = doc;
  ws.preferenceCatalog = doc ? catalogOf(doc) : EMPTY_CATALOG;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Looks workspaces up by workspace key (public, sent in clear by the SDKs) and
 * by API key. API keys are secrets, so they are looked up by their SHA-256:
 * the time a lookup takes says nothing about how much of a guess was right.
 */
export class WorkspaceRegistry {
  private readonly byName = new Map<string, Workspace>();
  private readonly byKey = new Map<string, Workspace>();
  private readonly byApiKeyHash = new Map<string, Workspace>();

  constructor(configs: readonly WorkspaceConfig[] = []) {
    for (const c of configs) this.add(c);
  }

  add(
    c: WorkspaceConfig,
    extra: { dataKey?: string; origin?: Workspace['origin']; preferenceDocument?: NormalizedCatalogDocument | null } = {},
  ): Workspace {
    if (this.byName.has(c.name)) throw new Error(`workspace "${c.name}" exists already`);
    const clash = this.clash(c);
    if (clash) throw new Error(`workspace "${c.name}": ${clash}`);
    const ws: Workspace = {
      name: c.name,
      dataKey: extra.dataKey ?? c.name,
      origin: extra.origin ?? 'config',
      key: c.key,
      secret: c.secret,
      apiKeys: [...c.api_keys],
      inboxSecret: c.inbox_secret ?? c.secret,
      inbox: c.inbox,
      userTenancyMode: c.user_tenancy_mode ?? 'shared',
      preferenceDocument: null,
      preferenceCatalog: EMPTY_CATALOG,
    };
    setPreferenceDocument(
      ws,
      extra.preferenceDocument !== undefined
        ? extra.preferenceDocument
        : c.preference_categories
          ? normalizeCatalog(c.preference_categories)
          : null,
    );
    this.byName.set(ws.name, ws);
    this.byKey.set(ws.key, ws);
    for (const k of ws.apiKeys) this.byApiKeyHash.set(sha256(k), ws);
    return ws;
  }

  /** Which credential of `c` another workspace already uses, worded for a message naming that workspace; undefined when none. */
  clash(c: Pick<WorkspaceConfig, 'key' | 'api_keys'>): string | undefined {
    const byKey = this.byKey.get(c.key);
    if (byKey) return `its workspace key is in use by workspace "${byKey.name}"`;
    for (const k of c.api_keys) {
      const byApiKey = this.byApiKey(k);
      if (byApiKey) return `one of its API keys is in use by workspace "${byApiKey.name}"`;
    }
    return undefined;
  }

  remove(name: string): boolean {
    const ws = this.byName.get(name);
    if (!ws) return false;
    this.byName.delete(name);
    this.byKey.delete(ws.key);
    for (const k of ws.apiKeys) this.byApiKeyHash.delete(sha256(k));
    return true;
  }

  get(name: string): Workspace | undefined {
    return this.byName.get(name);
  }

  byWorkspaceKey(key: string): Workspace | undefined {
    return this.byKey.get(key);
  }

  byApiKey(apiKey: string): Workspace | undefined {
    return this.byApiKeyHash.get(sha256(apiKey));
  }

  list(): Workspace[] {
    return [...this.byName.values()];
  }
}
