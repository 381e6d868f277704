/** Requests the official SDKs really sent, recorded by scripts/sdk-capture/record.ts, and their replay. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface CapturedRequest {
  /** The SDK method the driver was calling when the request came (its `/_capture/step` label). */
  step: string;
  method: string;
  /** The request target exactly as sent (the SDK's own path encoding). */
  url: string;
  headers: Record<string, string>;
  /** The body bytes as UTF-8 text, or null when there was none. */
  body: string | null;
  /** What the emulator answered when it was recorded. */
  status: number;
}

export interface Capture {
  /** The driver that produced it (under scripts/sdk-capture/), with its arguments. */
  driver: string;
  requests: CapturedRequest[];
}

/** A capture from test/fixtures/sdk-requests/. */
export function loadCapture(name: string): Capture {
  return JSON.parse(readFileSync(new URL(`../fixtures/sdk-requests/${name}.json`, import.meta.url), 'utf8')) as Capture;
}

/** The captured requests of one step, in the order they were sent. */
export function stepRequests(capture: Capture, step: string): CapturedRequest[] {
  const found = capture.requests.filter((r) => r.step === step);
  if (found.length === 0) throw new Error(`no captured request for step "${step}"`);
  return found;
}

/** Sends a captured request again, byte for byte: same method, target, headers (signature included) and body. */
export function replay(app: FastifyInstance, request: CapturedRequest): Promise<LightMyRequestResponse> {
  return app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    ...(request.body === null ? {} : { payload: Buffer.from(request.body, 'utf8') }),
  });
}
