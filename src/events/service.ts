import type { Clock } from '../clock.js';
import { formatTimestamp } from '../clock.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import type { UserService } from '../users/service.js';
import type { Workspace } from '../workspaces/registry.js';
import { classifyRecord, type ClassifiedRecord } from './classify.js';
import { EventStore, type StoredFailure, type StoredRowFilter, type StoredTrackEvent } from './store.js';

export interface IngestResult {
  received: number;
  failed: number;
}

/** `/event/`: applies identity records, stores track events, records what failed and why. */
export class EventService {
  private readonly store: EventStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: UserService,
    /** How many track events and failed records are kept (newest). */
    private readonly keep: number,
  ) {
    this.store = new EventStore(db);
  }

  /** Forgets stored track events and failed records (the journal is cleared). */
  clearStored(): void {
    this.store.clear();
  }

  /** Stored track events, newest first (for the journal). */
  storedTrackEvents(filter: StoredRowFilter): StoredTrackEvent[] {
    return this.store.trackEvents(filter);
  }

  /** Records that failed, newest first (for the journal). */
  storedFailures(filter: StoredRowFilter): StoredFailure[] {
    return this.store.failures(filter);
  }

  /**
   * One database transaction for the whole batch (for speed); each record
   * applies or fails on its own inside it. `refused` holds records already
   * refused, by index, with the reason (JSON that would not be kept exactly).
   */
  ingest(ws: Workspace, body: unknown, refused?: ReadonlyMap<number, string>): IngestResult {
    const records = Array.isArray(body) ? body : [body];
    let failed = 0;
    inTransaction(this.db.$client, () => {
      const receivedAt = formatTimestamp(this.clock.nowMicros());
      records.forEach((record, index) => {
        const reason = refused?.get(index) ?? this.tryRecord(ws, record, receivedAt);
        if (reason === null) return;
        failed++;
        this.store.insertFailure({
          workspace: ws.dataKey,
          recordIndex: index,
          distinctId: distinctIdOf(record),
          record: jsonOrPlaceholder(record),
          reason,
          receivedAt,
        });
      });
      this.store.prune(this.keep);
    });
    return { received: records.length, failed };
  }

  /** Applies one record; returns why it failed, or null. */
  private tryRecord(ws: Workspace, record: unknown, receivedAt: string): string | null {
    try {
      // Identity records run in a savepoint of their own (UserService), so one that fails leaves nothing behind.
      return this.applyRecord(ws, record, classifyRecord(record), receivedAt);
    } catch (err) {
      return `this record could not be applied: ${err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message}`;
    }
  }

  /** Applies a classified record; returns why it failed, or null. */
  private applyRecord(ws: Workspace, record: unknown, rec: ClassifiedRecord, receivedAt: string): string | null {
    switch (rec.kind) {
      case 'invalid':
        return rec.reason;
      case 'identity': {
        const result = this.users.applyOperationsCreating(ws, rec.distinctId, rec.operations);
        return result.ok ? null : result.error.message;
      }
      case 'track': {
        // Serialised first: a record too deep to store fails before anything is written.
        const properties = JSON.stringify(rec.properties);
        const stored = JSON.stringify(record);
        if (rec.identifies) this.users.applyOperationsCreating(ws, rec.distinctId, []);
        this.store.insertTrackEvent({
          workspace: ws.dataKey,
          distinctId: rec.distinctId,
          event: rec.event,
          properties,
          insertId: rec.insertId,
          eventTime: rec.time,
          receivedAt,
          record: stored,
        });
        return null;
      }
    }
  }
}

/** The record as JSON text, or a placeholder when it cannot be serialised (nested too deeply). */
function jsonOrPlaceholder(record: unknown): string {
  try {
    return JSON.stringify(record) ?? 'null';
  } catch {
    return JSON.stringify({ '[not stored]': 'the record is nested too deeply to store' });
  }
}

function distinctIdOf(record: unknown): string | null {
  const id = (record as { distinct_id?: unknown } | null)?.distinct_id;
  return typeof id === 'string' ? id : null;
}
