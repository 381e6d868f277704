/**
 * The one error hierarchy. Every error a client sees is an ApiError rendered
 * as SuprSend renders it: a JSON object whose integer `code` equals the HTTP
 * status, with a string `message`. The long form adds `error_code`, `type` and
 * `detail` (lists, auth, and the generic ErrorResponse upstream).
 */

/**
 * `short`: `{code, message}`; `long`: adds `error_code`, `type`, `detail`;
 * `detail`: `{code, detail, message}` with `detail` an object of field →
 * problem (the preference API's 400s).
 */
export type ErrorForm = 'short' | 'long' | 'detail';

const NAMES: Record<number, { errorCode: string; type: string }> = {
  400: { errorCode: 'error', type: 'ValidationError' },
  401: { errorCode: 'authentication_failed', type: 'AuthenticationFailed' },
  403: { errorCode: 'permission_denied', type: 'PermissionDenied' },
  404: { errorCode: 'not_found', type: 'NotFound' },
  405: { errorCode: 'method_not_allowed', type: 'MethodNotAllowed' },
  408: { errorCode: 'request_timeout', type: 'RequestTimeout' },
  413: { errorCode: 'request_too_large', type: 'RequestTooLarge' },
  414: { errorCode: 'uri_too_long', type: 'URITooLong' },
  415: { errorCode: 'unsupported_media_type', type: 'UnsupportedMediaType' },
  500: { errorCode: 'internal_error', type: 'InternalError' },
  503: { errorCode: 'service_unavailable', type: 'ServiceUnavailable' },
};

export interface ErrorBody {
  code: number;
  message: string;
  error_code?: string;
  type?: string;
  detail?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly options: { form?: ErrorForm; detail?: unknown } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(defaultForm: ErrorForm = 'short'): ErrorBody {
    const form = this.options.form ?? defaultForm;
    if (form === 'short' || (form === 'detail' && this.options.detail === undefined)) return { code: this.status, message: this.message };
    if (form === 'detail') return { code: this.status, detail: this.options.detail, message: this.message };
    const names = NAMES[this.status] ?? { errorCode: 'error', type: 'Error' };
    return {
      code: this.status,
      error_code: names.errorCode,
      type: names.type,
      message: this.message,
      detail: this.options.detail ?? this.message,
    };
  }
}

export const badRequest = (message: string, detail?: unknown) => new ApiError(400, message, { detail });

/**
 * A 400 naming fields, as the preference API words it: `detail` maps each
 * field path (`channel_preferences[0].channel`) to its problem, and `message`
 * is upstream's rendering of that map — `{"path": problem` — missing closing
 * brace included.
 */
export function fieldDetailError(problems: Record<string, string>): ApiError {
  const message = `{${Object.entries(problems)
    .map(([path, problem]) => `${JSON.stringify(path)}: ${problem}`)
    .join(', ')}`;
  return new ApiError(400, message, { form: 'detail', detail: problems });
}

/** A zod issue path as the preference API names fields: `a[0].b`. */
export function fieldPath(path: readonly PropertyKey[], root = 'body'): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out || root;
}

export const unauthorized = (message: string) => new ApiError(401, message, { form: 'long' });

/**
 * Routes whose answers SDKs parse as `{"status", "message_id" | "error"}`
 * (`/v2/event/`: `event`) or `{"status", "records"}` (`/v2/bulk/event/`:
 * `bulk`), so their error bodies carry those keys too.
 */
export type ErrorEnvelope = 'event' | 'bulk';

/** The `error.type` of an error answered in an envelope. */
function envelopeType(status: number): string {
  if (status === 400) return 'validation_error';
  return NAMES[status]?.errorCode ?? 'error';
}

/**
 * An error body in the `/v2/` envelope: the usual `{code, message, …}` plus
 * `"status": "error"` and `"error": {message, type}` (what the Go, Python and
 * Java SDKs read), and on bulk routes `"records": []` (Python reads `records`
 * before it looks at the status code).
 */
export function inEnvelope(body: ErrorBody, envelope: ErrorEnvelope): ErrorBody & Record<string, unknown> {
  return {
    ...body,
    status: 'error',
    error: { message: body.message, type: envelopeType(body.code) },
    ...(envelope === 'bulk' ? { records: [] } : {}),
  };
}
