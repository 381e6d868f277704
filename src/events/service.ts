import type { Clock } from '../clock.js';
import { formatTimestamp } from '../clock.js';
import type { Db } from '../db/open.js';
import { inTransaction } from '../db/transaction.js';
import type { IdGenerator } from '../ids.js';
import type { UserService } from '../users/service.js';
import type { UserTenantService } from '../users/tenantProfiles.js';
import type { Workspace } from '../workspaces/registry.js';
import { classifyRecord, type ClassifiedRecord } from './classify.js';
import { EventStore, type StoredFailure, type StoredRowFilter, type StoredTrackEvent } from './store.js';

export interface IngestResult {
  received: number;
  failed: number;
}

/** What became of one record of a `/v2/` request: its message_id, or why it failed. */
export type RecordOutcome = { ok: true; messageId: string } | { ok: false; reason: string };

/** How a batch is taken: `/event/` takes every kind of record, `/v2/…` track events only and names each one. */
type Route = 'event' | 'v2';

/** Why an identity record fails on `/v2/event/` and `/v2/bulk/event/`. */
export const IDENTITY_ON_V2 =
  'identity records ($user_operations, or $set/$append/… at the top level) are taken by /event/; /v2/event/ and /v2/bulk/event/ take track events ({"event", "distinct_id", "properties"})';

/** `/event/`: applies identity records, stores track events, records what failed and why. */
export class EventService {
  private readonly store: EventStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: UserService,
    /** Identity records with a `tenant_id` go to the user's tenant-scoped profile. */
    private readonly userTenants: UserTenantService,
    /** Makes up the message_id of a `/v2/` track event that has no `$insert_id`. */
    private readonly ids: IdGenerator,
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
   * `/event/`: one record or an array. One database transaction for the whole
   * batch (for speed); each record applies or fails on its own inside it.
   * `refused` holds records already refused, by index, with the reason (JSON
   * that would not be kept exactly).
   */
  ingest(ws: Workspace, body: unknown, refused?: ReadonlyMap<number, string>): IngestResult {
    const records = Array.isArray(body) ? body : [body];
    const outcomes = this.run(ws, records, refused, 'event');
    return { received: records.length, failed: outcomes.filter((o) => !o.ok).length };
  }

  /**
   * `/v2/event/` (one record) and `/v2/bulk/event/` (an array): track events
   * only, each stored or failed on its own, in one transaction. A stored event
   * is named by its `$insert_id`, or by a generated id when it has none.
   */
  track(ws: Workspace, records: readonly unknown[], refused?: ReadonlyMap<number, string>): RecordOutcome[] {
    return this.run(ws, records, refused, 'v2');
  }

  private run(ws: Workspace, records: readonly unknown[], refused: ReadonlyMap<number, string> | undefined, route: Route): RecordOutcome[] {
    const outcomes: RecordOutcome[] = [];
    inTransaction(this.db.$client, () => {
      const receivedAt = formatTimestamp(this.clock.nowMicros());
      records.forEach((record, index) => {
        const outcome: RecordOutcome = refused?.has(index)
          ? { ok: false, reason: refused.get(index)! }
          : this.tryRecord(ws, record, receivedAt, route);
        outcomes.push(outcome);
        if (outcome.ok) return;
        this.store.insertFailure({
          workspace: ws.dataKey,
          recordIndex: index,
          distinctId: distinctIdOf(record),
          record: jsonOrPlaceholder(record),
          reason: outcome.reason,
          receivedAt,
        });
      });
      this.store.prune(this.keep);
    });
    return outcomes;
  }

  /** Applies one record; says why it failed, or names it (with an empty name on `/event/`, which answers no id). */
  private tryRecord(ws: Workspace, record: unknown, receivedAt: string, route: Route): RecordOutcome {
    try {
      // Identity records run in a savepoint of their own (UserService), so one that fails leaves nothing behind.
      return this.applyRecord(ws, record, classifyRecord(record), receivedAt, route);
    } catch (err) {
      const reason = `this record could not be applied: ${err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message}`;
      return { ok: false, reason };
    }
  }

  /** Applies a classified record. */
  private applyRecord(ws: Workspace, record: unknown, rec: ClassifiedRecord, receivedAt: string, route: Route): RecordOutcome {
    switch (rec.kind) {
      case 'invalid':
        return { ok: false, reason: rec.reason };
      case 'identity': {
        if (route === 'v2') return { ok: false, reason: IDENTITY_ON_V2 };
        const result =
          rec.tenantId === null
            ? this.users.applyOperationsCreating(ws, rec.distinctId, rec.operations)
            : this.userTenants.applyOperationsCreating(ws, rec.distinctId, rec.tenantId, rec.operations);
        return result.ok ? { ok: true, messageId: '' } : { ok: false, reason: result.error.message };
      }
      case 'track': {
        // Serialised first: a record too deep to store fails before anything is written.
        const properties = JSON.stringify(rec.properties);
        const stored = JSON.stringify(record);
        // Whether upstream would have kept it: it discards events of unknown users ($identify creates its user).
        const userExists = this.users.exists(ws, rec.distinctId);
        if (rec.identifies) this.users.applyOperationsCreating(ws, rec.distinctId, []);
        const messageId = route === 'v2' ? (rec.insertId ?? this.ids.uuid()) : null;
        this.store.insertTrackEvent({
          workspace: ws.dataKey,
          distinctId: rec.distinctId,
          event: rec.event,
          properties,
          insertId: rec.insertId,
          eventTime: rec.time,
          tenantId: rec.tenantId,
          brandId: rec.brandId,
          idempotencyKey: rec.idempotencyKey,
          userExists,
          messageId,
          receivedAt,
          record: stored,
        });
        return { ok: true, messageId: messageId ?? '' };
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
