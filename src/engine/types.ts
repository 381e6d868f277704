/**
 * Types of the operation engine: the pure core that turns a profile plus a
 * request (an upsert body or a list of edit operations) into a new profile.
 * Nothing here does I/O; callers supply the clock and any generated values.
 */

/** Channel keys, in the order they appear in a serialised user. */
export const CHANNELS = ['$email', '$sms', '$whatsapp', '$inbox', '$webpush', '$androidpush', '$iospush', '$slack', '$ms_teams'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels whose identities carry an `id_provider`. */
export const PROVIDER_CHANNELS = ['$androidpush', '$iospush', '$webpush', '$inbox'] as const;

/** The provider a push identity gets when none (null, "" or absent) is given. */
export const DEFAULT_PROVIDER: Record<'$androidpush' | '$iospush' | '$webpush' | '$inbox', string> = {
  $androidpush: 'fcm',
  $iospush: 'apns',
  $webpush: 'vapid',
  $inbox: 'suprsend',
};

/** Keys that sit beside a push channel inside `$append`/`$remove` and describe it. */
export const PUSH_MODIFIERS = ['$id_provider', '$pushvendor', '$bundle_id', '$device_id'] as const;

export type IdentityStatus = 'active' | 'inactive';
export type PermaStatus = 'active' | 'disabled';

/** A JSON value as stored in properties and identity values. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Identity {
  channel: Channel;
  /** A string for most channels; an object for $slack, $ms_teams and $webpush. */
  value: string | JsonObject;
  /** Canonical text of `value` (object keys sorted): identities are equal when channel and key are. */
  key: string;
  /** Only for PROVIDER_CHANNELS; null elsewhere. */
  idProvider: string | null;
  status: IdentityStatus;
  permaStatus: PermaStatus;
  /** Extra descriptors that are not part of the identity's equality, e.g. bundle_id, device_id. */
  meta: JsonObject;
  createdAt: string;
  updatedAt: string;
}

/** Everything the engine knows about one user (or object). */
export interface Profile {
  properties: JsonObject;
  /** In insertion order; at most one per (channel, key). */
  identities: Identity[];
}

export interface EngineContext {
  /** Timestamp for anything created or changed, already formatted (ISO-8601, microseconds, +00:00). */
  now: string;
}

/** A client error found by the engine; the caller turns it into a 400. */
export class EngineValidationError extends Error {
  constructor(
    message: string,
    /** Where in the request it was found, e.g. "operations[2].$append.$email". */
    readonly path: string,
  ) {
    super(message);
    this.name = 'EngineValidationError';
  }
}

export type EngineResult = { ok: true; profile: Profile } | { ok: false; error: EngineValidationError };
