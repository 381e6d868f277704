import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { newWorkspaceSchema, workspaceNameParams, workspaceSchema } from '../schemas.js';
import { WorkspaceControl } from '../workspaceControl.js';
import { errors, security, tags } from './schemaParts.js';

/** Listing, creating and dropping workspaces. */
export const workspaceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { workspaces, config } = app.emulator;
  const control = new WorkspaceControl(workspaces, config.adminToken);

  app.get(
    '/_emulator/workspaces',
    {
      schema: {
        tags,
        security,
        summary: 'List workspaces with their credentials',
        response: { 200: z.object({ workspaces: z.array(workspaceSchema) }), ...errors },
      },
    },
    async () => ({ workspaces: control.list() }),
  );
  app.post(
    '/_emulator/workspaces',
    {
      schema: {
        tags,
        security,
        summary: 'Create a workspace (for one test suite, or one test)',
        body: newWorkspaceSchema,
        response: { 201: workspaceSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(control.create(request.body)),
  );
  app.get(
    '/_emulator/workspaces/:name',
    { schema: { tags, security, summary: 'One workspace', params: workspaceNameParams, response: { 200: workspaceSchema, ...errors } } },
    async (request) => control.get(request.params.name),
  );
  app.delete(
    '/_emulator/workspaces/:name',
    {
      schema: {
        tags,
        security,
        summary: 'Drop a workspace created at run time, with its data',
        params: workspaceNameParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      workspaces.drop(request.params.name);
      return reply.code(204).send(null);
    },
  );
};
