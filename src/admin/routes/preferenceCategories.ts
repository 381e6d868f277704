import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type NormalizedCatalogDocument, normalizeCatalog, preferenceCatalogSchema } from '../../api/preferenceCatalog.js';
import { workspaceNameParams } from '../schemas.js';
import { errors, security, tags } from './schemaParts.js';

const catalogAnswer = z
  .object({
    channels: z.array(z.string()).describe("The workspace's channels, in output order"),
    root_categories: z.array(z.object({ root_category: z.string(), sections: z.array(z.unknown()) })),
  })
  .meta({ id: 'PreferenceCategoriesAnswer' });

/** A workspace's notification categories: the management API's document, replaced whole and read back. */
export const preferenceCategoryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { workspaces } = app.emulator;
  const url = '/_emulator/workspaces/:name/preference-categories';
  const answer = (doc: NormalizedCatalogDocument | null): NormalizedCatalogDocument => doc ?? normalizeCatalog({ root_categories: [] });

  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: "A workspace's notification categories and channels",
        description: 'The stored document: every root category, every field (null when not given). With none defined: no sections.',
        params: workspaceNameParams,
        response: { 200: catalogAnswer, ...errors },
      },
    },
    async (request) => answer(workspaces.get(request.params.name).preferenceDocument),
  );
  app.put(
    url,
    {
      schema: {
        tags,
        security,
        summary: "Replace a workspace's notification categories (SuprSend's management API document)",
        description:
          '`{"channels": [...], "root_categories": [{"root_category": "system|transactional|promotional", "sections": [{"name", "tags", ' +
          '"categories": [{"category", "name", "description", "default_preference", "default_mandatory_channels", ' +
          '"default_opt_in_channels", "tags"}]}]}]}`. Stored choices of categories no longer defined stay, unused.',
        params: workspaceNameParams,
        body: preferenceCatalogSchema,
        response: { 200: catalogAnswer, ...errors },
      },
    },
    async (request) => answer(workspaces.setPreferenceDocument(request.params.name, normalizeCatalog(request.body)).preferenceDocument),
  );
};
