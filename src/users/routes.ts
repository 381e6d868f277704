import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageRequest } from '../api/cursor.js';
import { commonErrors, cursorQuerySchema, errorSchema } from '../api/schemas.js';
import {
  bulkDeleteBodySchema,
  distinctIdParams,
  editBodySchema,
  mergeBodySchema,
  upsertBodySchema,
  userListSchema,
  userSchema,
} from './schemas.js';
import { USER_CURSOR } from './service.js';
import { TENANT_USER_CURSOR } from './tenantProfiles.js';

const tags = ['users'];

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const users = app.emulator.users;

  app.get(
    '/v1/user/',
    {
      schema: {
        tags,
        summary: 'List users',
        description:
          'Newest first, cursor paging. Results carry no channels. With `tenant_id`, the users with a profile in that tenant, ' +
          'each with its properties as seen there.',
        querystring: cursorQuerySchema.extend({ tenant_id: z.string().optional().describe('Only the users mapped to this tenant') }),
        response: { 200: userListSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { tenant_id: tenantId, ...page } = request.query;
      return tenantId === undefined
        ? users.list(request.workspace, pageRequest(USER_CURSOR, page))
        : app.emulator.userTenants.usersOf(request.workspace, tenantId, pageRequest(TENANT_USER_CURSOR, page));
    },
  );

  const url = '/v1/user/:distinct_id/';
  app.post(
    url,
    {
      schema: {
        tags,
        summary: 'Create or update a user (upsert)',
        params: distinctIdParams,
        body: upsertBodySchema,
        response: { 201: userSchema, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(users.upsert(request.workspace, request.params.distinct_id, request.body)),
  );
  app.get(
    url,
    {
      schema: {
        tags,
        summary: 'Fetch a user',
        params: distinctIdParams,
        response: { 200: userSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => users.get(request.workspace, request.params.distinct_id),
  );
  app.patch(
    url,
    {
      schema: {
        tags,
        summary: 'Edit a user with operations',
        params: distinctIdParams,
        body: editBodySchema,
        response: { 202: userSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(202).send(users.edit(request.workspace, request.params.distinct_id, request.body)),
  );
  app.delete(
    url,
    {
      schema: {
        tags,
        summary: 'Delete a user and everything attached to it',
        params: distinctIdParams,
        response: { 204: z.null().describe('No content'), 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      users.delete(request.workspace, request.params.distinct_id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/user/:distinct_id/merge/',
    {
      schema: {
        tags,
        summary: 'Merge another user into this one',
        description: "This user's values win; keys and identities only the other has are copied; the other is deleted.",
        params: distinctIdParams,
        body: mergeBodySchema,
        response: { 201: userSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(users.merge(request.workspace, request.params.distinct_id, request.body)),
  );

  app.delete(
    '/v1/bulk/user/',
    {
      schema: {
        tags,
        summary: 'Delete many users',
        description: 'A JSON body on DELETE. Unknown distinct_ids are not an error.',
        body: bulkDeleteBodySchema,
        response: { 204: z.null().describe('No content'), ...commonErrors },
      },
    },
    async (request, reply) => {
      users.bulkDelete(request.workspace, request.body.distinct_ids);
      return reply.code(204).send(null);
    },
  );
};
