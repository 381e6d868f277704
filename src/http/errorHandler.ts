import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ApiError, badRequest, fieldDetailError, fieldPath, inEnvelope, type ErrorEnvelope, type ErrorForm } from '../api/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Error body form for this route: lists use the long form. */
    errorForm?: ErrorForm;
    /** Error bodies also in this envelope (the `/v2/` event routes), whatever failed: auth, body, faults, records. */
    errorEnvelope?: ErrorEnvelope;
    /** Why the route's body limit is what it is, when it is not BODY_LIMIT. */
    bodyLimitReason?: string;
    /** Route served without SuprSend credentials (health, docs, 405 answers). */
    public?: boolean;
  }
}

/** Fastify's own client errors, mapped to SuprSend-shaped ones. */
function fromFastifyError(err: FastifyError, bodyLimit: number, bodyLimitReason = 'setting BODY_LIMIT'): ApiError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, `Request body too large: the limit is ${bodyLimit} bytes (${bodyLimitReason})`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'Unsupported Media Type: request bodies must be JSON sent with "Content-Type: application/json"');
    case 'FST_ERR_BAD_URL':
      return badRequest(`invalid URL: a path segment is not valid percent-encoding`);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError(414, 'URI Too Long: a path segment is longer than 2048 characters');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('Content-Length does not match the body that was sent');
    default:
      break;
  }
  const status = err.statusCode;
  if (status && status >= 400 && status < 500) return new ApiError(status, err.message);
  return undefined;
}

/** Formats zod issues as "field: problem; field: problem". */
function describeIssues(err: FastifyError & { validation?: unknown; validationContext?: string }): string {
  const issues = (err.validation ?? []) as Array<{
    instancePath?: string;
    message?: string;
    params?: { issue?: { path?: PropertyKey[]; message?: string } };
  }>;
  const parts = issues.map((i) => {
    const path = i.params?.issue?.path?.map(String).join('.') || i.instancePath?.replace(/^\//, '').replace(/\//g, '.') || '';
    const where = path || err.validationContext || 'request';
    return `${where}: ${i.params?.issue?.message ?? i.message ?? 'invalid'}`;
  });
  return parts.join('; ') || err.message;
}

/** Zod issues as a `detail` 400 (field path → problem), for routes answering in that form. */
function issuesAsDetail(err: FastifyError & { validation?: unknown; validationContext?: string }): ApiError {
  const issues = (err.validation ?? []) as Array<{ message?: string; instancePath?: string }>;
  const problems: Record<string, string> = {};
  for (const i of issues) {
    // The provider joins the issue path with "/": digit-only segments are array indexes.
    const path = (i.instancePath ?? '')
      .split('/')
      .filter((p) => p !== '')
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    problems[fieldPath(path, err.validationContext === 'querystring' ? 'query' : 'body')] ??= i.message ?? 'invalid';
  }
  return fieldDetailError(problems);
}

/** Answers any error in SuprSend's shape; client errors keep their status, anything else is a logged 500. */
export function sendError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const form = request.routeOptions?.config?.errorForm ?? 'short';
  let apiError: ApiError | undefined;
  if (err instanceof ApiError) apiError = err;
  else if (hasZodFastifySchemaValidationErrors(err)) apiError = form === 'detail' ? issuesAsDetail(err) : badRequest(describeIssues(err));
  else if (!isResponseSerializationError(err)) {
    apiError = fromFastifyError(err, request.routeOptions?.bodyLimit ?? 0, request.routeOptions?.config?.bodyLimitReason);
  }
  if (!apiError) {
    request.log.error({ err }, 'unhandled error');
    apiError = new ApiError(500, 'Internal Server Error: the emulator failed to handle this request; see its log');
  }
  request.errorMessage = apiError.message;
  return reply
    .code(apiError.status)
    .type('application/json; charset=utf-8')
    .send(errorBody(request, apiError, form));
}

/** An error's body as the request's route answers it: its form, in its envelope if it has one. */
export function errorBody(request: FastifyRequest, apiError: ApiError, form = request.routeOptions?.config?.errorForm ?? 'short'): unknown {
  const body = apiError.toBody(form);
  const envelope = request.routeOptions?.config?.errorEnvelope;
  return envelope ? inEnvelope(body, envelope) : body;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(sendError);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const body = new ApiError(404, `no such route: ${request.method} ${path}`).toBody('short');
    request.errorMessage = body.message;
    return reply.code(404).type('application/json; charset=utf-8').send(body);
  });
}
