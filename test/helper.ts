import { createHash } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { buildApp, type AppDeps } from '../src/app.js';
import type { AppConfig, WorkspaceConfig } from '../src/config.js';
import { requestSignature } from '../src/http/signature.js';

export const WS_A: WorkspaceConfig = {
  name: 'default',
  key: 'ws_a_key_0123456789abcdef',
  secret: 'ws_a_secret',
  api_keys: ['api_key_a'],
  inbox_secret: 'inbox_a',
  inbox: true,
};
export const WS_B: WorkspaceConfig = {
  name: 'other',
  key: 'ws_b_key_0123456789abcdef',
  secret: 'ws_b_secret',
  api_keys: ['api_key_b'],
  inbox_secret: 'inbox_b',
  inbox: true,
};

export const ADMIN_TOKEN = 'test_admin_token_0123456789';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    databasePath: ':memory:',
    logLevel: 'silent',
    workspaces: [WS_A, WS_B],
    bodyLimit: 4 * 1024 * 1024,
    durability: 'normal',
    requestTimeoutMs: 30_000,
    plusAsSpace: false,
    validateResponses: true,
    adminToken: ADMIN_TOKEN,
    seedPath: undefined,
    journalSize: 1000,
    faultHeader: false,
    deterministicSeed: undefined,
    clockStart: undefined,
    ...overrides,
  };
}

/** A fresh app on an in-memory database, closed when the test ends. */
export async function build(t: Test, overrides: Partial<AppConfig> = {}, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(overrides), deps);
  t.teardown(() => app.close());
  await app.ready();
  return app;
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

/** Sends a request signed as the SDKs sign it. A non-string body is JSON-encoded. */
export function signed(
  app: FastifyInstance,
  method: InjectOptions['method'] & string,
  url: string,
  body?: unknown,
  ws: WorkspaceConfig = WS_A,
): Promise<LightMyRequestResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return app.inject({ method, url, headers: signedHeaders(ws, method, url, payload), ...(payload === undefined ? {} : { payload }) });
}

/** Sends a request with `Authorization: Bearer <api key>`, as the REST reference shows. */
export function bearer(
  app: FastifyInstance,
  method: InjectOptions['method'] & string,
  url: string,
  body?: unknown,
  apiKey = WS_A.api_keys[0]!,
): Promise<LightMyRequestResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${apiKey}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload }),
  });
}

export const md5 = (s: string) => createHash('md5').update(s).digest('hex');
