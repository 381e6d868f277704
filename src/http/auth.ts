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
  /**
   * Whether a route serves `method` on a path; lets the decoded-path (Go)
   * signature be refused where it could have been made for another resource.
   */
  isServed?: (method: string, path: string) => boolean;
}

/** How a request authenticated, for the logs (never the credential itself). */
export type AuthScheme = 'bearer' | 'signature';

export type AuthResult = { ok: true; workspace: Workspace; scheme: AuthScheme } | { ok: false; error: ApiError };

/** What the Authorization header alone tells: a workspace (and, for a signature, the signature to check), or a refusal. */
export type CredentialResult =
  | { ok: true; workspace: Workspace; scheme: 'bearer' }
  | { ok: true; workspace: Workspace; scheme: 'signature'; signature: string }
  | { ok: false; error: ApiError };

const NO_WORKSPACE = 'Not Authenticated - could not find Workspace details';

/**
 * Looks up the workspace of an Authorization header, needing nothing but the
 * header: runs as soon as the headers arrive, so a request with unknown
 * credentials is refused before its body is read.
 */
export function identify(authorization: string | undefined, registry: WorkspaceRegistry): CredentialResult {
  const header = authorization?.trim();
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
  if (!ws) return fail(`${NO_WORKSPACE}: unknown workspace key`);
  return { ok: true, workspace: ws, scheme: 'signature', signature: header.slice(colon + 1) };
}

/**
 * Both of SuprSend's schemes: `Bearer <api key>` (the REST reference) and
 * `<workspace key>:<signature>` (every server SDK), the signature checked over the body.
 */
export function authenticate(input: AuthInput, registry: WorkspaceRegistry): AuthResult {
  const id = identify(input.authorization, registry);
  if (!id.ok || id.scheme === 'bearer') return id;
  const ws = id.workspace;
  let match = false;
  for (const target of signedTargets(input.rawUrl, input.isServed && ((path) => input.isServed!(input.method, path)))) {
    const expected = requestSignature(ws.secret, {
      method: input.method,
      body: input.rawBody,
      contentType: input.contentType ?? '',
      date: input.date ?? '',
      target,
    });
    // Evaluate every candidate: no early exit that would reveal which one matched.
    match = safeEqual(expected, id.signature) || match;
  }
  if (!match) {
    return fail(
      'Not Authenticated - signature mismatch: check the workspace secret, and that the body, path, Date and Content-Type were not changed after signing',
    );
  }
  return { ok: true, workspace: ws, scheme: 'signature' };
}

function fail(message: string): { ok: false; error: ApiError } {
  return { ok: false, error: unauthorized(message) };
}
