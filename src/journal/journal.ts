import { formatTimestamp } from '../clock.js';
import { redactSecrets } from './redact.js';

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
  /** The JSON body with secret-looking fields redacted; large bodies are summarised. */
  body: unknown;
  error: string | null;
};

/** What is recorded per request: cheap to take; formatted, parsed and redacted only when queried. */
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
  error: string | null;
}

interface Stored extends Omit<JournalRecord, 'rawBody'> {
  seq: number;
  /**
   * The body as text: a small Buffer would keep alive the whole 8 KiB pool
   * slab it was cut from, for as long as the journal holds the entry.
   */
  body?: string;
  /** Size of a body too large to keep. */
  bodyBytes?: number;
  entry?: JournalEntry;
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

/** Bodies above this are summarised, which also bounds the journal's memory (JOURNAL_SIZE × this). */
const MAX_BODY_BYTES = 64 * 1024;

/** The newest `capacity` API requests, in memory (a ring buffer). */
export class RequestJournal {
  private readonly records: (Stored | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly capacity: number) {
    this.records = new Array(capacity);
  }

  add(record: JournalRecord): void {
    if (this.capacity === 0) return;
    const { rawBody, ...rest } = record;
    const stored: Stored = { ...rest, seq: ++this.seq };
    if (rawBody && rawBody.length > MAX_BODY_BYTES) stored.bodyBytes = rawBody.length;
    else if (rawBody && rawBody.length > 0) stored.body = rawBody.toString('utf8');
    this.records[this.next] = stored;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  query(f: JournalFilter): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 1; i <= this.capacity && out.length < f.limit; i++) {
      const r = this.records[(this.next - i + this.capacity) % this.capacity];
      if (!r) break;
      // No early stop on `since`: the clock can be set back, so times are not ordered.
      if (f.sinceMicros !== undefined && r.timeMicros < f.sinceMicros) continue;
      if (f.workspace !== undefined && r.workspace !== f.workspace) continue;
      if (f.status !== undefined && r.status !== f.status) continue;
      r.entry ??= materialise(r);
      const e = r.entry;
      if (f.distinct_id !== undefined && !e.distinct_ids.includes(f.distinct_id)) continue;
      if (f.path !== undefined && !pathMatches(e.path, f.path)) continue;
      out.push(e);
    }
    return out;
  }

  clear(): void {
    this.records.fill(undefined);
    this.next = 0;
  }
}

function materialise(r: Stored): JournalEntry {
  const q = r.url.indexOf('?');
  let parsed: unknown;
  let body: unknown = null;
  if (r.bodyBytes !== undefined) body = { '[omitted]': `${r.bodyBytes} bytes` };
  else if (r.body !== undefined) {
    try {
      parsed = JSON.parse(r.body);
      body = redactSecrets(parsed);
    } catch {
      body = { '[not JSON]': `${Buffer.byteLength(r.body)} bytes` };
    }
  }
  return {
    seq: r.seq,
    time: formatTimestamp(r.timeMicros),
    request_id: r.requestId,
    workspace: r.workspace,
    method: r.method,
    path: q === -1 ? r.url : r.url.slice(0, q),
    query: q === -1 ? '' : r.url.slice(q + 1),
    status: r.status,
    latency_ms: r.latencyMs,
    auth: r.auth,
    distinct_ids: distinctIdsOf(r.params, parsed),
    body,
    error: r.error,
  };
}

function pathMatches(path: string, filter: string): boolean {
  return filter.endsWith('*') ? path.startsWith(filter.slice(0, -1)) : path.includes(filter);
}

/** distinct_ids named by a request: the path parameter, a body's distinct_id(s), batch records' and subscription recipients. */
export function distinctIdsOf(params: unknown, body: unknown): string[] {
  const ids = new Set<string>();
  const p = (params as { distinct_id?: unknown } | undefined)?.distinct_id;
  if (typeof p === 'string') ids.add(p);
  const visit = (v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    if (typeof o.distinct_id === 'string') ids.add(o.distinct_id);
    if (typeof o.from_user_id === 'string') ids.add(o.from_user_id);
    if (Array.isArray(o.distinct_ids)) for (const d of o.distinct_ids) if (typeof d === 'string') ids.add(d);
    if (Array.isArray(o.recipients)) {
      for (const r of o.recipients.slice(0, 1000)) {
        if (typeof r === 'string') ids.add(r);
        else if (r !== null && typeof r === 'object' && typeof (r as { distinct_id?: unknown }).distinct_id === 'string') {
          ids.add((r as { distinct_id: string }).distinct_id);
        }
      }
    }
  };
  if (Array.isArray(body)) body.slice(0, 1000).forEach(visit);
  else visit(body);
  return [...ids];
}
