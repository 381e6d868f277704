import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors } from '../api/schemas.js';

/**
 * Records per request: what the SDKs send at most (400 identity records per
 * chunk, `MAX_IDENTITY_EVENTS_IN_BULK_API`; 100 events). More is answered 413
 * before any record is parsed, validated or applied.
 */
export const MAX_RECORDS_PER_REQUEST = 400;

const recordSchema = z
  .record(z.string(), z.unknown())
  .describe(
    'An identity record `{"$schema": "2", "distinct_id", "$user_operations": [...]}`, a legacy flat record ' +
      '(`distinct_id` with top-level `$set`, `$append`, …), or a track event `{"event", "distinct_id", "properties"}`',
  );

const eventBodySchema = z
  .union([recordSchema, z.array(z.unknown()).describe(`A batch of up to ${MAX_RECORDS_PER_REQUEST} records (more is a 413)`)], {
    error: 'must be a JSON object (one record) or an array of records',
  })
  .describe('One record or an array of them');

const schema = {
  tags: ['events'],
  body: eventBodySchema,
  response: {
    202: z.literal('OK').describe('The batch is committed; records that failed are recorded with their reason'),
    ...commonErrors,
  },
};

/** `/event/` (identity and track records) and `/v2/event/` (track events). Always 202 "OK" for a valid JSON body. */
export const eventsRoutes: FastifyPluginAsyncZod = async (app) => {
  const events = app.emulator.events;
  const handler = async (
    request: { workspace: Parameters<typeof events.ingest>[0]; body: unknown; refusedRecords: ReadonlyMap<number, string> | undefined },
    reply: import('fastify').FastifyReply,
  ) => {
    const { failed } = events.ingest(request.workspace, request.body, request.refusedRecords);
    if (failed > 0) reply.header('x-emulator-failed-records', String(failed));
    return reply.code(202).type('text/plain; charset=utf-8').send('OK');
  };
  const config = { maxRecords: MAX_RECORDS_PER_REQUEST };
  app.post('/event/', { config, schema: { ...schema, summary: 'Ingest identity records and track events' } }, handler);
  app.post('/v2/event/', { config, schema: { ...schema, summary: 'Ingest track events (as the Python and Go SDKs send them)' } }, handler);
};
