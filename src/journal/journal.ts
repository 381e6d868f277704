import { formatTimestamp } from '../clock.js';
import { redactSecrets, redactSecretsInText } from './redact.js';

/** One API request as the journal answers it. */
export type JournalEntry = {
  seq: number;
  time: string;
  request_id: string;
  workspace: string | null;
  method: string;
  path: string;
  query: string;
  status: number;
  latency_ms: number;
  auth: 'bearer' | 'signature' | 'failed' | 'none';
  /** distinct_ids the request named (path, body, batch records, recipients). */
  distinct_ids: string[];
  /**
   * The JSON body with secret-looking fields redacted. When only part of it is
   * kept (`body_truncated`), the kept prefix as text (redacted too), or null
   * for a 401.
   */
  body: unknown;
  error: string | null;
  /** Present (true) when the body shown is not the whole body sent. */
  body_truncated?: true;
  /**
   * Size in bytes of the body as sent; present with `body_truncated`. For a
   * request refused before its body was read, the size its Content-Length declared.
   */
  body_bytes?: number;
  /** Present (true) when the request named more distinct_ids than an entry keeps. */
  distinct_ids_truncated?: true;
};

/** What is recorded per request, as the response hook has it. */
export interface JournalRecord {
  timeMicros: number;
  requestId: string;
  workspace: string | null;
  method: string;
  url: string;
  status: number;
  latencyMs: number;
  auth: JournalEntry['auth'];
  params: unknown;
  rawBody: Buffer | undefined;
  /** The Content-Length header, for a request refused before its body was read. */
  declaredBytes: number | undefined;
  error: string | null;
}

/**
 * An entry as held: small and flat, with its filter keys extracted when it
 * was recorded, so that a query is a scan over these and parses only the
 * bodies of the entries it answers.
 */
interface Stored {
  seq: number;
  timeMicros: number;
  requestId: string;
  workspace: string | null;
  method: string;
  url: string;
  /** Where the path ends in `url` (its length when there is no query). */
  pathEnd: number;
  status: number;
  latencyMs: number;
  auth: JournalEntry['auth'];
  error: string | null;
  distinctIds: string[];
  distinctIdsTruncated: boolean;
  /**
   * The whole body as text, or (when `truncated`) a redacted prefix of it. Text
   * rather than a Buffer: a small Buffer would keep alive the whole 8 KiB pool
   * slab it was cut from, for as long as the journal holds the entry.
   */
  body: string | undefined;
  bodyBytes: number;
  truncated: boolean;
  /** What this entry counts towards the journal's byte limit. */
  bytes: number;
}

export interface JournalFilter {
  workspace?: string;
  distinct_id?: string;
  /** Substring of the path, or a prefix when it ends with "*". */
  path?: string;
  status?: number;
  sinceMicros?: number;
  limit: number;
}

export interface JournalStats {
  entries: number;
  /** What the entries held count for (see `entryBytes`); never above `max_bytes`. */
  bytes: number;
  max_bytes: number;
}

/** Bodies up to this size are kept whole; of larger ones, only this many first bytes. */
export const BODY_PREFIX_BYTES = 16 * 1024;
/** At most this many distinct_ids, of at most this many characters in all, per entry. */
const MAX_IDS = 1000;
const MAX_ID_CHARS = 16 * 1024;
/** Error messages are cut to this many characters. */
const MAX_ERROR_CHARS = 4096;
/** Counted per entry for the object, its fields and its slot, besides its strings. */
const ENTRY_OVERHEAD = 320;
/** Counted per distinct_id besides its characters (a pointer and a string header). */
const ID_OVERHEAD = 32;

/** Bytes a string counts for: two per UTF-16 unit, an upper bound on what V8 holds for it. */
const textBytes = (s: string | null | undefined) => (s ? 2 * s.length : 0);

/**
 * The newest API requests, in memory: at most `capacity` entries and at most
 * `maxBytes` bytes of them (by `entryBytes`' count); the oldest go first.
 */
export class RequestJournal {
  /** A ring of `capacity` slots: `count` entries, the oldest at `head`. */
  private readonly records: (Stored | undefined)[];
  private head = 0;
  private count = 0;
  private bytes = 0;
  private seq = 0;

