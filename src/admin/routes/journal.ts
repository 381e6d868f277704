import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JournalControl } from '../journalControl.js';
import { journalQuerySchema } from '../schemas.js';
import { errors, security, tags } from './schemaParts.js';

/** What the app sent: API requests, stored track events, rejected `/event/` records. */
export const journalRoutes: FastifyPluginAsyncZod = async (app) => {
  const { workspaces, journal, events } = app.emulator;
  const control = new JournalControl(workspaces, journal, events);

  app.get(
    '/_emulator/journal',
    {
      schema: {
        tags,
        security,
        summary: 'What the app sent: API requests, stored track events, rejected /event/ records; newest first',
        querystring: journalQuerySchema,
        response: { 200: z.object({ kind: z.string(), entries: z.array(z.record(z.string(), z.unknown())) }), ...errors },
      },
    },
    async (request) => control.query(request.query),
  );
  app.delete(
    '/_emulator/journal',
    {
      schema: {
        tags,
        security,
        summary: 'Clear the journal (requests, track events and rejected records)',
        response: { 204: z.null(), ...errors },
      },
    },
    async (_request, reply) => {
      control.clear();
      return reply.code(204).send(null);
    },
  );
};
