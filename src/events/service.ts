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
  ) {}

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
          const reason = this.applyRecord(ws, record, classifyRecord(record), receivedAt);
          if (reason === null) return;
          failed++;
          this.db
            .insert(eventFailures)
            .values({
              workspace: ws.name,
              recordIndex: index,
              distinctId: distinctIdOf(record),
              record: JSON.stringify(record),
              reason,
              receivedAt,
            })
            .run();
        });
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
            workspace: ws.name,
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

function distinctIdOf(record: unknown): string | null {
  const id = (record as { distinct_id?: unknown } | null)?.distinct_id;
  return typeof id === 'string' ? id : null;
}
