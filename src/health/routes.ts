import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Routes outside the SuprSend API: no credentials needed. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const ping = app.emulator.db.$client.prepare('select 1');
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
      ping.get();
      return { status: 'ok' as const };
    },
  );

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
};
