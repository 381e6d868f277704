import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { snapshotSchema } from '../snapshot.js';
import { errors, security, tags } from './schemaParts.js';

/** Export and import of whole workspaces. */
export const snapshotRoutes: FastifyPluginAsyncZod = async (app) => {
  const { snapshots, config } = app.emulator;

  app.get(
    '/_emulator/snapshot',
    {
      schema: {
        tags,
        security,
        summary: 'Export every workspace (or one) as one JSON document',
        querystring: z.object({ workspace: z.string().optional() }),
        response: { 200: snapshotSchema, ...errors },
      },
    },
    async (request) => snapshots.export(request.query.workspace),
  );
  app.post(
    '/_emulator/snapshot',
    {
      bodyLimit: Math.max(config.bodyLimit, 512 * 1024 * 1024),
      schema: {
        tags,
        security,
        summary: 'Import a snapshot: each workspace in it is replaced (and created if missing)',
        body: z.unknown().describe('A document from GET /_emulator/snapshot'),
        response: {
          200: z.object({
            imported: z.array(
              z.object({
                name: z.string(),
                users: z.number(),
                lists: z.number(),
                objects: z.number(),
                subscriptions: z.number(),
                tenants: z.number(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ imported: snapshots.import(request.body) }),
  );
};
