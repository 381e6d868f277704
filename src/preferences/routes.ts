import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { objectParams } from '../objects/schemas.js';
import { tenantIdParams } from '../tenants/schemas.js';
import { distinctIdParams } from '../users/schemas.js';
import {
  bulkUpdateBodySchema,
  categoryBodySchema,
  categoryEntrySchema,
  categoryPageSchema,
  categoryParam,
  channelPreferencesBodySchema,
  channelPreferencesSchema,
  DEFAULT_CATEGORY_PAGE_SIZE,
  fullPreferenceBodySchema,
  fullPreferenceSchema,
  legacyTenantCategoryBodySchema,
  legacyTenantCategoryPageSchema,
  legacyTenantCategorySchema,
  preferenceErrors,
  preferenceListQuerySchema,
  preferenceQuerySchema,
  resetBodySchema,
  successSchema,
  tenantCategoryBodySchema,
  tenantCategoryListQuerySchema,
  tenantCategoryPageSchema,
  tenantCategorySchema,
  tenantFullPreferenceSchema,
  tenantQuerySchema,
} from './schemas.js';
import type { Owner, ReadOptions } from './service.js';
import { legacyTenantCategoryWire } from './wire.js';

const config = { errorForm: 'detail' as const };
const responses = preferenceErrors;

const readOptions = (q: {
  tenant_id?: string | undefined;
  show_opt_out_channels?: boolean | undefined;
  tags?: string | undefined;
}): ReadOptions => ({
  tenantId: q.tenant_id,
  showOptOutChannels: q.show_opt_out_channels,
  tags: q.tags,
});

/**
 * The preference API: users' and objects' preferences (the same routes under
 * `/v1/user/{id}/` and `/v1/object/{type}/{id}/`), bulk updates and resets of
 * users' preferences, and tenants' preference categories.
 */
