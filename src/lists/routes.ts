import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Subscriber lists under /v1/subscriber_list/ and GET /v1/user/{id}/subscribed_to/list/. */
export const listsRoutes: FastifyPluginAsyncZod = async () => {};
