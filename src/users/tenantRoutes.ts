import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, errorSchema } from '../api/schemas.js';
import { distinctIdParams, editBodySchema, upsertBodySchema } from './schemas.js';
import {
  DEFAULT_USER_TENANT_PAGE_SIZE,
  tenantUserParams,
  tenantUserSchema,
  userTenantListSchema,
  userTenantQuerySchema,
} from './tenantSchemas.js';

const tags = ['users'];

/** Tenant-scoped user profiles under /v1/user/{id}/tenant/{tenant_id}/, and a user's tenants. */
export const userTenantRoutes: FastifyPluginAsyncZod = async (app) => {
  const userTenants = app.emulator.userTenants;
  const url = '/v1/user/:distinct_id/tenant/:tenant_id/';
  const responses = { 404: errorSchema, ...commonErrors };

  app.post(
    url,
    {
      schema: {
        tags,
        summary: "Create or update the user's profile in a tenant",
        description: 'Same body as the user upsert. Creates the user when missing; the global profile is not changed.',
        params: tenantUserParams,
        body: upsertBodySchema,
        response: { 201: tenantUserSchema, ...responses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(userTenants.upsert(request.workspace, request.params.distinct_id, request.params.tenant_id, request.body)),
  );
  app.get(
    url,
    {
      schema: {
        tags,
        summary: 'Fetch a user as seen in a tenant',
        params: tenantUserParams,
        response: { 200: tenantUserSchema, ...responses },
      },
    },
    async (request) => userTenants.get(request.workspace, request.params.distinct_id, request.params.tenant_id),
  );
  app.patch(
    url,
    {
      schema: {
        tags,
        summary: "Edit the user's profile in a tenant with operations",
        params: tenantUserParams,
        body: editBodySchema,
        response: { 202: tenantUserSchema, ...responses },
      },
    },
    async (request, reply) =>
      reply.code(202).send(userTenants.edit(request.workspace, request.params.distinct_id, request.params.tenant_id, request.body)),
  );
  app.delete(
    url,
    {
      schema: {
        tags,
        summary: "Unlink a user from a tenant (delete the user's profile in it)",
        params: tenantUserParams,
        response: { 204: z.null().describe('No content'), ...responses },
      },
    },
    async (request, reply) => {
      userTenants.unlink(request.workspace, request.params.distinct_id, request.params.tenant_id);
      return reply.code(204).send(null);
    },
  );

  for (const [path, summary] of [
    ['/v1/user/:distinct_id/associated_tenant/', "List a user's tenants (what the Python SDK calls)"],
    ['/v1/user/:distinct_id/tenant/', "List a user's tenants (the path SuprSend's docs name)"],
  ] as const) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary,
          description: 'Offset paging, oldest first; each result is the tenant-scoped profile alone.',
          params: distinctIdParams,
          querystring: userTenantQuerySchema,
          response: { 200: userTenantListSchema, ...responses },
        },
      },
      async (request) =>
        userTenants.tenantsOf(
          request.workspace,
          request.params.distinct_id,
          request.query.limit ?? DEFAULT_USER_TENANT_PAGE_SIZE,
          request.query.offset ?? 0,
        ),
    );
  }
};
