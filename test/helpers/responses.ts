/** Reading answers: "assert the status, parse the JSON", call/ok, and SuprSend's error shape. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import type { ErrorBody } from '../../src/api/errors.js';
import { bearer, type Method, type Send } from './requests.js';

/**
 * Parses a response after asserting its status (the body is shown when the
 * status is wrong). An empty body is null; a body that is not JSON comes back
 * as its text.
 */
export function expectJson<T = Record<string, unknown>>(t: Test, res: LightMyRequestResponse, status: number, what = ''): T {
  t.equal(
    res.statusCode,
    status,
    `${what ? `${what}: ` : ''}status ${status}${res.statusCode === status ? '' : ` (got ${res.statusCode}: ${res.body.slice(0, 400)})`}`,
  );
  if (!res.body) return null as T;
  try {
    return JSON.parse(res.body) as T;
  } catch {
    return res.body as T;
  }
}

export interface Res<T = any> {
  status: number;
  body: T;
  raw: LightMyRequestResponse;
}

/** One call (Bearer-authenticated unless `send` says otherwise); the body is parsed when there is one. */
export async function call<T = any>(
  app: FastifyInstance,
  method: string,
  url: string,
  body?: unknown,
  send: Send = bearer,
): Promise<Res<T>> {
  const raw = await send(app, method as Method, url, body);
  return { status: raw.statusCode, body: (raw.body ? JSON.parse(raw.body) : undefined) as T, raw };
}

/** A call (Bearer-authenticated unless `send` says otherwise) that must answer `status`; returns the parsed body. */
export async function ok<T = any>(
  t: Test,
  app: FastifyInstance,
  method: string,
  url: string,
  body: unknown,
  status: number,
  send: Send = bearer,
): Promise<T> {
  return expectJson<T>(t, await send(app, method as Method, url, body), status, `${method} ${url}`);
}

/** Stack-frame text that must never reach a client. */
export const STACK_PATTERNS: readonly RegExp[] = [
  /^\s*at\s+\S.*\(.*:\d+:\d+\)\s*$/m, // "    at fn (file.ts:1:2)"
  /\bat\s+(?:file:|node:|\/)\S*:\d+:\d+/, // "at node:internal/x:1:2"
  /node_modules/,
  /\.(?:ts|js|mjs|cjs):\d+:\d+/,
];

/** The first stack-frame pattern `body` matches, if any. */
export const stackFrameIn = (body: string): RegExp | undefined => STACK_PATTERNS.find((p) => p.test(body));

/** SuprSend's error body, as the server types it. */
export type { ErrorBody };

/**
 * Asserts SuprSend's error form: the given status, a JSON content type, a JSON
 * object whose integer `code` equals the status and a non-empty string
 * `message`, and no stack trace anywhere in the body. Returns the parsed body.
 */
export function expectApiError(t: Test, res: LightMyRequestResponse, status: number, what = ''): ErrorBody {
  const label = what ? `${what}: ` : '';
  t.equal(res.statusCode, status, `${label}status ${status}`);
  t.match(String(res.headers['content-type']), /^application\/json/, `${label}JSON content type`);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    t.fail(`${label}body is not JSON: ${res.body.slice(0, 200)}`);
    return { code: NaN, message: '' };
  }
  t.ok(body !== null && typeof body === 'object' && !Array.isArray(body), `${label}body is a JSON object`);
  const b = (body ?? {}) as ErrorBody;
  t.equal(b.code, status, `${label}code equals the HTTP status`);
  t.ok(Number.isInteger(b.code), `${label}code is an integer`);
  t.equal(typeof b.message, 'string', `${label}message is a string`);
  t.ok(typeof b.message === 'string' && b.message.trim().length > 0, `${label}message is not empty`);
  const frame = stackFrameIn(res.body);
  t.notOk(frame, `${label}no stack trace text in the body${frame ? ` (matched ${frame.source}: ${res.body.slice(0, 300)})` : ''}`);
  return b;
}

/** What is wrong with an error body (JSON object, integer `code` equal to the status, string `message`, no stack), or undefined. */
export function errorShapeProblem(status: number, body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `body is not JSON: ${JSON.stringify(body.slice(0, 200))}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return `body is not a JSON object: ${body.slice(0, 200)}`;
  const b = parsed as { code?: unknown; message?: unknown };
  if (!Number.isInteger(b.code) || b.code !== status)
    return `code ${JSON.stringify(b.code)} is not the status ${status}: ${body.slice(0, 200)}`;
  if (typeof b.message !== 'string' || b.message.length === 0) return `message is not a non-empty string: ${body.slice(0, 200)}`;
  const frame = stackFrameIn(body);
  if (frame) return `stack trace text in the body (${frame.source}): ${body.slice(0, 300)}`;
  return undefined;
}
