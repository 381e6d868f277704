import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Objects under /v1/object/, their subscriptions, and GET /v1/user/{id}/subscribed_to/object/. */
export const objectsRoutes: FastifyPluginAsyncZod = async () => {};
