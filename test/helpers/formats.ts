/** Formats of values the API writes. */

/** SuprSend's timestamps: ISO-8601 UTC with microseconds and `+00:00`, as `2025-04-04T21:37:36.712496+00:00` (decision 11). */
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

/** A version_id: 26 characters of Crockford base32, a ULID. */
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
