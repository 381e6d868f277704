import { readFileSync } from 'node:fs';
import type { Db } from '../db/open.js';
import { ApiError, badRequest } from '../api/errors.js';
import { findInexactJson } from '../engine/jsonText.js';
import type { WorkspaceService } from '../workspaces/service.js';
import { exportSnapshot, importableSnapshotSchema, importWorkspace, type Snapshot } from './snapshot.js';

/** Export and import of whole workspaces, for the control plane and the start-up seed. */
export class SnapshotService {
  constructor(
    private readonly db: Db,
    private readonly workspaces: WorkspaceService,
  ) {}

  export(workspaceName?: string): Snapshot {
    const list = workspaceName === undefined ? this.workspaces.list() : [this.workspaces.get(workspaceName)];
    return exportSnapshot(this.db, list);
  }

  /** Replaces each listed workspace's data with the snapshot's; workspaces it names that don't exist are created. */
  import(doc: unknown): { name: string; users: number; lists: number; objects: number; subscriptions: number; tenants: number }[] {
    const parsed = importableSnapshotSchema.safeParse(doc);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'snapshot'}: ${i.message}`);
      throw badRequest(`not a valid snapshot: ${issues.join('; ')}`);
    }
    const snap = parsed.data;
    const names = snap.workspaces.map((w) => w.name);
    if (new Set(names).size !== names.length) throw badRequest('not a valid snapshot: a workspace appears twice');
    const byName = new Map(snap.workspaces.map((w) => [w.name, w]));
    try {
      this.workspaces.replaceData(names, (name, dataKey) => importWorkspace(this.db, dataKey, byName.get(name)!));
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw badRequest('not a valid snapshot: it holds the same user, list, member, object, identity, subscription or tenant twice');
      }
      throw err;
    }
    return snap.workspaces.map((w) => ({
      name: w.name,
      users: w.users.length,
      lists: w.lists.length,
      objects: w.objects.length,
      subscriptions: w.subscriptions.length,
      tenants: 'tenants' in w ? w.tenants.length : 0,
    }));
  }

  /** Imports the seed file given at start; a bad file stops the start with a message naming it. */
  seedFrom(path: string): void {
    let doc: unknown;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
      doc = JSON.parse(text);
    } catch (err) {
      throw new Error(`SEED_PATH (--seed-path): cannot read ${path}: ${(err as Error).message}`);
    }
    const inexact = findInexactJson(text, doc);
    if (inexact) throw new Error(`SEED_PATH (--seed-path): ${path}: ${inexact.error.message}`);
    try {
      this.import(doc);
    } catch (err) {
      throw new Error(`SEED_PATH (--seed-path): ${path}: ${(err as Error).message}`);
    }
  }
}
