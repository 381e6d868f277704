import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageRequest } from '../api/cursor.js';
import { commonErrors, cursorQuerySchema, errorSchema } from '../api/schemas.js';
import {
  bulkDeleteBodySchema,
  objectEditBodySchema,
  objectListSchema,
  objectParams,
  objectSchema,
  objectTypeParams,
  objectUpsertBodySchema,
  subscribeBodySchema,
  subscribedToListSchema,
  subscriptionListSchema,
  subscriptionsCreatedSchema,
  unsubscribeBodySchema,
  unsubscribeQuerySchema,
  userParams,
} from './schemas.js';
import { OBJECT_CURSOR, OBJECT_SUBSCRIBED_TO_CURSOR, SUBSCRIBER_CURSOR, USER_SUBSCRIBED_TO_CURSOR } from './service.js';

const tags = ['objects'];
const noContent = z.null().describe('No content');

/** Objects under /v1/object/, their subscriptions, and GET /v1/user/{id}/subscribed_to/object/. */
export const objectsRoutes: FastifyPluginAsyncZod = async (app) => {
  const objects = app.emulator.objects;

  app.get(
    '/v1/object/:object_type/',
    {
      schema: {
        tags,
        summary: 'List objects of a type',
        description: 'Newest first, cursor paging. Results carry their channels.',
        params: objectTypeParams,
        querystring: cursorQuerySchema,
        response: { 200: objectListSchema, ...commonErrors },
      },
    },
    async (request) => objects.list(request.workspace, request.params.object_type, pageRequest(OBJECT_CURSOR, request.query)),
  );

  const url = '/v1/object/:object_type/:id/';
  app.post(
    url,
    {
      schema: {
        tags,
        summary: 'Create or update an object (upsert)',
        description: 'The same body as a user upsert. A new object gets an `$inbox` identity.',
        params: objectParams,
        body: objectUpsertBodySchema,
        response: { 201: objectSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(objects.upsert(request.workspace, request.params.object_type, request.params.id, request.body)),
  );
  app.get(
    url,
    {
      schema: {
        tags,
        summary: 'Fetch an object',
        params: objectParams,
        response: { 200: objectSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => objects.get(request.workspace, request.params.object_type, request.params.id),
  );
  app.patch(
    url,
    {
      schema: {
        tags,
        summary: 'Edit an object with operations',
        description: 'Answers 200 (a user edit answers 202).',
        params: objectParams,
        body: objectEditBodySchema,
        response: { 200: objectSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => objects.edit(request.workspace, request.params.object_type, request.params.id, request.body),
  );
  app.delete(
    url,
    {
      schema: {
        tags,
        summary: 'Delete an object',
        description: 'Its subscriptions go too, both those to it and those it has to other objects.',
        params: objectParams,
        response: { 204: noContent, 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      objects.delete(request.workspace, request.params.object_type, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/v1/bulk/object/:object_type/',
    {
      schema: {
        tags,
        summary: 'Delete many objects of a type',
        description: 'A JSON body on DELETE. Unknown ids are not an error.',
        params: objectTypeParams,
        body: bulkDeleteBodySchema,
        response: { 204: noContent, ...commonErrors },
      },
    },
    async (request, reply) => {
      objects.bulkDelete(request.workspace, request.params.object_type, request.body.object_ids);
      return reply.code(204).send(null);
    },
  );

  const subscriptionUrl = '/v1/object/:object_type/:id/subscription/';
  app.post(
    subscriptionUrl,
    {
      schema: {
        tags,
        summary: 'Subscribe users and child objects to an object',
        description:
          'Up to 100 recipients. distinct_ids create missing users; user objects are upserted; child objects must exist. ' +
          'Subscribing again replaces the properties. All or nothing.',
        params: objectParams,
        body: subscribeBodySchema,
        response: { 200: subscriptionsCreatedSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => objects.subscribe(request.workspace, request.params.object_type, request.params.id, request.body),
  );
  app.get(
    subscriptionUrl,
    {
      schema: {
        tags,
        summary: "List an object's subscribers",
        description: 'Users and child objects, newest subscription first, cursor paging.',
        params: objectParams,
        querystring: cursorQuerySchema,
        response: { 200: subscriptionListSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) =>
      objects.listSubscribers(
        request.workspace,
        request.params.object_type,
        request.params.id,
        pageRequest(SUBSCRIBER_CURSOR, request.query),
      ),
  );
  app.delete(
    subscriptionUrl,
    {
      schema: {
        tags,
        summary: 'Remove subscribers from an object',
        description: 'Recipients in a JSON body on DELETE, or as `?recipients=id1,id2` without a body. Unknown ones are ignored.',
        params: objectParams,
        querystring: unsubscribeQuerySchema,
        body: unsubscribeBodySchema,
        response: { 204: noContent, 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      objects.unsubscribe(request.workspace, request.params.object_type, request.params.id, request.body, request.query.recipients);
      return reply.code(204).send(null);
    },
  );

  const objectSubscribedTo = '/v1/object/:object_type/:id/subscribed_to/object/';
  app.get(
    objectSubscribedTo,
    {
      schema: {
        tags,
        summary: 'List the objects an object is subscribed to',
        description: 'The parent objects of this (child) object, newest subscription first, cursor paging.',
        params: objectParams,
        querystring: cursorQuerySchema,
        response: { 200: subscribedToListSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) =>
      objects.listObjectSubscribedTo(
        request.workspace,
        request.params.object_type,
        request.params.id,
        pageRequest(OBJECT_SUBSCRIBED_TO_CURSOR, request.query),
      ),
  );

  const userSubscribedTo = '/v1/user/:distinct_id/subscribed_to/object/';
  app.get(
    userSubscribedTo,
    {
      schema: {
        tags,
        summary: 'List the objects a user is subscribed to',
        description: "Newest subscription first, cursor paging. 404 says `User [distinct_id: '…'] not found` (capital U, as upstream).",
        params: userParams,
        querystring: cursorQuerySchema,
        response: { 200: subscribedToListSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) =>
      objects.listUserSubscribedTo(request.workspace, request.params.distinct_id, pageRequest(USER_SUBSCRIBED_TO_CURSOR, request.query)),
  );
};
