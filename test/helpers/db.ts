/** Reading the database straight, to see what an API answer cannot show. */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** What the `workspace` column of data rows holds for a workspace (its name until a reset). */
export function dataKey(app: FastifyInstance, workspace: string): string {
  return app.emulator.workspaces.get(workspace).dataKey;
}

/** The `n` a `SELECT count(*) AS n …` query answers. */
export function countRows(app: FastifyInstance, sql: string, ...params: unknown[]): number {
  return (app.emulator.db.$client.prepare(sql).get(...params) as { n: number }).n;
}

/** A digest of every table's rows (but those of the tables named in `except`): equal digests, nothing changed. */
export function databaseDigest(app: FastifyInstance, except: readonly string[] = []): string {
  const db = app.emulator.db.$client;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
  const hash = createHash('sha256');
  for (const { name } of tables) {
    if (!except.includes(name)) hash.update(name).update(JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all()));
  }
  return hash.digest('hex');
}
