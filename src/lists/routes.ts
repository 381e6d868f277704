import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageRequest } from '../api/cursor.js';
import { userNotFound } from '../users/errors.js';
import { commonErrors, cursorQuerySchema, errorSchema } from '../api/schemas.js';
import { distinctIdParams } from '../users/schemas.js';
import { checkedId } from '../users/service.js';
import { fromValidation } from './errors.js';
import {
  changeResultSchema,
  createListBodySchema,
  DEFAULT_LIST_PAGE_SIZE,
  distinctIdsBodySchema,
  listErrors,
  listErrorsWith404,
  listIdParams,
  listPageSchema,
  listSchema,
  offsetQuerySchema,
  subscribedListPageSchema,
  subscriberPageSchema,
  subscriberQuerySchema,
  successSchema,
  versionParams,
} from './schemas.js';
import { LIST_MEMBER_CURSOR, USER_LIST_CURSOR } from './service.js';

const tags = ['lists'];

/**
 * Subscriber-list routes answer errors in SuprSend's long form. Schema
 * failures are attached (not thrown by fastify) so that the preHandler below
 * can report them per field, as upstream does:
 * `{"detail": {"list_id": ["This field may not be blank."]}, …}`.
 */
const config = { errorForm: 'long' as const };
const long = { config, attachValidation: true };

const BASE = '/v1/subscriber_list/';
const LIST = `${BASE}:list_id/`;
const VERSION = `${LIST}version/:version_id/`;