  constructor(
    readonly capacity: number,
    /**
     * Byte limit. An entry's size is bounded (a URL within Node's 16 KiB header
     * limit, a body prefix, capped distinct_ids and error message: under
     * 200 KiB by this count), so the 1 MiB minimum of JOURNAL_MAX_BYTES leaves
     * room for many of the largest.
     */
    readonly maxBytes: number,
  ) {
    this.records = new Array(capacity);
  }

  add(record: JournalRecord): void {
    if (this.capacity === 0) return;
    const stored = toStored(record, ++this.seq);
    if (stored.bytes > this.maxBytes) return; // Only with a limit below any setting's minimum.
    if (this.count === this.capacity) this.evictOldest();
    while (this.count > 0 && this.bytes + stored.bytes > this.maxBytes) this.evictOldest();
    this.records[(this.head + this.count) % this.capacity] = stored;
    this.count++;
    this.bytes += stored.bytes;
  }

  /** Newest first. */
  query(f: JournalFilter): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = this.count - 1; i >= 0 && out.length < f.limit; i--) {
      const r = this.records[(this.head + i) % this.capacity]!;
      // No early stop on `since`: the clock can be set back, so times are not ordered.
      if (f.sinceMicros !== undefined && r.timeMicros < f.sinceMicros) continue;
      if (f.workspace !== undefined && r.workspace !== f.workspace) continue;
      if (f.status !== undefined && r.status !== f.status) continue;
      if (f.distinct_id !== undefined && !r.distinctIds.includes(f.distinct_id)) continue;
      if (f.path !== undefined && !pathMatches(r.url.slice(0, r.pathEnd), f.path)) continue;
      // Not cached: a parsed body takes many times the memory of its text.
      out.push(materialise(r));
    }
    return out;
  }

  /** How much the journal holds, by its own count. */
  stats(): JournalStats {
    return { entries: this.count, bytes: this.bytes, max_bytes: this.maxBytes };
  }

  clear(): void {
    this.records.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
  }

  private evictOldest(): void {
    const r = this.records[this.head]!;
    this.records[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.bytes -= r.bytes;
  }
}

/**
 * Takes from a request only what the journal keeps: a 401's body is left out
 * (unauthenticated traffic costs the journal a few hundred bytes at most); a
 * body is kept whole up to BODY_PREFIX_BYTES, else as a redacted prefix. The
 * distinct_ids are extracted now, from the whole body of an authenticated
 * request (which its route parsed anyway).
 */
function toStored(r: JournalRecord, seq: number): Stored {
  const raw = r.rawBody;
  const bodyBytes = raw?.length ?? r.declaredBytes ?? 0;
  let body: string | undefined;
  let truncated = false;
  let parsed: unknown;
  if (r.status === 401) truncated = bodyBytes > 0;
  else if (raw && bodyBytes > 0) {
    if (bodyBytes <= BODY_PREFIX_BYTES) {
      body = raw.toString('utf8');
      if (mayNameIds(body)) parsed = parseOrUndefined(body);
    } else {
      truncated = true;
      body = redactSecretsInText(raw.toString('utf8', 0, utf8Boundary(raw, BODY_PREFIX_BYTES)));
      const whole = raw.toString('utf8');
      if (mayNameIds(whole)) parsed = parseOrUndefined(whole);
    }
  }
  const ids = distinctIdsOf(r.params, parsed);
  const q = r.url.indexOf('?');
  const stored: Stored = {
    seq,
    timeMicros: r.timeMicros,
    requestId: r.requestId,
    workspace: r.workspace,
    method: r.method,
    url: r.url,
    pathEnd: q === -1 ? r.url.length : q,
    status: r.status,
    latencyMs: r.latencyMs,
    auth: r.auth,
    error: r.error !== null && r.error.length > MAX_ERROR_CHARS ? copyOf(r.error.slice(0, MAX_ERROR_CHARS)) : r.error,
    distinctIds: ids.ids,
    distinctIdsTruncated: ids.truncated,
    body,
    bodyBytes,
    truncated,
    bytes: 0,
  };
  stored.bytes = entryBytes(stored);
  return stored;
}

