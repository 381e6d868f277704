/** Reading the database straight, to see what an API answer cannot show. */
import type { FastifyInstance } from 'fastify';

/** What the `workspace` column of data rows holds for a workspace (its name until a reset). */
export function dataKey(app: FastifyInstance, workspace: string): string {
  return app.emulator.workspaces.get(workspace).dataKey;
}

/** The `n` a `SELECT count(*) AS n …` query answers. */
export function countRows(app: FastifyInstance, sql: string, ...params: unknown[]): number {
  return (app.emulator.db.$client.prepare(sql).get(...params) as { n: number }).n;
}
