import { createHmac } from 'node:crypto';

/** The `$inbox` identity SuprSend gives a new user: base64url(HMAC-SHA256(inbox secret, distinct_id)), 43 characters. */
export function inboxValue(inboxSecret: string, distinctId: string): string {
  return createHmac('sha256', inboxSecret).update(distinctId, 'utf8').digest('base64url');
}
