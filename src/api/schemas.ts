import { z } from 'zod';

/** SuprSend's error body. */
export const errorSchema = z
  .object({
    code: z.number().int().describe('HTTP status code'),
    message: z.string(),
    error_code: z.string().optional(),
    type: z.string().optional(),
    detail: z.unknown().optional(),
  })
  .meta({ id: 'Error' });

/** SuprSend's long error form, answered by the subscriber-list and tenant routes. */
export const longErrorSchema = z
  .object({
    code: z.number().int().describe('HTTP status code'),
    error_code: z.string().describe('e.g. not_found, error, authentication_failed'),
    type: z.string().describe('e.g. NotFound, ValidationError, AuthenticationFailed'),
    message: z.string(),
    detail: z.union([z.string(), z.record(z.string(), z.unknown())]).describe('The message, or field name to messages for a 400'),
  })
  .meta({ id: 'LongError' });

/** The error answers of a route that answers in the long form. */
export const longErrors = {
  400: longErrorSchema,
  401: longErrorSchema,
  413: longErrorSchema,
  415: longErrorSchema,
} as const;

/** The error answers every SuprSend API route can give. */
export const commonErrors = {
  400: errorSchema,
  401: errorSchema,
  413: errorSchema,
  415: errorSchema,
} as const;

/** A query parameter holding a whole number from `min` to `max`, with messages naming it. */
export const wholeNumberParam = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));

/** `limit`, `after`, `before` of a cursor listing; unknown query parameters are ignored. */
export const cursorQuerySchema = z.looseObject({
  limit: z
    .string()
    .regex(/^\d+$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'limit must be at least 1').max(1000, 'limit must be at most 1000'))
    .optional()
    .describe('Page size, 1 to 1000 (default 10)'),
  after: z.string().optional().describe('Cursor from meta.after: the page after it'),
  before: z.string().optional().describe('Cursor from meta.before: the page before it'),
});

export const cursorMetaSchema = z.object({
  count: z.number().int().describe('Total number of records in the listing'),
  limit: z.number().int(),
  has_prev: z.boolean(),
  before: z.string().nullable(),
  has_next: z.boolean(),
  after: z.string().nullable(),
});
