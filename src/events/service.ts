import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { formatTimestamp } from '../clock.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import type { UserService } from '../users/service.js';
import type { Workspace } from '../workspaces/registry.js';
import { classifyRecord, type ClassifiedRecord } from './classify.js';

export interface IngestResult {
  received: number;
  failed: number;
}

/** `/event/`: applies identity records, stores track events, records what failed and why. */
export class EventService {
  private readonly s: {
    insertTrack: Database.Statement<[string, string, string, string, string | null, number | null, string, string]>;
    insertFailure: Database.Statement<[string, number, string | null, string, string, string]>;
    prune: Database.Statement<[number]>[];
  };

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: UserService,
    /** How many track events and failed records are kept (newest). */
    private readonly keep: number,
  ) {
    const c = db.$client;
    this.s = {
      insertTrack: c.prepare(
        `insert into track_events (workspace, distinct_id, event, properties, insert_id, event_time, received_at, record)
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFailure: c.prepare(
        'insert into event_failures (workspace, record_index, distinct_id, record, reason, received_at) values (?, ?, ?, ?, ?, ?)',
      ),
      prune: ['track_events', 'event_failures'].map((t) => c.prepare(`delete from ${t} where id <= (select max(id) from ${t}) - ?`)),
    };
  }

  /** Forgets stored track events and failed records (the journal is cleared). */
  clearStored(): void {
    this.db.$client.exec('delete from track_events; delete from event_failures;');
  }

  /** Keeps only the newest `keep` rows of each table. */
  private prune(): void {
    for (const statement of this.s.prune) statement.run(this.keep);
  }

  /**
   * One database transaction for the whole batch (for speed); each record
   * applies or fails on its own inside it.
   */
  ingest(ws: Workspace, body: unknown): IngestResult {
    const records = Array.isArray(body) ? body : [body];
    let failed = 0;
    inTransaction(this.db.$client, () => {
      const receivedAt = formatTimestamp(this.clock.nowMicros());
      records.forEach((record, index) => {
        let reason: string | null;
        try {
          // Identity records run in a savepoint of their own (UserService), so one that fails leaves nothing behind.
          reason = this.applyRecord(ws, record, classifyRecord(record), receivedAt);
        } catch (err) {
          reason = `this record could not be applied: ${err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message}`;
        }
        if (reason === null) return;
        failed++;
        this.s.insertFailure.run(ws.dataKey, index, distinctIdOf(record), jsonOrPlaceholder(record), reason, receivedAt);
      });
      this.prune();
    });
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
        // Serialised first: a record too deep to store fails before anything is written.
        const properties = JSON.stringify(rec.properties);
        const stored = JSON.stringify(record);
        if (rec.identifies) this.users.applyOperationsCreating(ws, rec.distinctId, []);
        this.s.insertTrack.run(ws.dataKey, rec.distinctId, rec.event, properties, rec.insertId, rec.time, receivedAt, stored);
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
