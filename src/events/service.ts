import type { Clock } from '../clock.js';
import { formatTimestamp } from '../clock.js';
import type { Db } from '../db/open.js';
import { eventFailures, trackEvents } from '../db/schema.js';
import type { UserService } from '../users/service.js';
import type { Workspace } from '../workspaces/registry.js';
import { classifyRecord, type ClassifiedRecord } from './classify.js';

export interface IngestResult {
  received: number;
  failed: number;
}

/** `/event/`: applies identity records, stores track events, records what failed and why. */
export class EventService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: UserService,
    /** How many track events and failed records are kept (newest). */
    private readonly keep: number,
  ) {}

  /** Forgets stored track events and failed records (the journal is cleared). */
  clearStored(): void {
    this.db.$client.exec('delete from track_events; delete from event_failures;');
  }

  /** Keeps only the newest `keep` rows of each table. */
  private prune(): void {
    for (const table of ['track_events', 'event_failures']) {
      this.db.$client.prepare(`delete from ${table} where id <= (select max(id) from ${table}) - ?`).run(this.keep);
    }
  }

  /**
   * One database transaction for the whole batch (for speed); each record
   * applies or fails on its own inside it.
   */
  ingest(ws: Workspace, body: unknown): IngestResult {
    const records = Array.isArray(body) ? body : [body];
    let failed = 0;
    this.db.$client
      .transaction(() => {
        const receivedAt = formatTimestamp(this.clock.nowMicros());
        records.forEach((record, index) => {
          let reason: string | null;
          try {
            // A savepoint per record: a record that fails half-way leaves nothing behind.
            reason = this.db.$client.transaction(() => this.applyRecord(ws, record, classifyRecord(record), receivedAt))();
          } catch (err) {
            reason = `this record could not be applied: ${err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message}`;
          }
          if (reason === null) return;
          failed++;
          this.db
            .insert(eventFailures)
            .values({
              workspace: ws.dataKey,
              recordIndex: index,
              distinctId: distinctIdOf(record),
              record: jsonOrPlaceholder(record),
              reason,
              receivedAt,
            })
            .run();
        });
        this.prune();
      })
      .immediate();
    return { received: records.length, failed };
  }

  /** Applies one record; returns why it failed, or null. */
  private applyRecord(ws: Workspace, record: unknown, rec: ClassifiedRecord, receivedAt: string): string | null {
    switch (rec.kind) {
      case 'invalid':
        return rec.reason;
      case 'identity': {
        const result = this.users.applyOperationsCreating(ws, rec.distinctId, rec.operations);
        return result.ok ? null : result.error.message;
      }
      case 'track': {
        if (rec.identifies) this.users.applyOperationsCreating(ws, rec.distinctId, []);
        this.db
          .insert(trackEvents)
          .values({
            workspace: ws.dataKey,
            distinctId: rec.distinctId,
            event: rec.event,
            properties: JSON.stringify(rec.properties),
            insertId: rec.insertId,
            eventTime: rec.time,
            receivedAt,
            record: JSON.stringify(record),
          })
          .run();
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
