import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { workspaceNameParams } from '../schemas.js';
import { errors, security, tags } from './schemaParts.js';

/** Emptying one workspace or all of them. */
export const resetRoutes: FastifyPluginAsyncZod = async (app) => {
  const { workspaces, journal, faults, clock } = app.emulator;

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
    {
      schema: {
        tags,
        security,
        summary: 'Back to a fresh start: every workspace emptied, journal and fault rules cleared, clock on real time (workspaces stay)',
        response: { 204: z.null(), ...errors },
      },
    },
    async (_request, reply) => {
      workspaces.resetAll();
      journal.clear();
      faults.clear();
      clock.real();
      return reply.code(204).send(null);
    },
  );
};
