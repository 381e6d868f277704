import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fromValidation } from '../lists/errors.js';
import {
  brandBodySchema,
  brandIdParams,
  brandPageSchema,
  brandSchema,
  DEFAULT_TENANT_PAGE_SIZE,
  tenantBodySchema,
  tenantErrors,
  tenantErrorsWith404,
  tenantIdParams,
  tenantListQuerySchema,
  tenantPageSchema,
  tenantSchema,
} from './schemas.js';
import { tenantInput } from './service.js';
import { brandToWire, tenantToWire } from './wire.js';

/**
 * Tenant and brand routes answer errors in SuprSend's long form; schema
 * failures are attached and reported per field by the preHandler below, as
 * upstream's ValidationError does (`{"detail": {"tenant_name": [...]}, …}`).
 */
const config = { errorForm: 'long' as const };
const long = { config, attachValidation: true };

const TENANTS = '/v1/tenant/';
const TENANT = `${TENANTS}:tenant_id/`;
const BRANDS = '/v1/brand/';
const BRAND = `${BRANDS}:brand_id/`;

/** /v1/tenant/ and its older alias /v1/brand/ (same tenants, brand_id and brand_name for tenant_id and tenant_name). */
export const tenantsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tenants = app.emulator.tenants;

  app.addHook('preHandler', async (request) => {
    if (request.validationError) throw fromValidation(request.validationError);
  });

  // ---- /v1/tenant/ -------------------------------------------------------------------------------

  app.get(
    TENANTS,
    {
      ...long,
      schema: {
        tags: ['tenants'],
        summary: 'List tenants',
        description: 'The default tenant first, then the others in creation order; offset paging.',
        querystring: tenantListQuerySchema,
        response: { 200: tenantPageSchema, ...tenantErrors },
      },
    },
    async (request) => {
      const page = tenants.list(request.workspace, request.query.limit ?? DEFAULT_TENANT_PAGE_SIZE, request.query.offset ?? 0);
      return { meta: page.meta, results: page.results.map(tenantToWire) };
    },
  );
  app.get(
    TENANT,
    {
      ...long,
      schema: {
        tags: ['tenants'],
        summary: 'Fetch a tenant',
        description: 'Every workspace has a `default` tenant, named after the workspace until changed.',
        params: tenantIdParams,
        response: { 200: tenantSchema, ...tenantErrorsWith404 },
      },
    },
    async (request) => tenantToWire(tenants.get(request.workspace, request.params.tenant_id)),
  );
  app.post(
    TENANT,
    {
      ...long,
      schema: {
        tags: ['tenants'],
        summary: 'Create or update a tenant',
        description:
          'Answers 201 with the whole tenant. tenant_name is required on create only; null or absent fields are left unchanged, "" clears one; properties are upserted on first-level keys.',
        params: tenantIdParams,
        body: tenantBodySchema,
        response: { 201: tenantSchema, ...tenantErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(tenantToWire(tenants.upsert(request.workspace, request.params.tenant_id, tenantInput(request.body, 'tenant')))),
  );
  app.delete(
    TENANT,
    {
      ...long,
      schema: {
        tags: ['tenants'],
        summary: 'Delete a tenant',
        description: 'Answers 204. The default tenant cannot be deleted (400).',
        params: tenantIdParams,
        response: { 204: z.null().describe('No content'), ...tenantErrorsWith404 },
      },
    },
    async (request, reply) => {
      tenants.delete(request.workspace, request.params.tenant_id);
      return reply.code(204).send(null);
    },
  );

  // ---- /v1/brand/ (the SDKs' brands API) -----------------------------------------------------------

  app.get(
    BRANDS,
    {
      ...long,
      schema: {
        tags: ['brands'],
        summary: 'List brands (tenants under their older name)',
        description: 'Same listing as GET /v1/tenant/, with brand_id and brand_name.',
        querystring: tenantListQuerySchema,
        response: { 200: brandPageSchema, ...tenantErrors },
      },
    },
    async (request) => {
      const page = tenants.list(request.workspace, request.query.limit ?? DEFAULT_TENANT_PAGE_SIZE, request.query.offset ?? 0);
      return { meta: page.meta, results: page.results.map(brandToWire) };
    },
  );
  app.get(
    BRAND,
    {
      ...long,
      schema: {
        tags: ['brands'],
        summary: 'Fetch a brand',
        description: 'The tenant of that id, with brand_id and brand_name.',
        params: brandIdParams,
        response: { 200: brandSchema, ...tenantErrorsWith404 },
      },
    },
    async (request) => brandToWire(tenants.get(request.workspace, request.params.brand_id, 'brand')),
  );
  app.post(
    BRAND,
    {
      ...long,
      schema: {
        tags: ['brands'],
        summary: 'Create or update a brand',
        description: 'As POST /v1/tenant/{tenant_id}/, with brand_name (required on create) for tenant_name.',
        params: brandIdParams,
        body: brandBodySchema,
        response: { 201: brandSchema, ...tenantErrors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(brandToWire(tenants.upsert(request.workspace, request.params.brand_id, tenantInput(request.body, 'brand'), 'brand'))),
  );
};
