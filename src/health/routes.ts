import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HealthStore } from './store.js';

/** Routes outside the SuprSend API: no credentials needed. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const health = new HealthStore(app.emulator.db);
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        summary: 'Readiness: answers once the database is open',
        tags: ['emulator'],
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => {
      health.check();
      return { status: 'ok' as const };
    },
  );

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
};
