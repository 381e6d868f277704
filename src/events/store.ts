import type Database from 'better-sqlite3';
import { and, desc, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { eventFailures, trackEvents, workspaces } from '../db/schema.js';

/** A track event as stored: `workspace` is the data key, JSON columns are text. */
interface TrackEventRow {
  workspace: string;
  distinctId: string;
  event: string;
  properties: string;
  insertId: string | null;
  eventTime: number | null;
  tenantId: string | null;
  brandId: string | null;
  idempotencyKey: string | null;
  userExists: boolean;
  messageId: string | null;
  receivedAt: string;
  record: string;
}

/** A record of an `/event/` batch that could not be applied. */
interface FailureRow {
  workspace: string;
  recordIndex: number;
  distinctId: string | null;
  record: string;
  reason: string;
  receivedAt: string;
}

/** Which stored rows a journal listing shows. */
export interface StoredRowFilter {
  /** Data keys of the workspaces whose rows are listed; every live workspace's when absent. */
  dataKeys?: readonly string[];
  distinctId?: string;
  /** A formatted timestamp: rows received at or after it. */
  receivedSince?: string;
  limit: number;
}

export type StoredTrackEvent = typeof trackEvents.$inferSelect;
export type StoredFailure = typeof eventFailures.$inferSelect;

/**
 * Data access for stored track events and failed records. Writes run on
 * every `/event/` request, so they are statements prepared once; listing and
 * clearing serve the control plane and use the drizzle builder.
 */
export class EventStore {
  private readonly s: {
    insertTrack: Database.Statement<
      [
        string,
        string,
        string,
        string,
        string | null,
        number | null,
        string | null,
        string | null,
        string | null,
        number,
        string | null,
        string,
        string,
      ]
    >;
    insertFailure: Database.Statement<[string, number, string | null, string, string, string]>;
    prune: Database.Statement<[number]>[];
  };

  constructor(private readonly db: Db) {
    const c = db.$client;
    this.s = {
      insertTrack: c.prepare(
        `insert into track_events (workspace, distinct_id, event, properties, insert_id, event_time,
           tenant_id, brand_id, idempotency_key, user_exists, message_id, received_at, record)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFailure: c.prepare(
        'insert into event_failures (workspace, record_index, distinct_id, record, reason, received_at) values (?, ?, ?, ?, ?, ?)',
      ),
      prune: ['track_events', 'event_failures'].map((t) => c.prepare(`delete from ${t} where id <= (select max(id) from ${t}) - ?`)),
    };
  }

  insertTrackEvent(e: TrackEventRow): void {
    this.s.insertTrack.run(
      e.workspace,
      e.distinctId,
      e.event,
      e.properties,
      e.insertId,
      e.eventTime,
      e.tenantId,
      e.brandId,
      e.idempotencyKey,
      e.userExists ? 1 : 0,
      e.messageId,
      e.receivedAt,
      e.record,
    );
  }

  insertFailure(f: FailureRow): void {
    this.s.insertFailure.run(f.workspace, f.recordIndex, f.distinctId, f.record, f.reason, f.receivedAt);
  }

  /** Keeps only the newest `keep` rows of each table. */
  prune(keep: number): void {
    for (const statement of this.s.prune) statement.run(keep);
  }

  clear(): void {
    this.db.delete(trackEvents).run();
    this.db.delete(eventFailures).run();
  }

  /** Newest first. */
  trackEvents(f: StoredRowFilter): StoredTrackEvent[] {
    return this.db.select().from(trackEvents).where(this.matching(trackEvents, f)).orderBy(desc(trackEvents.id)).limit(f.limit).all();
  }

  /** Newest first. */
  failures(f: StoredRowFilter): StoredFailure[] {
    return this.db.select().from(eventFailures).where(this.matching(eventFailures, f)).orderBy(desc(eventFailures.id)).limit(f.limit).all();
  }

  private matching(table: typeof trackEvents | typeof eventFailures, f: StoredRowFilter) {
    // All live workspaces by subquery: one SQL variable per workspace would pass SQLite's limit of 32,766.
    const live = this.db.select({ dataKey: workspaces.dataKey }).from(workspaces);
    return and(
      f.dataKeys === undefined ? inArray(table.workspace, live) : inArray(table.workspace, [...f.dataKeys]),
      f.distinctId === undefined ? undefined : eq(table.distinctId, f.distinctId),
      // received_at is in one fixed format, so text order is time order.
      f.receivedSince === undefined ? undefined : gte(table.receivedAt, f.receivedSince),
    );
  }
}
