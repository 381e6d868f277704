import { redactSecrets } from './redact.js';

/** One API request as the journal keeps it. */
export interface JournalEntry {
  seq: number;
  time: string;
  /** Epoch microseconds of `time`, for `since` filters. */
  timeMicros: number;
  request_id: string;
  workspace: string | null;
  method: string;
  path: string;
  query: string;
  status: number;
  latency_ms: number;
  auth: 'bearer' | 'signature' | 'failed' | 'none';
  /** distinct_ids the request named (path, body, batch records). */
  distinct_ids: string[];
  /** The JSON body with secret-looking fields redacted; large bodies are summarised. */
  body: unknown;
  error: string | null;
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

const MAX_BODY_BYTES = 64 * 1024;

/** The newest `capacity` API requests, in memory (a ring buffer). */
export class RequestJournal {
  private readonly entries: (JournalEntry | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly capacity: number) {
    this.entries = new Array(capacity);
  }

  add(entry: Omit<JournalEntry, 'seq'>): void {
    if (this.capacity === 0) return;
    this.entries[this.next] = { ...entry, seq: ++this.seq };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  query(f: JournalFilter): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 1; i <= this.capacity && out.length < f.limit; i++) {
      const e = this.entries[(this.next - i + this.capacity) % this.capacity];
      if (!e) break;
      // No early stop: the clock can be set back, so times are not ordered.
      if (f.sinceMicros !== undefined && e.timeMicros < f.sinceMicros) continue;
      if (f.workspace !== undefined && e.workspace !== f.workspace) continue;
      if (f.status !== undefined && e.status !== f.status) continue;
      if (f.distinct_id !== undefined && !e.distinct_ids.includes(f.distinct_id)) continue;
      if (f.path !== undefined && !pathMatches(e.path, f.path)) continue;
      out.push(e);
    }
    return out;
  }

  clear(): void {
    this.entries.fill(undefined);
    this.next = 0;
  }
}

function pathMatches(path: string, filter: string): boolean {
  return filter.endsWith('*') ? path.startsWith(filter.slice(0, -1)) : path.includes(filter);
}

/** The body as journalled: parsed JSON, redacted; or a note when too large or not JSON. */
export function journalBody(raw: Buffer | undefined, parsed: unknown): unknown {
  if (!raw || raw.length === 0) return null;
  if (raw.length > MAX_BODY_BYTES) return { '[omitted]': `${raw.length} bytes` };
  if (parsed === undefined) return { '[not JSON]': `${raw.length} bytes` };
  return redactSecrets(parsed);
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