export const preferencesRoutes: FastifyPluginAsyncZod = async (app) => {
  const prefs = app.emulator.preferences;

  const owners = [
    {
      prefix: '/v1/user/:distinct_id/preference/',
      tags: ['user preferences'],
      params: distinctIdParams,
      owner: (p: Record<string, string>): Owner => ({ kind: 'user', distinctId: p.distinct_id! }),
      who: 'user',
    },
    {
      prefix: '/v1/object/:object_type/:id/preference/',
      tags: ['object preferences'],
      params: objectParams,
      owner: (p: Record<string, string>): Owner => ({ kind: 'object', objectType: p.object_type!, objectId: p.id! }),
      who: 'object',
    },
  ] as const;

  for (const o of owners) {
    const tags = [...o.tags];
    const params = o.params;
    const withCategory = o.params.extend(categoryParam.shape);

    app.get(
      o.prefix,
      {
        config,
        schema: {
          tags,
          summary: `The ${o.who}'s full preference: sections of categories, and channel preferences`,
          params,
          querystring: preferenceQuerySchema,
          response: { 200: fullPreferenceSchema, ...responses },
        },
      },
      async (request) => prefs.getFull(request.workspace, o.owner(request.params as Record<string, string>), readOptions(request.query)),
    );
    app.patch(
      o.prefix,
      {
        config,
        schema: {
          tags,
          summary: `Update the ${o.who}'s channel preferences and categories at once`,
          description: 'Listed channels are merged; each listed category replaces its stored choice. Answers the full preference.',
          params,
          querystring: preferenceQuerySchema,
          body: fullPreferenceBodySchema,
          response: { 200: fullPreferenceSchema, ...responses },
        },
      },
      async (request) =>
        prefs.updateFull(request.workspace, o.owner(request.params as Record<string, string>), request.query.tenant_id, request.body),
    );
    app.get(
      `${o.prefix}channel_preference/`,
      {
        config,
        schema: {
          tags,
          summary: `The ${o.who}'s channel preferences (is_restricted per channel)`,
          params,
          querystring: tenantQuerySchema,
          response: { 200: channelPreferencesSchema, ...responses },
        },
      },
      async (request) => prefs.getChannels(request.workspace, o.owner(request.params as Record<string, string>), request.query.tenant_id),
    );
    app.patch(
      `${o.prefix}channel_preference/`,
      {
        config,
        schema: {
          tags,
          summary: `Update the ${o.who}'s channel preferences (only the listed channels change)`,
          params,
          querystring: tenantQuerySchema,
          body: channelPreferencesBodySchema,
          response: { 202: channelPreferencesSchema, ...responses },
        },
      },
      async (request, reply) =>
        reply
          .code(202)
          .send(
            prefs.updateChannels(
              request.workspace,
              o.owner(request.params as Record<string, string>),
              request.query.tenant_id,
              request.body,
            ),
          ),
    );
    app.get(
      `${o.prefix}category/`,
      {
        config,
        schema: {
          tags,
          summary: `The ${o.who}'s categories, a flat offset-paged list`,
          params,
          querystring: preferenceListQuerySchema,
          response: { 200: categoryPageSchema, ...responses },
        },
      },
      async (request) =>
        prefs.listCategories(
          request.workspace,
          o.owner(request.params as Record<string, string>),
          readOptions(request.query),
          request.query.limit ?? DEFAULT_CATEGORY_PAGE_SIZE,
          request.query.offset ?? 0,
        ),
    );
    app.get(
      `${o.prefix}category/:category/`,
      {
        config,
        schema: {
          tags,
          summary: `The ${o.who}'s preference in one category`,
          params: withCategory,
          querystring: preferenceQuerySchema,
          response: { 200: categoryEntrySchema, ...responses },
        },
      },
      async (request) => {
        const p = request.params as Record<string, string>;
        return prefs.getCategory(request.workspace, o.owner(p), p.category!, readOptions(request.query));
      },
    );
    app.patch(
      `${o.prefix}category/:category/`,
      {
        config,
        schema: {
          tags,
          summary: `Set the ${o.who}'s preference in one category (replaces the stored choice)`,
          params: withCategory,
          querystring: preferenceQuerySchema,
          body: categoryBodySchema,
          response: { 202: categoryEntrySchema, ...responses },
        },
      },
      async (request, reply) => {
        const p = request.params as Record<string, string>;
        return reply
          .code(202)
          .send(prefs.updateCategory(request.workspace, o.owner(p), p.category!, readOptions(request.query), request.body));
      },
    );
  }

  const bulkTags = ['user preferences'];
  app.patch(
    '/v1/bulk/user/preference/',
    {
      config,
      schema: {
        tags: bulkTags,
        summary: "Update many users' preferences at once",
        description: 'Users that do not exist are skipped. Every category named must be in the catalog (else 404, nothing changes).',
        querystring: tenantQuerySchema,
        body: bulkUpdateBodySchema,
        response: { 202: successSchema, ...responses },
      },
    },
    async (request, reply) => reply.code(202).send(prefs.bulkUpdate(request.workspace, request.query.tenant_id, request.body)),
  );
  app.patch(
    '/v1/bulk/user/preference/reset/',
    {
      config,
      schema: {
        tags: bulkTags,
        summary: "Reset users' preferences to the defaults",
        querystring: tenantQuerySchema,
        body: resetBodySchema,
        response: { 202: successSchema, ...responses },
      },
    },
    async (request, reply) => reply.code(202).send(prefs.reset(request.workspace, request.query.tenant_id, request.body)),
  );

  const tenantTags = ['tenant preferences'];
  const tenantCategoryParams = tenantIdParams.extend(categoryParam.shape);
  app.get(
    '/v1/tenant/:tenant_id/preference/',
    {
      config,
      schema: {
        tags: tenantTags,
        summary: "The catalog with the tenant's overrides, by root category and section",
        params: tenantIdParams,
        response: { 200: tenantFullPreferenceSchema, ...responses },
      },
    },
    async (request) => prefs.tenantFull(request.workspace, request.params.tenant_id),
  );
  app.get(
    '/v1/tenant/:tenant_id/preference/category/',
    {
      config,
      schema: {
        tags: tenantTags,
        summary: "The tenant's preference categories (offset paging)",
        params: tenantIdParams,
        querystring: tenantCategoryListQuerySchema,
        response: { 200: tenantCategoryPageSchema, ...responses },
      },
    },
    async (request) =>
      prefs.listTenantCategories(request.workspace, request.params.tenant_id, {
        tags: request.query.tags,
        includeDisabled: request.query.include_disabled,
        limit: request.query.limit ?? DEFAULT_CATEGORY_PAGE_SIZE,
        offset: request.query.offset ?? 0,
      }),
  );
  app.get(
    '/v1/tenant/:tenant_id/preference/category/:category/',
    {
      config,
      schema: {
        tags: tenantTags,
        summary: "One category with the tenant's override",
        params: tenantCategoryParams,
        response: { 200: tenantCategorySchema, ...responses },
      },
    },
    async (request) => prefs.getTenantCategory(request.workspace, request.params.tenant_id, request.params.category),
  );
  app.patch(
    '/v1/tenant/:tenant_id/preference/category/:category/',
    {
      config,
      schema: {
        tags: tenantTags,
        summary: "Change the tenant's override of a category",
        params: tenantCategoryParams,
        body: tenantCategoryBodySchema,
        response: { 200: tenantCategorySchema, ...responses },
      },
    },
    async (request) => prefs.updateTenantCategory(request.workspace, request.params.tenant_id, request.params.category, request.body),
  );
  app.get(
    '/v1/tenant/:tenant_id/category/',
    {
      config,
      schema: {
        tags: tenantTags,
        summary: "The tenant's categories (deprecated path, still called by the Go SDK)",
        params: tenantIdParams,
        querystring: tenantCategoryListQuerySchema,
        response: { 200: legacyTenantCategoryPageSchema, ...responses },
      },
    },
    async (request) =>
      prefs.listLegacy(
        request.workspace,
        request.params.tenant_id,
        request.query.limit ?? DEFAULT_CATEGORY_PAGE_SIZE,
        request.query.offset ?? 0,
      ),
  );
  app.patch(
    '/v1/tenant/:tenant_id/category/:category/',
    {
      config,
      schema: {
        tags: tenantTags,
        summary: "Change the tenant's default of a category (deprecated path, still called by the Go SDK)",
        params: tenantCategoryParams,
        body: legacyTenantCategoryBodySchema,
        response: { 202: legacyTenantCategorySchema, ...responses },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          legacyTenantCategoryWire(
            prefs.updateTenantCategory(request.workspace, request.params.tenant_id, request.params.category, request.body, true),
          ),
        ),
  );
};
