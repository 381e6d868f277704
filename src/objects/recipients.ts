/**
 * Validation of object keys (object_type, id) and of the `recipients` of the
 * subscription calls. Pure: each function returns a value or throws a 400.
 */
import { validateDistinctId } from '../engine/index.js';
import { badRequest } from '../api/errors.js';
import { MAX_OBJECT_KEY_LENGTH, MAX_RECIPIENTS } from './schemas.js';

/** A problem with an object_type or object id (non-empty string of at most 255 characters), or null. */
function objectKeyProblem(name: 'object_type' | 'id', value: unknown): string | null {
  if (typeof value !== 'string') return `${name} must be a string`;
  if (value.trim() === '') return `${name} must not be empty`;
  const length = [...value].length;
  if (length > MAX_OBJECT_KEY_LENGTH) return `${name} must be at most ${MAX_OBJECT_KEY_LENGTH} characters long (got ${length})`;
  return null;
}

export function checkedObjectType(objectType: string): string {
  const problem = objectKeyProblem('object_type', objectType);
  if (problem) throw badRequest(problem);
  return objectType;
}

export function checkedObjectKey(objectType: string, objectId: string): void {
  checkedObjectType(objectType);
  const problem = objectKeyProblem('id', objectId);
  if (problem) throw badRequest(problem);
}

export type Recipient =
  | {
      kind: 'user';
      distinctId: string /** Upsert body for the user; undefined when only the id was given. */;
      fields?: Record<string, unknown>;
      path: string;
    }
  | {
      kind: 'object';
      objectType: string;
      objectId: string /** Keys to upsert into the child; undefined when none. */;
      fields?: Record<string, unknown>;
      path: string;
    };

const SHAPES = 'a distinct_id string, a user object {"distinct_id": …} or a child object {"id": …, "object_type": …}';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const rest = (o: Record<string, unknown>, omit: readonly string[]): Record<string, unknown> | undefined => {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(o)) {
    if (omit.includes(key)) continue;
    Object.defineProperty(out, key, { value: o[key], writable: true, enumerable: true, configurable: true });
    any = true;
  }
  return any ? out : undefined;
};

/** Checks `recipients` (1 to 100 of them) and tells users from child objects. */
export function parseRecipients(raw: unknown): Recipient[] {
  if (raw === undefined || raw === null)
    throw badRequest(`recipients: required, a list of up to ${MAX_RECIPIENTS} recipients, each ${SHAPES}`);
  if (!Array.isArray(raw)) throw badRequest(`recipients must be a list of recipients, each ${SHAPES}`);
  if (raw.length === 0) throw badRequest('recipients must list at least one recipient');
  if (raw.length > MAX_RECIPIENTS) throw badRequest(`at most ${MAX_RECIPIENTS} recipients per call (got ${raw.length})`);
  return raw.map((item, i) => parseRecipient(item, `recipients[${i}]`));
}

function parseRecipient(item: unknown, path: string): Recipient {
  if (typeof item === 'string') {
    const problem = validateDistinctId(item);
    if (problem) throw badRequest(`${path}: ${problem}`);
    return { kind: 'user', distinctId: item, path };
  }
  if (!isObject(item)) throw badRequest(`${path}: each recipient must be ${SHAPES}`);
  const hasUserKey = Object.hasOwn(item, 'distinct_id');
  const hasObjectKey = Object.hasOwn(item, 'object_type');
  if (hasUserKey && hasObjectKey) {
    throw badRequest(`${path}: a recipient is either a user {"distinct_id": …} or an object {"id": …, "object_type": …}, not both`);
  }
  if (hasUserKey) {
    const problem = validateDistinctId(item.distinct_id);
    if (problem) throw badRequest(`${path}.distinct_id: ${problem}`);
    const fields = rest(item, ['distinct_id']);
    return { kind: 'user', distinctId: item.distinct_id as string, ...(fields ? { fields } : {}), path };
  }
  if (hasObjectKey || Object.hasOwn(item, 'id')) {
    for (const name of ['object_type', 'id'] as const) {
      const problem = objectKeyProblem(name, item[name]);
      if (problem) throw badRequest(`${path}.${name}: ${problem}`);
    }
    const fields = rest(item, ['id', 'object_type']);
    return { kind: 'object', objectType: item.object_type as string, objectId: item.id as string, ...(fields ? { fields } : {}), path };
  }
  throw badRequest(`${path}: each recipient must be ${SHAPES}`);
}

/** `?recipients=a,b,c`: comma-separated distinct_ids (blank entries skipped). */
export function recipientsFromQuery(query: string | undefined): string[] | undefined {
  if (query === undefined) return undefined;
  const ids = query
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return ids;
}
