/** Requests as clients send them: SDK-signed, with an API key, or with the admin token. */
import { createHash } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { WorkspaceConfig } from '../../src/config.js';
import { requestSignature } from '../../src/http/signature.js';
import { ADMIN_TOKEN, WS_A } from './workspaces.js';

export type Method = InjectOptions['method'] & string;

/** One request to an app; `body` is JSON-encoded unless it is a string. */
export type Send = (app: FastifyInstance, method: Method, url: string, body?: unknown) => Promise<LightMyRequestResponse>;

/** A request body as sent: undefined stays undefined, a string is sent as is, anything else as JSON. */
export function payloadOf(body: unknown): string | undefined {
  return body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
}

/** `app.inject` with a JSON body (and its content type) when there is one. */
function injectJson(
  app: FastifyInstance,
  method: Method,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<LightMyRequestResponse> {
  const payload = payloadOf(body);
  return app.inject({
    method,
    url,
    headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

/** Headers the SDKs send: Content-Type, Date and the HMAC Authorization. */
export function signedHeaders(
  ws: WorkspaceConfig,
  method: string,
  url: string,
  body: string | undefined,
  date = new Date().toUTCString(),
): Record<string, string> {
  const sig = requestSignature(ws.secret, {
    method,
    body: body === undefined ? undefined : Buffer.from(body, 'utf8'),
    contentType: CONTENT_TYPE,
    date,
    target: url,
  });
  return { 'content-type': CONTENT_TYPE, date, authorization: `${ws.key}:${sig}` };
}

/** Sends a request signed as the SDKs sign it. */
export function signed(
  app: FastifyInstance,
  method: Method,
  url: string,
  body?: unknown,
  ws: WorkspaceConfig = WS_A,
): Promise<LightMyRequestResponse> {
  const payload = payloadOf(body);
  return app.inject({ method, url, headers: signedHeaders(ws, method, url, payload), ...(payload === undefined ? {} : { payload }) });
}

/** `signed` as a given workspace, for `call` and `ok`. */
export const signedAs =
  (ws: WorkspaceConfig): Send =>
  (app, method, url, body) =>
    signed(app, method, url, body, ws);

/** Sends a request with `Authorization: Bearer <api key>` (workspace A's unless told), as the REST reference shows. */
export function bearer(
  app: FastifyInstance,
  method: Method,
  url: string,
  body?: unknown,
  apiKey = WS_A.api_keys[0]!,
): Promise<LightMyRequestResponse> {
  return injectJson(app, method, url, body, { authorization: `Bearer ${apiKey}` });
}

/** An API request with a given API key first, and extra headers. */
export function api(
  app: FastifyInstance,
  method: Method,
  url: string,
  apiKey: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return injectJson(app, method, url, body, { authorization: `Bearer ${apiKey}`, ...headers });
}

/** A control-plane request with `Authorization: Bearer <token>` (the admin token unless told; null sends none). */
export function admin(
  app: FastifyInstance,
  method: Method,
  url: string,
  body?: unknown,
  authorization: string | null = `Bearer ${ADMIN_TOKEN}`,
): Promise<LightMyRequestResponse> {
  return injectJson(app, method, url, body, authorization === null ? {} : { authorization });
}

/** A control-plane call over HTTP (`fetch`) to a listening emulator, with the admin token: the status and parsed body. */
export async function adminFetch<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export const md5 = (s: string) => createHash('md5').update(s).digest('hex');
