import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../api/errors.js';
import {
  eventAnswers,
  eventBodySchema,
  MAX_BULK_BODY_BYTES,
  MAX_EVENTS_PER_BULK,
  MAX_RECORDS_PER_REQUEST,
  v2BulkAnswers,
  v2BulkBodySchema,
  v2EventAnswers,
  v2EventBodySchema,
} from './schemas.js';
import { toRecordResult } from './wire.js';

export { MAX_RECORDS_PER_REQUEST } from './schemas.js';

const tags = ['events'];

/**
 * `/event/` (identity and track records: always 202 "OK" for a valid JSON
 * body), `/v2/event/` (one track event: 202 with its message_id, or 400) and
 * `/v2/bulk/event/` (track events: 207, one result per event).
 */
export const eventsRoutes: FastifyPluginAsyncZod = async (app) => {
  const events = app.emulator.events;

  app.post(
    '/event/',
    {
      config: { maxRecords: MAX_RECORDS_PER_REQUEST },
      schema: { tags, summary: 'Ingest identity records and track events', body: eventBodySchema, response: eventAnswers },
    },
    async (request, reply) => {
      const { failed } = events.ingest(request.workspace, request.body, request.refusedRecords);
      if (failed > 0) reply.header('x-emulator-failed-records', String(failed));
      return reply.code(202).type('text/plain; charset=utf-8').send('OK');
    },
  );

  app.post(
    '/v2/event/',
    {
      // maxRecords: so that a record with JSON the emulator won't keep exactly fails (and is journaled) as a record.
      config: { maxRecords: MAX_EVENTS_PER_BULK, errorEnvelope: 'event' },
      schema: {
        tags,
        summary: 'Track one event (what the Python, Go and Java SDKs send): 202 with its message_id',
        body: v2EventBodySchema,
        response: v2EventAnswers,
      },
    },
    async (request, reply) => {
      const [outcome] = events.track(request.workspace, [request.body], request.refusedRecords);
      if (!outcome?.ok) throw new ApiError(400, outcome?.reason ?? 'the event was not stored');
      return reply.code(202).send({ status: 'success' as const, message_id: outcome.messageId });
    },
  );

  app.post(
    '/v2/bulk/event/',
    {
      bodyLimit: Math.min(app.emulator.config.bodyLimit, MAX_BULK_BODY_BYTES),
      config: {
        maxRecords: MAX_EVENTS_PER_BULK,
        errorEnvelope: 'bulk',
        bodyLimitReason: "the SDKs' 800 KB chunk of events, plus 1 KiB for the separators between them",
      },
      schema: {
        tags,
        summary: `Track up to ${MAX_EVENTS_PER_BULK} events (Python, Go and Java bulk_events): 207, one result per event`,
        body: v2BulkBodySchema,
        response: v2BulkAnswers,
      },
    },
    async (request, reply) => {
      const outcomes = events.track(request.workspace, request.body, request.refusedRecords);
      return reply.code(207).send({ status: 'success' as const, records: outcomes.map(toRecordResult) });
    },
  );
};
