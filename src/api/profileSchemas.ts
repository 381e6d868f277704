import { z } from 'zod';

/**
 * Request bodies shared by users and objects, which take the same upsert body
 * and the same operations. They describe the shapes for the OpenAPI document;
 * the operation engine does the validation that gives the precise messages.
 */

const channelInput = (what: string, owner: string) =>
  z.array(z.unknown()).optional().describe(`Array of ${what}; merged into the ${owner}'s identities`);

export function upsertBody(owner: 'user' | 'object') {
  const c = (what: string) => channelInput(what, owner);
  return z
    .looseObject({
      $email: c('email addresses'),
      $sms: c('E.164 phone numbers'),
      $whatsapp: c('E.164 phone numbers'),
      $inbox: c('inbox ids'),
      $webpush: c('PushSubscription objects ({endpoint, keys: {p256dh, auth}})'),
      $androidpush: c('FCM/Xiaomi/Oppo tokens, or {token, provider, device_id} objects'),
      $iospush: c('APNs tokens, or {token, provider, device_id} objects'),
      $slack: c('Slack objects: {email|user_id|channel, access_token} or {incoming_webhook: {url}}'),
      $ms_teams: c('Teams objects: {tenant_id, conversation_id|user_id, service_url} or {incoming_webhook: {url}}'),
      $timezone: z.string().optional().describe('IANA time zone, e.g. America/New_York'),
      $locale: z.string().optional().describe('e.g. en_GB'),
      $preferred_language: z.string().optional().describe('ISO 639-1 code, e.g. en'),
    })
    .nullish()
    .describe('Flat properties plus channel arrays. Properties overwrite; channel identities are added, never removed.');
}

const operationSchema = z
  .record(z.string(), z.unknown())
  .describe('One operation object with any of $set, $set_once, $add (or $increment), $append, $remove, $unset; applied in that order');

export const operationsBody = z
  .object({
    operations: z.array(operationSchema).nullish().describe('Applied in order, atomically: one invalid operation and nothing changes'),
  })
  .nullish();