/** What an entry counts for: a fixed overhead plus its strings at two bytes per character. */
function entryBytes(r: Stored): number {
  let n = ENTRY_OVERHEAD + textBytes(r.requestId) + textBytes(r.workspace) + textBytes(r.method) + textBytes(r.url);
  n += textBytes(r.error) + textBytes(r.body);
  for (const id of r.distinctIds) n += ID_OVERHEAD + textBytes(id);
  return n;
}

/**
 * Whether a body can name distinct_ids: most (a user upsert, a track event
 * without one) name none, and are then not parsed when recorded. A key spelt
 * with a \u escape counts as possibly naming one.
 */
const mayNameIds = (text: string) =>
  text.includes('distinct_id') || text.includes('from_user_id') || text.includes('recipients') || text.includes('\\u');

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The largest length ≤ `max` that does not cut a UTF-8 sequence of `buf`. */
function utf8Boundary(buf: Buffer, max: number): number {
  let n = Math.min(max, buf.length);
  // Back off continuation bytes (10xxxxxx) so the cut lands before a lead byte.
  while (n > 0 && n < buf.length && (buf[n]! & 0xc0) === 0x80) n--;
  return n;
}

/** A flat copy of a string: a slice of a long string would keep the whole of it alive. */
function copyOf(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function materialise(r: Stored): JournalEntry {
  let body: unknown = null;
  if (r.truncated) body = r.body ?? null;
  else if (r.body !== undefined) {
    const parsed = parseOrUndefined(r.body);
    body = parsed === undefined ? { '[not JSON]': `${r.bodyBytes} bytes` } : redactSecrets(parsed);
  }
  const entry: JournalEntry = {
    seq: r.seq,
    time: formatTimestamp(r.timeMicros),
    request_id: r.requestId,
    workspace: r.workspace,
    method: r.method,
    path: r.url.slice(0, r.pathEnd),
    query: r.pathEnd === r.url.length ? '' : r.url.slice(r.pathEnd + 1),
    status: r.status,
    latency_ms: r.latencyMs,
    auth: r.auth,
    distinct_ids: r.distinctIds,
    body,
    error: r.error,
  };
  if (r.truncated) {
    entry.body_truncated = true;
    entry.body_bytes = r.bodyBytes;
  }
  if (r.distinctIdsTruncated) entry.distinct_ids_truncated = true;
  return entry;
}

function pathMatches(path: string, filter: string): boolean {
  return filter.endsWith('*') ? path.startsWith(filter.slice(0, -1)) : path.includes(filter);
}

/**
 * distinct_ids named by a request: the path parameter, a body's distinct_id(s),
 * batch records' and subscription recipients; at most MAX_IDS of them, of
 * MAX_ID_CHARS characters in all, from at most MAX_IDS records or recipients
 * (`truncated` says when some were left out).
 */
export function distinctIdsOf(params: unknown, body: unknown): { ids: string[]; truncated: boolean } {
  const fromPath = (params as { distinct_id?: unknown } | undefined)?.distinct_id;
  if (body === undefined && (typeof fromPath !== 'string' || fromPath.length <= MAX_ID_CHARS)) {
    return { ids: typeof fromPath === 'string' ? [fromPath] : [], truncated: false }; // The common case, without a Set.
  }
  const ids = new Set<string>();
  let chars = 0;
  let truncated = false;
  const add = (id: unknown) => {
    if (typeof id !== 'string' || ids.has(id)) return;
    if (ids.size >= MAX_IDS || chars + id.length > MAX_ID_CHARS) truncated = true;
    else {
      ids.add(id);
      chars += id.length;
    }
  };
  /** Calls `f` on the first MAX_IDS items, stopping early once ids are left out. */
  const each = (items: unknown[], f: (item: unknown) => void) => {
    for (let i = 0; i < items.length && !truncated; i++) {
      if (i === MAX_IDS) truncated = true;
      else f(items[i]);
    }
  };
  add(fromPath);
  const visit = (v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    add(o.distinct_id);
    add(o.from_user_id);
    if (Array.isArray(o.distinct_ids)) each(o.distinct_ids, add);
    if (Array.isArray(o.recipients)) {
      each(o.recipients, (r) => add(r !== null && typeof r === 'object' ? (r as { distinct_id?: unknown }).distinct_id : r));
    }
  };
  if (Array.isArray(body)) each(body, visit);
  else visit(body);
  return { ids: [...ids], truncated };
}
