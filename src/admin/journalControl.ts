import type { z } from 'zod';
import { badRequest } from '../api/errors.js';
import { formatTimestamp, parseTimestamp } from '../clock.js';
import type { EventService } from '../events/service.js';
import type { StoredRowFilter } from '../events/store.js';
import type { RequestJournal } from '../journal/journal.js';
import type { WorkspaceService } from '../workspaces/service.js';
import type { journalQuerySchema } from './schemas.js';

type JournalQuery = z.output<typeof journalQuerySchema>;
type JournalEntries = Record<string, unknown>[];

/**
 * The journal as the control plane shows it: API requests (kept in memory),
 * stored track events and rejected `/event/` records (kept in the database).
 */
export class JournalControl {
  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly requests: RequestJournal,
    private readonly events: EventService,
  ) {}

  /** Newest first. */
  query(q: JournalQuery): { kind: JournalQuery['kind']; entries: JournalEntries } {
    const sinceMicros = q.since === undefined ? undefined : parseTimestamp(q.since);
    if (sinceMicros === null) throw badRequest('since: must be an ISO-8601 time such as 2025-01-01T00:00:00Z');
    if (q.workspace !== undefined) this.workspaces.get(q.workspace);
    if (q.kind === 'requests') return { kind: q.kind, entries: this.requests.query({ ...q, sinceMicros }) };
    return { kind: q.kind, entries: this.stored(q.kind, q, sinceMicros) };
  }

  /** Clears requests, track events and rejected records. */
  clear(): void {
    this.requests.clear();
    this.events.clearStored();
  }

  private stored(kind: 'events' | 'failures', q: JournalQuery, sinceMicros: number | undefined): JournalEntries {
    const nameOf = new Map(this.workspaces.list().map((w) => [w.dataKey, w.name]));
    const filter: StoredRowFilter = {
      // Only live workspaces: rows of reset ones are on their way out.
      dataKeys: q.workspace === undefined ? undefined : [this.workspaces.get(q.workspace).dataKey],
      distinctId: q.distinct_id,
      receivedSince: sinceMicros === undefined ? undefined : formatTimestamp(sinceMicros),
      limit: q.limit,
    };
    if (kind === 'events') {
      return this.events.storedTrackEvents(filter).map((r) => ({
        id: r.id,
        workspace: nameOf.get(r.workspace),
        distinct_id: r.distinctId,
        event: r.event,
        properties: JSON.parse(r.properties),
        insert_id: r.insertId,
        time: r.eventTime,
        tenant_id: r.tenantId,
        brand_id: r.brandId,
        idempotency_key: r.idempotencyKey,
        user_exists: r.userExists,
        message_id: r.messageId,
        received_at: r.receivedAt,
      }));
    }
    return this.events.storedFailures(filter).map((r) => ({
      id: r.id,
      workspace: nameOf.get(r.workspace),
      record_index: r.recordIndex,
      distinct_id: r.distinctId,
      record: JSON.parse(r.record),
      reason: r.reason,
      received_at: r.receivedAt,
    }));
  }
}
