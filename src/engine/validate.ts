/**
 * Validators shared by the engine and the HTTP layer. Each is pure; the
 * time-zone check caches its answers.
 */

/** Longest accepted distinct_id, in Unicode code points. */
export const MAX_DISTINCT_ID_LENGTH = 255;

/**
 * Checks a user's distinct_id: a string, not empty after trimming, at most
 * 255 characters (Unicode code points). Returns an error message, or null when valid.
 */
export function validateDistinctId(id: unknown): string | null {
  if (typeof id !== 'string') return 'distinct_id must be a string';
  if (id.trim() === '') return 'distinct_id must not be empty';
  const length = [...id].length;
  if (length > MAX_DISTINCT_ID_LENGTH) {
    return `distinct_id must be at most ${MAX_DISTINCT_ID_LENGTH} characters long (got ${length})`;
  }
  return null;
}

/**
 * Longest accepted email address, in UTF-16 code units: RFC 5321 allows 64
 * for the local part, 1 for "@" and 255 for the domain. Checked before
 * anything else looks at the text.
 */
export const MAX_EMAIL_LENGTH = 320;

const WHITESPACE = /\s/;
// Linear: one character, a fixed number of times, anchored at both ends.
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * An email address as SuprSend checks one: at most MAX_EMAIL_LENGTH long, no
 * whitespace, an "@" with something before it, and after it a "." with
 * something on both sides (what /^\S+@\S+\.\S+$/ accepts). Done with index
 * scans rather than that pattern, whose backtracking takes time quadratic or
 * worse in the length of a failing text.
 */
export function isEmail(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_EMAIL_LENGTH) return false;
  if (WHITESPACE.test(value)) return false;
  // The first "@" that has something before it, and the last "." that has something after it.
  const at = value.indexOf('@', 1);
  const dot = value.lastIndexOf('.', value.length - 2);
  return at !== -1 && dot >= at + 2;
}

/** A phone number in E.164 form: "+", a non-zero digit, then 1 to 14 more digits. */
export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

let knownTimeZones: Set<string> | null = null;
const timeZoneCache = new Map<string, boolean>();
/** The cache is cleared when it reaches this size, so junk input cannot grow it without bound. */
const TIME_ZONE_CACHE_LIMIT = 2048;

/**
 * An IANA time-zone name: one listed by Intl.supportedValuesOf('timeZone'),
 * or any other name Intl.DateTimeFormat accepts (e.g. "UTC", "Etc/GMT+5", "US/Eastern").
 */
export function isIanaTimezone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  if (knownTimeZones === null) knownTimeZones = new Set(Intl.supportedValuesOf('timeZone'));
  if (knownTimeZones.has(value)) return true;
  const cached = timeZoneCache.get(value);
  if (cached !== undefined) return cached;
  let accepted: boolean;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    accepted = true;
  } catch {
    accepted = false;
  }
  if (timeZoneCache.size >= TIME_ZONE_CACHE_LIMIT) timeZoneCache.clear();
  timeZoneCache.set(value, accepted);
  return accepted;
}

/** The 184 two-letter ISO 639-1 language codes, in lower case. */
export const ISO_639_1_CODES: ReadonlySet<string> = new Set([
  'aa',
  'ab',
  'ae',
  'af',
  'ak',
  'am',
  'an',
  'ar',
  'as',
  'av',
  'ay',
  'az',
  'ba',
  'be',
  'bg',
  'bh',
  'bi',
  'bm',
  'bn',
  'bo',
  'br',
  'bs',
  'ca',
  'ce',
  'ch',
  'co',
  'cr',
  'cs',
  'cu',
  'cv',
  'cy',
  'da',
  'de',
  'dv',
  'dz',
  'ee',
  'el',
  'en',
  'eo',
  'es',
  'et',
  'eu',
  'fa',
  'ff',
  'fi',
  'fj',
  'fo',
  'fr',
  'fy',
  'ga',
  'gd',
  'gl',
  'gn',
  'gu',
  'gv',
  'ha',
  'he',
  'hi',
  'ho',
  'hr',
  'ht',
  'hu',
  'hy',
  'hz',
  'ia',
  'id',
  'ie',
  'ig',
  'ii',
  'ik',
  'io',
  'is',
  'it',
  'iu',
  'ja',
  'jv',
  'ka',
  'kg',
  'ki',
  'kj',
  'kk',
  'kl',
  'km',
  'kn',
  'ko',
  'kr',
  'ks',
  'ku',
  'kv',
  'kw',
  'ky',
  'la',
  'lb',
  'lg',
  'li',
  'ln',
  'lo',
  'lt',
  'lu',
  'lv',
  'mg',
  'mh',
  'mi',
  'mk',
  'ml',
  'mn',
  'mr',
  'ms',
  'mt',
  'my',
  'na',
  'nb',
  'nd',
  'ne',
  'ng',
  'nl',
  'nn',
  'no',
  'nr',
  'nv',
  'ny',
  'oc',
  'oj',
  'om',
  'or',
  'os',
  'pa',
  'pi',
  'pl',
  'ps',
  'pt',
  'qu',
  'rm',
  'rn',
  'ro',
  'ru',
  'rw',
  'sa',
  'sc',
  'sd',
  'se',
  'sg',
  'si',
  'sk',
  'sl',
  'sm',
  'sn',
  'so',
  'sq',
  'sr',
  'ss',
  'st',
  'su',
  'sv',
  'sw',
  'ta',
  'te',
  'tg',
  'th',
  'ti',
  'tk',
  'tl',
  'tn',
  'to',
  'tr',
  'ts',
  'tt',
  'tw',
  'ty',
  'ug',
  'uk',
  'ur',
  'uz',
  've',
  'vi',
  'vo',
  'wa',
  'wo',
  'xh',
  'yi',
  'yo',
  'za',
  'zh',
  'zu',
]);

/** Exactly one of the lower-case two-letter ISO 639-1 codes (e.g. "en"; not "EN", not "en-US"). */
export function isIso6391(value: unknown): value is string {
  return typeof value === 'string' && ISO_639_1_CODES.has(value);
}
