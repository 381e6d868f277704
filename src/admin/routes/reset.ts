import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { workspaceNameParams } from '../schemas.js';
import { errors, security, tags } from './schemaParts.js';

/** Emptying one workspace or all of them. */
export const resetRoutes: FastifyPluginAsyncZod = async (app) => {
  const { workspaces, journal } = app.emulator;

  app.post(
    '/_emulator/workspaces/:name/reset',
    {
      schema: {
        tags,
        security,
        summary: "Delete one workspace's data (instant at any size)",
        params: workspaceNameParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      workspaces.reset(request.params.name);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/_emulator/reset',
    { schema: { tags, security, summary: 'Delete the data of every workspace (workspaces stay)', response: { 204: z.null(), ...errors } } },
    async (_request, reply) => {
      workspaces.resetAll();
      journal.clear();
      return reply.code(204).send(null);
    },
  );
};
