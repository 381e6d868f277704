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

/** The error answers every SuprSend API route can give. */
export const commonErrors = {
  400: errorSchema,
  401: errorSchema,
  413: errorSchema,
  415: errorSchema,
} as const;

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
