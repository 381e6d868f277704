import type { FastifyBaseLogger } from 'fastify';
import { formatTimestamp, type Clock } from '../clock.js';
import { ConfigError, type WorkspaceConfig } from '../config.js';
import type { Db } from '../db/open.js';
import { apiKeyInUse, configuredWorkspaceNotDroppable, workspaceExists, workspaceKeyInUse, workspaceNotFound } from './errors.js';
import type { IdGenerator } from '../ids.js';
import { type NormalizedCatalogDocument, normalizeCatalog } from '../api/preferenceCatalog.js';
import { setPreferenceDocument, type Workspace, type WorkspaceRegistry } from './registry.js';
import { WorkspaceStore, type WorkspaceRow } from './store.js';

/** What a tester may choose when creating a workspace; the rest is generated. */
export type NewWorkspace = Partial<WorkspaceConfig> & { name?: string };

const GC_BATCH = 500;
const GC_SLICE_MS = 8;

/**
 * Workspaces at run time: persisted so that created ones survive a restart,
 * reset by switching their data key, dropped; rows of retired data keys are
 * deleted in the background in small slices so requests are not held up.
 */
export class WorkspaceService {
  private gcTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly store: WorkspaceStore;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    readonly registry: WorkspaceRegistry,
    private readonly log: FastifyBaseLogger,
  ) {
    this.store = new WorkspaceStore(db);
  }

  private now(): string {
    return formatTimestamp(this.clock.nowMicros());
  }

  /**
   * Configured workspaces are stored (keeping their data key), runtime ones reloaded, pending deletions resumed.
   * A workspace removed from the configuration is revoked: its credentials stop working and its data is deleted.
   * A runtime workspace holding a key a configured one now uses stops the start (ConfigError naming both).
   */
  init(configs: readonly WorkspaceConfig[]): void {
    this.store.transaction(() => {
      const stored = new Map(this.store.all().map((w) => [w.name, w]));
      const configured = new Set(configs.map((c) => c.name));
      const runtime: { config: WorkspaceConfig; row: WorkspaceRow }[] = [];
      for (const w of stored.values()) {
        if (configured.has(w.name)) continue;
        if (w.origin === 'config') {
          this.store.delete(w.name);
          this.retire(w.dataKey);
          this.log.info({ workspace: w.name }, 'workspace removed from the configuration: revoked, its data is being deleted');
          continue;
        }
        const config: WorkspaceConfig = {
          name: w.name,
          key: w.key,
          secret: w.secret,
          api_keys: JSON.parse(w.apiKeys) as string[],
          inbox_secret: w.inboxSecret,
          inbox: w.inbox,
          user_tenancy_mode: w.userTenancyMode,
        };
        runtime.push({ config, row: w });
      }
      const retired = new Set(this.store.retiredKeys());
      const dataKeys = configs.map(
        // A name whose old rows still wait for deletion gets a fresh data key, so new rows are not swept with them.
        (c) => stored.get(c.name)?.dataKey ?? (retired.has(c.name) ? this.freshDataKey(c.name) : c.name),
      );
      // A configured catalog replaces the stored one; without one, the catalog set at run time stays.
      const documents = configs.map((c) => (c.preference_categories ? undefined : storedDocument(stored.get(c.name))));
      for (const [i, c] of configs.entries()) {
        this.registry.add(c, { dataKey: dataKeys[i]!, origin: 'config', ...(documents[i] ? { preferenceDocument: documents[i] } : {}) });
      }
      for (const { config } of runtime) {
        const clash = this.registry.clash(config);
        if (clash) {
          throw new ConfigError(
            `workspace "${config.name}" (created at run time) clashes with the configuration: ${clash}; ` +
              `configure other keys, or drop "${config.name}" first (DELETE /_emulator/workspaces/${config.name})`,
          );
        }
      }
      for (const [i, c] of configs.entries())
        this.store.upsert(this.row(c, dataKeys[i]!, 'config', this.registry.get(c.name)!.preferenceDocument));
      for (const { config, row } of runtime) {
        this.registry.add(config, { dataKey: row.dataKey, origin: row.origin, preferenceDocument: storedDocument(row) });
      }
    });
    this.scheduleGc();
  }

  list(): Workspace[] {
    return this.registry.list();
  }

  get(name: string): Workspace {
    const ws = this.registry.get(name);
    if (!ws) throw workspaceNotFound(name);
    return ws;
  }

  create(input: NewWorkspace): Workspace {
    const name = input.name ?? `ws_${this.ids.token(10).toLowerCase()}`;
    if (this.registry.get(name)) throw workspaceExists(name);
    const config: WorkspaceConfig = {
      name,
      key: input.key ?? `wskey_${this.ids.token(24)}`,
      secret: input.secret ?? `wssecret_${this.ids.token(32)}`,
      api_keys: input.api_keys ?? [`apikey_${this.ids.token(24)}`],
      inbox_secret: input.inbox_secret ?? `inbox_${this.ids.token(32)}`,
      inbox: input.inbox ?? true,
      user_tenancy_mode: input.user_tenancy_mode ?? 'shared',
      ...(input.preference_categories ? { preference_categories: input.preference_categories } : {}),
    };
    const byKey = this.registry.byWorkspaceKey(config.key);
    if (byKey) throw workspaceKeyInUse(name, byKey.name);
    for (const k of config.api_keys) {
      const byApiKey = this.registry.byApiKey(k);
      if (byApiKey) throw apiKeyInUse(name, byApiKey.name);
    }
    const dataKey = this.freshDataKey(name);
    const doc = config.preference_categories ? normalizeCatalog(config.preference_categories) : null;
    this.store.insert(this.row(config, dataKey, 'runtime', doc));
    return this.registry.add(config, { dataKey, origin: 'runtime', preferenceDocument: doc });
  }

  /** Replaces a workspace's notification categories (null: none). */
  setPreferenceDocument(name: string, doc: NormalizedCatalogDocument | null): Workspace {
    const ws = this.get(name);
    this.store.setPreferenceCategories(name, doc === null ? null : JSON.stringify(doc));
    setPreferenceDocument(ws, doc);
    return ws;
  }

  /** Drops a workspace created at run time, with all its data. */
  drop(name: string): void {
    const ws = this.get(name);
    if (ws.origin === 'config') {
      throw configuredWorkspaceNotDroppable(name);
    }
    this.store.transaction(() => {
      this.store.delete(name);
      this.retire(ws.dataKey);
    });
    this.registry.remove(name);
    this.scheduleGc();
  }

  /** Empties one workspace at once: it gets a new data key and the old rows are deleted in the background. */
  reset(name: string): void {
    const ws = this.get(name);
    const dataKey = this.freshDataKey(name);
    this.store.transaction(() => {
      this.store.setDataKey(name, dataKey);
      this.retire(ws.dataKey);
    });
    ws.dataKey = dataKey;
    this.scheduleGc();
  }

  /**
   * Replaces the data of the named workspaces (creating missing ones) with
   * what `fill` writes into fresh data keys, all in one transaction: on any
   * error nothing changes.
   */
  replaceData(
    names: readonly string[],
    fill: (name: string, dataKey: string) => { preferenceDocument?: NormalizedCatalogDocument | null } | undefined,
  ): void {
    const created: string[] = [];
    const switched: { ws: Workspace; dataKey: string; doc: NormalizedCatalogDocument | null | undefined }[] = [];
    try {
      this.store.transaction(() => {
        for (const name of names) {
          let ws = this.registry.get(name);
          if (!ws) {
            ws = this.create({ name });
            created.push(name);
          }
          const dataKey = this.freshDataKey(name);
          const doc = fill(name, dataKey)?.preferenceDocument;
          this.store.setDataKey(name, dataKey);
          if (doc !== undefined) this.store.setPreferenceCategories(name, doc === null ? null : JSON.stringify(doc));
          this.retire(ws.dataKey);
          switched.push({ ws, dataKey, doc });
        }
      });
    } catch (err) {
      for (const name of created) this.registry.remove(name);
      throw err;
    }
    for (const { ws, dataKey, doc } of switched) {
      ws.dataKey = dataKey;
      if (doc !== undefined) setPreferenceDocument(ws, doc);
    }
    this.scheduleGc();
  }

  /** Empties every workspace (the workspaces themselves stay). */
  resetAll(): void {
    this.store.wipeAllData();
  }

  /** Runs the background deletion to the end (tests, shutdown). */
  drainGc(): void {
    while (this.gcSlice(Number.POSITIVE_INFINITY)) {
      /* until nothing is left */
    }
  }

  pendingGc(): number {
    return this.store.retiredCount();
  }

  close(): void {
    this.closed = true;
    if (this.gcTimer) clearTimeout(this.gcTimer);
    this.gcTimer = null;
  }

  private row(c: WorkspaceConfig, dataKey: string, origin: Workspace['origin'], doc: NormalizedCatalogDocument | null): WorkspaceRow {
    return {
      name: c.name,
      key: c.key,
      secret: c.secret,
      apiKeys: JSON.stringify(c.api_keys),
      inboxSecret: c.inbox_secret ?? c.secret,
      inbox: c.inbox,
      userTenancyMode: c.user_tenancy_mode ?? 'shared',
      preferenceCategories: doc ? JSON.stringify(doc) : null,
      dataKey,
      origin,
      createdAt: this.now(),
    };
  }

  private freshDataKey(name: string): string {
    return `${name}~${this.ids.token(12)}`;
  }

  private retire(dataKey: string): void {
    this.store.retire(dataKey, this.now());
  }

  private scheduleGc(): void {
    if (this.closed || this.gcTimer) return;
    this.gcTimer = setTimeout(() => {
      this.gcTimer = null;
      try {
        if (this.gcSlice(GC_SLICE_MS)) this.scheduleGc();
      } catch (err) {
        this.log.error({ err }, 'background deletion of reset data failed');
      }
    }, 0);
    this.gcTimer.unref();
  }

  /** Deletes retired rows for up to `budgetMs`; true while work remains. */
  private gcSlice(budgetMs: number): boolean {
    const start = performance.now();
    for (const dataKey of this.store.retiredKeys()) {
      while (this.store.deleteRetiredChunk(dataKey, GC_BATCH) > 0) {
        if (performance.now() - start > budgetMs) return true;
      }
      this.store.forgetRetired(dataKey);
    }
    return false;
  }
}

/** The catalog document a stored workspace row holds. */
function storedDocument(row: WorkspaceRow | undefined): NormalizedCatalogDocument | null {
  return row?.preferenceCategories ? (JSON.parse(row.preferenceCategories) as NormalizedCatalogDocument) : null;
}
