/** Channel identities as the API renders them, and the `$inbox` value it computes. */
import { createHmac } from 'node:crypto';
import { WS_A } from './workspaces.js';

/** base64url(HMAC-SHA256(inbox secret, subject)): a user's `$inbox` (subject = distinct_id), an object's (`<type>/<id>`) (decision 5). */
export function inboxOf(subject: string, inboxSecret: string = WS_A.inbox_secret ?? ''): string {
  return createHmac('sha256', inboxSecret).update(subject, 'utf8').digest('base64url');
}

/** The `$inbox` array a freshly created user or object carries (WS_A's inbox secret unless told). */
export function inboxIdentities(subject: string, inboxSecret?: string) {
  return [{ value: inboxOf(subject, inboxSecret), id_provider: 'suprsend', status: 'active', perma_status: 'active' }];
}

/** A new identity as the API renders it: active/active, plus id_provider when there is one. */
export function active<V>(value: V, idProvider?: string): { value: V; id_provider?: string; status: string; perma_status: string } {
  return idProvider === undefined
    ? { value, status: 'active', perma_status: 'active' }
    : { value, id_provider: idProvider, status: 'active', perma_status: 'active' };
}
