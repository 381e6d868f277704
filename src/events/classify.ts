import { validateDistinctId } from '../engine/index.js';

/**
 * Tells apart the three kinds of record `/event/` receives (pure):
 * - schema-2 identity records, `{distinct_id, $user_operations: [...]}` (every current SDK);
 * - the legacy flat format, operators at the top level (`{distinct_id, $set: {...}, $append: {...}}`);
 * - track events, `{event, distinct_id, properties}` (`$identify` among them, which also creates the user).
 */
export type ClassifiedRecord =
  | {
      kind: 'identity';
      distinctId: string;
      operations: unknown;
      /** Set when the record edits the user's tenant-scoped profile (Python's tenant edit instances). */
      tenantId: string | null;
    }
  | {
      kind: 'track';
      distinctId: string;
      event: string;
      properties: Record<string, unknown>;
      insertId: string | null;
      time: number | null;
      tenantId: string | null;
      brandId: string | null;
      idempotencyKey: string | null;
      /** `$identify` also makes sure the user exists. */
      identifies: boolean;
    }
  | { kind: 'invalid'; distinctId: string | null; reason: string };

/** Operator keys that the legacy format puts at the top level of a record. */
export const LEGACY_OPERATORS = ['$set', '$set_once', '$add', '$increment', '$append', '$remove', '$unset'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function classifyRecord(record: unknown): ClassifiedRecord {
  if (!isObject(record)) {
    return { kind: 'invalid', distinctId: null, reason: `record must be a JSON object, got ${describe(record)}` };
  }
  const rawId = record.distinct_id;
  const distinctId = typeof rawId === 'string' ? rawId : null;

  if ('$user_operations' in record) {
    const problem = idProblem(rawId);
    if (problem) return { kind: 'invalid', distinctId, reason: problem };
    const context = contextOf(record);
    if (typeof context === 'string') return { kind: 'invalid', distinctId, reason: context };
    return { kind: 'identity', distinctId: rawId as string, operations: record.$user_operations, tenantId: context.tenantId };
  }

  const legacy = LEGACY_OPERATORS.filter((op) => op in record);
  if (legacy.length > 0) {
    const problem = idProblem(rawId);
    if (problem) return { kind: 'invalid', distinctId, reason: problem };
    const operation = Object.fromEntries(legacy.map((op) => [op, record[op]]));
    const context = contextOf(record);
    if (typeof context === 'string') return { kind: 'invalid', distinctId, reason: context };
    return { kind: 'identity', distinctId: rawId as string, operations: [operation], tenantId: context.tenantId };
  }

  if ('event' in record) {
    const event = record.event;
    if (typeof event !== 'string' || event.trim() === '') {
      return { kind: 'invalid', distinctId, reason: 'event must be a non-empty string' };
    }
    const properties = record.properties ?? {};
    if (!isObject(properties)) return { kind: 'invalid', distinctId, reason: 'properties must be a JSON object' };
    const identifies = event === '$identify';
    // Pre-schema-2 `$identify` events name the user in properties.$identified_id and have no distinct_id.
    const id = rawId ?? (identifies ? properties.$identified_id : undefined);
    const problem = idProblem(id);
    if (problem) return { kind: 'invalid', distinctId, reason: problem };
    const context = contextOf(record);
    if (typeof context === 'string') return { kind: 'invalid', distinctId, reason: context };
    const insertId = record.$insert_id;
    const time = record.$time;
    return {
      kind: 'track',
      distinctId: id as string,
      event,
      properties,
      insertId: typeof insertId === 'string' ? insertId : null,
      time: typeof time === 'number' && Number.isFinite(time) ? time : null,
      ...context,
      identifies,
    };
  }

  return {
    kind: 'invalid',
    distinctId,
    reason: 'record has neither $user_operations, operators ($set, $append, …) nor an event name',
  };
}

/**
 * The optional context keys of a track event, as the SDKs' own schema
 * (`request_json/event.json`) allows them: a string of at most this many
 * characters, or null / absent.
 */
const CONTEXT_KEYS = [
  ['tenant_id', 'tenantId', 64],
  ['brand_id', 'brandId', 64],
  ['$idempotency_key', 'idempotencyKey', 255],
] as const;

type EventContext = { tenantId: string | null; brandId: string | null; idempotencyKey: string | null };

/** The context keys of a track event, or why one is refused. */
function contextOf(record: Record<string, unknown>): EventContext | string {
  const context: EventContext = { tenantId: null, brandId: null, idempotencyKey: null };
  for (const [key, field, max] of CONTEXT_KEYS) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return `${key} must be a string or null, got ${describe(value)}`;
    const length = [...value].length;
    if (length > max) return `${key} must be at most ${max} characters long (got ${length})`;
    context[field] = value;
  }
  return context;
}

function idProblem(id: unknown): string | null {
  if (id === undefined || id === null) return 'distinct_id is required';
  const problem = validateDistinctId(id);
  return problem ? `distinct_id: ${problem}` : null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