/** Subscriber lists under /v1/subscriber_list/ and GET /v1/user/{id}/subscribed_to/list/. */
export const listsRoutes: FastifyPluginAsyncZod = async (app) => {
  const lists = app.emulator.lists;
  /** Draft version ids come from the app's id source (seedable); the service has its own otherwise. */

  app.addHook('preHandler', async (request) => {
    if (request.validationError) throw fromValidation(request.validationError);
  });

  // ---- lists ----------------------------------------------------------------------------------
  // ignoreTrailingSlash serves each path without its trailing slash too: the Node SDK's get_all
  // sends `GET /v1/subscriber_list?limit=20&offset=0`.

  app.post(
    BASE,
    {
      ...long,
      schema: {
        tags,
        summary: 'Create or update a list',
        description: 'An existing list_id is updated (name, description, tracking flags sent) and answered 201 too.',
        body: createListBodySchema,
        response: { 201: listSchema, ...listErrors },
      },
    },
    async (request, reply) => reply.code(201).send(lists.create(request.workspace, request.body)),
  );
  app.get(
    BASE,
    {
      ...long,
      schema: {
        tags,
        summary: 'List all lists',
        description: 'Newest first, offset paging.',
        querystring: offsetQuerySchema,
        response: { 200: listPageSchema, ...listErrors },
      },
    },
    async (request) => lists.getAll(request.workspace, request.query.limit ?? DEFAULT_LIST_PAGE_SIZE, request.query.offset ?? 0),
  );

  app.get(
    LIST,
    {
      ...long,
      schema: {
        tags,
        summary: 'Fetch a list',
        description: 'The list object with its subscribers_count; the members themselves are not included.',
        params: listIdParams,
        response: { 200: listSchema, ...listErrorsWith404 },
      },
    },
    async (request) => lists.get(request.workspace, request.params.list_id),
  );
  app.delete(
    LIST,
    {
      ...long,
      schema: {
        tags,
        summary: 'Delete a list (Python SDK ≥ 0.19.6)',
        description: 'Same as PATCH …/delete/: removes the list, its members and its drafts; answers 200 {"success": true}.',
        params: listIdParams,
        response: { 200: successSchema, ...listErrorsWith404 },
      },
    },
    async (request) => {
      lists.delete(request.workspace, request.params.list_id);
      return { success: true };
    },
  );

  app.patch(
    `${LIST}delete/`,
    {
      ...long,
      schema: {
        tags,
        summary: 'Delete a list',
        description: 'Removes the list, its members and its drafts. A body, if any, is ignored.',
        params: listIdParams,
        response: { 200: successSchema, ...listErrorsWith404 },
      },
    },
    async (request) => {
      lists.delete(request.workspace, request.params.list_id);
      return { success: true };
    },
  );

  // ---- members --------------------------------------------------------------------------------

  app.post(
    `${LIST}subscriber/add/`,
    {
      ...long,
      schema: {
        tags,
        summary: 'Add users to a list',
        description: 'affected_count is how many were not members yet. The distinct_ids need not exist as users.',
        params: listIdParams,
        body: distinctIdsBodySchema,
        response: { 201: changeResultSchema, ...listErrorsWith404 },
      },
    },
    async (request, reply) => reply.code(201).send(lists.addMembers(request.workspace, request.params.list_id, request.body.distinct_ids)),
  );

  app.post(
    `${LIST}subscriber/remove/`,
    {
      ...long,
      schema: {
        tags,
        summary: 'Remove users from a list',
        description: 'affected_count is how many were members.',
        params: listIdParams,
        body: distinctIdsBodySchema,
        response: { 201: changeResultSchema, ...listErrorsWith404 },
      },
    },
    async (request, reply) =>
      reply.code(201).send(lists.removeMembers(request.workspace, request.params.list_id, request.body.distinct_ids)),
  );

  app.get(
    `${LIST}subscriber/`,
    {
      ...long,
      schema: {
        tags,
        summary: 'List the users in a list',
        description: 'Cursor paging, newest first by default (sort=-id) or oldest first (sort=id).',
        params: listIdParams,
        querystring: subscriberQuerySchema,
        response: { 200: subscriberPageSchema, ...listErrorsWith404 },
      },
    },
    async (request) => {
      const { limit, after, before, sort } = request.query;
      const req = pageRequest(LIST_MEMBER_CURSOR, { limit: limit ?? DEFAULT_LIST_PAGE_SIZE, after, before });
      return lists.members(request.workspace, request.params.list_id, req, sort ?? '-id');
    },
  );

  // ---- draft versions (replace all members) ---------------------------------------------------

  app.post(
    `${LIST}start_sync/`,
    {
      ...long,
      schema: {
        tags,
        summary: 'Start a draft version of a list',
        description: 'Answers the list with status draft and the new version_id. A body, if any, is ignored.',
        params: listIdParams,
        response: { 201: listSchema, ...listErrorsWith404 },
      },
    },
    async (request, reply) => reply.code(201).send(lists.startSync(request.workspace, request.params.list_id)),
  );

  app.get(
    VERSION,
    {
      ...long,
      schema: {
        tags,
        summary: 'Fetch a draft version',
        description: 'The list with status draft, the version_id, and the draft’s subscribers_count.',
        params: versionParams,
        response: { 200: listSchema, ...listErrorsWith404 },
      },
    },
    async (request) => lists.getVersion(request.workspace, request.params.list_id, request.params.version_id),
  );
  app.delete(
    VERSION,
    {
      ...long,
      schema: {
        tags,
        summary: 'Discard a draft version (Python SDK ≥ 0.19.6)',
        description: 'Same as PATCH …/version/{version_id}/delete/.',
        params: versionParams,
        response: { 200: successSchema, ...listErrorsWith404 },
      },
    },
    async (request) => {
      lists.deleteVersion(request.workspace, request.params.list_id, request.params.version_id);
      return { success: true };
    },
  );

  for (const [action, summary, change] of [
    ['add', 'Add users to a draft version', lists.addToVersion],
    ['remove', 'Remove users from a draft version', lists.removeFromVersion],
  ] as const) {
    app.post(
      `${VERSION}subscriber/${action}/`,
      {
        ...long,
        schema: {
          tags,
          summary,
          params: versionParams,
          body: distinctIdsBodySchema,
          response: { 201: changeResultSchema, ...listErrorsWith404 },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(change.call(lists, request.workspace, request.params.list_id, request.params.version_id, request.body.distinct_ids)),
    );
  }

  app.patch(
    `${VERSION}finish_sync/`,
    {
      ...long,
      schema: {
        tags,
        summary: 'Publish a draft version',
        description: 'The list’s members become exactly the draft’s, then the draft is deleted. Answers the list (status active).',
        params: versionParams,
        response: { 201: listSchema, ...listErrorsWith404 },
      },
    },
    async (request, reply) => reply.code(201).send(lists.finishSync(request.workspace, request.params.list_id, request.params.version_id)),
  );

  app.patch(
    `${VERSION}delete/`,
    {
      ...long,
      schema: {
        tags,
        summary: 'Discard a draft version',
        params: versionParams,
        response: { 200: successSchema, ...listErrorsWith404 },
      },
    },
    async (request) => {
      lists.deleteVersion(request.workspace, request.params.list_id, request.params.version_id);
      return { success: true };
    },
  );

  // ---- the lists a user belongs to (user API: short error form) -------------------------------

  app.get(
    '/v1/user/:distinct_id/subscribed_to/list/',
    {
      schema: {
        tags,
        summary: 'Lists a user belongs to',
        description: 'Newest membership first, cursor paging. 404 when the user does not exist.',
        params: distinctIdParams,
        querystring: cursorQuerySchema,
        response: { 200: subscribedListPageSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const ws = request.workspace;
      const distinctId = checkedId(request.params.distinct_id);
      const req = pageRequest(USER_LIST_CURSOR, request.query);
      if (!app.emulator.users.exists(ws, distinctId)) throw userNotFound(distinctId);
      return lists.subscribedTo(ws, distinctId, req);
    },
  );
};
