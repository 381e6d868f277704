import type { Workspace, WorkspaceRegistry } from '../workspaces/registry.js';
import { unauthorized, type ApiError } from '../api/errors.js';
import { requestSignature, safeEqual, signedTargets } from './signature.js';

export interface AuthInput {
  method: string;
  /** The request target exactly as received: raw path plus raw query. */
  rawUrl: string;
  authorization: string | undefined;
  contentType: string | undefined;
  date: string | undefined;
  rawBody: Buffer | undefined;
}

/** How a request authenticated, for the logs (never the credential itself). */
export type AuthScheme = 'bearer' | 'signature';

export type AuthResult = { ok: true; workspace: Workspace; scheme: AuthScheme } | { ok: false; error: ApiError };

const NO_WORKSPACE = 'Not Authenticated - could not find Workspace details';

/**
 * Both of SuprSend's schemes: `Bearer <api key>` (the REST reference) and
 * `<workspace key>:<signature>` (every server SDK).
 */
export function authenticate(input: AuthInput, registry: WorkspaceRegistry): AuthResult {
  const header = input.authorization?.trim();
  if (!header) {
    return fail(`${NO_WORKSPACE}: no Authorization header; send "Bearer <api key>" or an SDK signature`);
  }
  if (/^bearer\s/i.test(header)) {
    const ws = registry.byApiKey(header.slice(7).trim());
    return ws ? { ok: true, workspace: ws, scheme: 'bearer' } : fail(`${NO_WORKSPACE}: unknown API key`);
  }
  // Signatures are base64 and never contain ":"; a key might, so split at the last one.
  const colon = header.lastIndexOf(':');
  if (colon <= 0) return fail(`${NO_WORKSPACE}: Authorization must be "Bearer <api key>" or "<workspace key>:<signature>"`);
  const ws = registry.byWorkspaceKey(header.slice(0, colon));
  const given = header.slice(colon + 1);
  // Compute the signature even for an unknown key, so both paths take the same time.
  const secret = ws?.secret ?? 'unknown-workspace';
  let match = false;
  for (const target of signedTargets(input.rawUrl)) {
    const expected = requestSignature(secret, {
      method: input.method,
      body: input.rawBody,
      contentType: input.contentType ?? '',
      date: input.date ?? '',
      target,
    });
    // Evaluate every candidate: no early exit that would reveal which one matched.
    match = safeEqual(expected, given) || match;
  }
  if (!ws) return fail(`${NO_WORKSPACE}: unknown workspace key`);
  if (!match) {
    return fail(
      'Not Authenticated - signature mismatch: check the workspace secret, and that the body, path, Date and Content-Type were not changed after signing',
    );
  }
  return { ok: true, workspace: ws, scheme: 'signature' };
}

function fail(message: string): AuthResult {
  return { ok: false, error: unauthorized(message) };
}
