import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { retiredData, userCounts, workspaces } from '../db/schema.js';
import { deleteDataChunk, wipeAllData } from '../db/workspaceData.js';

export type WorkspaceRow = typeof workspaces.$inferSelect;

/**
 * Persistence of workspaces and of retired data keys. None of it runs per API
 * request (start, create, reset, drop, background deletion), so it is written
 * with the drizzle builder.
 */
export class WorkspaceStore {
  constructor(private readonly db: Db) {}

  /** Runs `fn` in one transaction that takes the write lock at once. */
  transaction(fn: () => void): void {
    this.db.$client.transaction(fn).immediate();
  }

  all(): WorkspaceRow[] {
    return this.db.select().from(workspaces).all();
  }

  insert(row: WorkspaceRow): void {
    this.db.insert(workspaces).values(row).run();
  }

  /** Inserts the row, or overwrites the stored workspace of that name. */
  upsert(row: WorkspaceRow): void {
    this.db.insert(workspaces).values(row).onConflictDoUpdate({ target: workspaces.name, set: row }).run();
  }

  setDataKey(name: string, dataKey: string): void {
    this.db.update(workspaces).set({ dataKey }).where(eq(workspaces.name, name)).run();
  }

  setPreferenceCategories(name: string, json: string | null): void {
    this.db.update(workspaces).set({ preferenceCategories: json }).where(eq(workspaces.name, name)).run();
  }

  delete(name: string): void {
    this.db.delete(workspaces).where(eq(workspaces.name, name)).run();
  }

  /** Marks a data key's rows for background deletion. */
  retire(dataKey: string, retiredAt: string): void {
    this.db.insert(retiredData).values({ dataKey, retiredAt }).onConflictDoNothing().run();
  }

  retiredKeys(): string[] {
    return this.db
      .select({ dataKey: retiredData.dataKey })
      .from(retiredData)
      .all()
      .map((r) => r.dataKey);
  }

  retiredCount(): number {
    return this.db.select({ n: count() }).from(retiredData).get()!.n;
  }

  /** Deletes up to `batch` rows of a retired data key per table; returns how many went. */
  deleteRetiredChunk(dataKey: string, batch: number): number {
    return deleteDataChunk(this.db.$client, dataKey, batch);
  }

  /** A retired data key has no rows left: forgets it and its user count. */
  forgetRetired(dataKey: string): void {
    this.db.delete(retiredData).where(eq(retiredData.dataKey, dataKey)).run();
    this.db.delete(userCounts).where(eq(userCounts.workspace, dataKey)).run();
  }

  /** Deletes the data of every workspace; the workspaces stay. */
  wipeAllData(): void {
    wipeAllData(this.db.$client);
  }
}
