import { formatTimestamp } from '../clock.js';
import type { Db } from '../db/open.js';
import type { WorkspaceRegistry } from '../workspaces/registry.js';

export interface StoredJournalFilter {
  workspace?: string;
  distinct_id?: string;
  sinceMicros?: number;
  limit: number;
}

/** Stored track events or rejected `/event/` records, newest first, for the journal. */
export function queryStoredJournal(
  db: Db,
  registry: WorkspaceRegistry,
  kind: 'events' | 'failures',
  f: StoredJournalFilter,
): Record<string, unknown>[] {
  const byDataKey = new Map(registry.list().map((w) => [w.dataKey, w.name]));
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.workspace !== undefined) {
    where.push('workspace = ?');
    params.push(registry.get(f.workspace)?.dataKey);
  } else {
    // Only live workspaces: rows of reset ones are on their way out.
    where.push(`workspace in (${[...byDataKey.keys()].map(() => '?').join(',') || "''"})`);
    params.push(...byDataKey.keys());
  }
  if (f.distinct_id !== undefined) {
    where.push('distinct_id = ?');
    params.push(f.distinct_id);
  }
  if (f.sinceMicros !== undefined) {
    // received_at is in one fixed format, so text order is time order.
    where.push('received_at >= ?');
    params.push(formatTimestamp(f.sinceMicros));
  }
  const table = kind === 'events' ? 'track_events' : 'event_failures';
  const rows = db.$client
    .prepare(`select * from ${table} where ${where.join(' and ')} order by id desc limit ?`)
    .all(...params, f.limit) as Record<string, unknown>[];
  return rows.map((r) =>
    kind === 'events'
      ? {
          id: r.id,
          workspace: byDataKey.get(r.workspace as string),
          distinct_id: r.distinct_id,
          event: r.event,
          properties: JSON.parse(r.properties as string),
          insert_id: r.insert_id,
          time: r.event_time,
          received_at: r.received_at,
        }
      : {
          id: r.id,
          workspace: byDataKey.get(r.workspace as string),
          record_index: r.record_index,
          distinct_id: r.distinct_id,
          record: JSON.parse(r.record as string),
          reason: r.reason,
          received_at: r.received_at,
        },
  );
}
