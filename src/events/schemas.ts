import { z } from 'zod';
import { commonErrors, errorSchema } from '../api/schemas.js';

/**
 * Records per `/event/` request: what the SDKs send at most (400 identity
 * records per chunk, `MAX_IDENTITY_EVENTS_IN_BULK_API`; 100 events). More is
 * answered 413 before any record is parsed, validated or applied.
 */
export const MAX_RECORDS_PER_REQUEST = 400;

/** Events per `/v2/bulk/event/` request: the SDKs' `MAX_EVENTS_IN_BULK_API`. */
export const MAX_EVENTS_PER_BULK = 100;

/**
 * Bytes per `/v2/bulk/event/` body: the SDKs' 800 KB chunk (800 × 1024, the
 * sum of the records' JSON sizes), plus 1 KiB for the brackets and the
 * separators between records, which the SDKs do not count.
 */
export const MAX_BULK_BODY_BYTES = 800 * 1024 + 1024;

const recordSchema = z
  .record(z.string(), z.unknown())
  .describe(
    'An identity record `{"$schema": "2", "distinct_id", "$user_operations": [...]}`, a legacy flat record ' +
      '(`distinct_id` with top-level `$set`, `$append`, …), or a track event `{"event", "distinct_id", "properties"}`',
  );

export const eventBodySchema = z
  .union([recordSchema, z.array(z.unknown()).describe(`A batch of up to ${MAX_RECORDS_PER_REQUEST} records (more is a 413)`)], {
    error: 'must be a JSON object (one record) or an array of records',
  })
  .describe('One record or an array of them');

export const eventAnswers = {
  202: z.literal('OK').describe('The batch is committed; records that failed are recorded with their reason'),
  ...commonErrors,
};

const trackEventSchema = z
  .record(z.string(), z.unknown(), { error: 'must be one track event, a JSON object; send batches to /v2/bulk/event/' })
  .describe('A track event `{"event", "distinct_id", "properties", "$insert_id", "$time", "tenant_id", "brand_id", "$idempotency_key"}`');

/** `/v2/event/`: one event (a JSON array is a 400). */
export const v2EventBodySchema = trackEventSchema;

/** `/v2/bulk/event/`: an array of events. */
export const v2BulkBodySchema = z
  .array(z.unknown(), { error: 'must be a JSON array of track events' })
  .describe(`Up to ${MAX_EVENTS_PER_BULK} track events, at most ${MAX_BULK_BODY_BYTES} bytes (more is a 413)`);

const envelopeError = z.object({ message: z.string(), type: z.string().describe('validation_error, authentication_failed, …') });

/** An error of `/v2/event/`: SuprSend's `{code, message}` plus the `{"status": "error", "error"}` the SDKs read. */
const v2ErrorSchema = errorSchema
  .extend({ status: z.literal('error'), error: envelopeError })
  .meta({ id: 'EventV2Error' })
  .describe('{code, message} plus {"status": "error", "error": {message, type}}');

/** An error of `/v2/bulk/event/`: as on `/v2/event/`, plus an empty `records` (Python reads it before the status). */
const v2BulkErrorSchema = errorSchema
  .extend({ status: z.literal('error'), error: envelopeError, records: z.array(z.never()).describe('Always empty') })
  .meta({ id: 'BulkEventV2Error' })
  .describe('{code, message} plus {"status": "error", "error": {message, type}, "records": []}');

const errorsIn = <S extends z.ZodType>(schema: S) => ({ 400: schema, 401: schema, 413: schema, 415: schema });

export const v2EventAnswers = {
  202: z
    .object({ status: z.literal('success'), message_id: z.string().describe("The event's $insert_id, or a generated id when it has none") })
    .describe('The event is stored'),
  ...errorsIn(v2ErrorSchema),
};

const recordResult = z.union([
  z.object({ status: z.literal('success'), message_id: z.string(), status_code: z.literal(202) }),
  z.object({ status: z.literal('error'), status_code: z.number().int(), error: envelopeError }),
]);

export const v2BulkAnswers = {
  207: z
    .object({ status: z.literal('success'), records: z.array(recordResult).describe('One per event, in the order sent') })
    .describe('Multi-status: each event stored or failed on its own'),
  ...errorsIn(v2BulkErrorSchema),
};
