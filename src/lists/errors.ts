import { ApiError } from '../api/errors.js';

/**
 * Errors of the subscriber-list API, in SuprSend's long form
 * (`{code, error_code, type, message, detail}`).
 */

export const listNotFound = (listId: string) => new ApiError(404, `list_id: ${listId} not found`, { form: 'long' });

export const versionNotFound = (listId: string, versionId: string) =>
  new ApiError(404, `version_id ${versionId} not found for list_id ${listId}`, { form: 'long' });

/** Field name to its messages, as Django REST framework reports validation errors. */
export type FieldErrors = Record<string, string[]>;

/** JSON text as Python's json.dumps writes it (`", "` and `": "` separators), the upstream message format. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A 400 whose `detail` maps each field to its messages and whose `message`
 * is that detail as JSON, as upstream answers
 * `{"list_id": ["This field may not be blank."]}`.
 */
export function fieldErrors(detail: FieldErrors): ApiError {
  return new ApiError(400, pythonJson(detail), { form: 'long', detail });
}

/** What fastify attaches as `request.validationError` for a zod schema. */
interface AttachedValidationError {
  validation?: Array<{ instancePath?: string; message?: string }>;
  validationContext?: string;
  message: string;
}

/**
 * Turns a schema validation failure into field errors: the first path
 * segment names the field (`non_field_errors` for the whole body), deeper
 * segments prefix the message (`[3]: …` for the fourth array item).
 */
export function fromValidation(err: AttachedValidationError): ApiError {
  const detail: FieldErrors = {};
  for (const issue of err.validation ?? []) {
    const [field, ...rest] = (issue.instancePath ?? '').split('/').filter((s) => s !== '');
    const key = field ?? 'non_field_errors';
    const where = rest.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');
    const message = issue.message ?? 'Invalid value.';
    detail[key] ??= [];
    detail[key].push(where ? `${where.replace(/^\./, '')}: ${message}` : message);
  }
  if (Object.keys(detail).length === 0) detail.non_field_errors = [err.message];
  return fieldErrors(detail);
}
