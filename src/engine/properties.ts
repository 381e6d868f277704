/**
 * The property side of the edit operators: $set, $set_once, $add/$increment,
 * $append, $remove and $unset on a profile's properties: a PropertiesDraft
 * that a request edits in place, and functions that return a new properties
 * object for one step. The object passed in is never changed.
 */
import { stableStringify } from './canonical.js';
import { childPath, describeType, failAt, preview, success, type Outcome } from './errors.js';
import { isChannel, isPushModifier } from './identities.js';
import { copyObject, getOwn, hasOwn, isPlainObject, setOwn, toJson } from './json.js';
import { MAX_EXACT_INTEGER } from './jsonText.js';
import type { Json, JsonObject } from './types.js';
import { isIanaTimezone, isIso6391 } from './validate.js';

/** Properties with a validated format. */
export const RESERVED_PROPERTIES = ['$timezone', '$preferred_language', '$locale'] as const;
export type ReservedProperty = (typeof RESERVED_PROPERTIES)[number];

export function isReservedProperty(key: string): key is ReservedProperty {
  return (RESERVED_PROPERTIES as readonly string[]).includes(key);
}

/** Checks the value of `$timezone`, `$preferred_language` or `$locale`; any other key passes. */
export function validateReservedProperty(key: string, value: unknown, path: string): Outcome<true> {
  switch (key) {
    case '$timezone':
      if (typeof value !== 'string') {
        return failAt(path, `$timezone must be an IANA time zone name such as "America/New_York", got ${describeType(value)}`);
      }
      if (!isIanaTimezone(value)) {
        return failAt(path, `${preview(value)} is not an IANA time zone name, e.g. "America/New_York" or "UTC"`);
      }
      return success(true);
    case '$preferred_language':
      if (typeof value !== 'string') {
        return failAt(path, `$preferred_language must be a two-letter ISO 639-1 language code such as "en", got ${describeType(value)}`);
      }
      if (!isIso6391(value)) {
        return failAt(path, `${preview(value)} is not a two-letter lower-case ISO 639-1 language code, e.g. "en" or "fr"`);
      }
      return success(true);
    case '$locale':
      if (typeof value !== 'string' || value === '') {
        return failAt(
          path,
          `$locale must be a non-empty string such as "en_US", got ${value === '' ? 'an empty string' : describeType(value)}`,
        );
      }
      return success(true);
    default:
      return success(true);
  }
}

/** The operand of an operator that takes an object of property names. */
function requireObject(operator: string, arg: unknown, path: string, example: string): Outcome<Record<string, unknown>> {
  if (isPlainObject(arg)) return success(arg);
  return failAt(path, `${operator} needs an object such as ${example}, got ${describeType(arg)}`);
}

/** Rejects channel keys and push modifiers in operators that only deal with properties. */
function checkPlainKey(operator: string, key: string, path: string): Outcome<true> {
  if (isChannel(key)) {
    return failAt(path, `${key} is a channel, not a property; use $append to add a channel identity ($remove or $unset to take it away)`);
  }
  if (isPushModifier(key)) {
    return failAt(path, `${key} can only be used inside $append or $remove, beside a push channel key (not in ${operator})`);
  }
  return success(true);
}

/** Marks an element taken out of a ListDraft. */
const REMOVED: unique symbol = Symbol('removed');

/**
 * A list property under `$append`/`$remove` in one request: its elements,
 * indexed so that each append or remove costs time in proportion to the
 * value, not the list. Strings are indexed as they are, other values by
 * their canonical text (equal texts exactly when jsonEqual).
 */
class ListDraft {
  private readonly items: (Json | typeof REMOVED)[];
  /** Where each distinct element present is: one index, or several (a list set with $set may hold repeats). */
  private readonly strings = new Map<string, number | number[]>();
  private readonly others = new Map<string, number | number[]>();

  constructor(items: readonly Json[]) {
    this.items = items.slice();
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Json;
      const string = typeof item === 'string';
      const index = string ? this.strings : this.others;
      const key = string ? item : stableStringify(item);
      const at = index.get(key);
      if (at === undefined) index.set(key, i);
      else if (typeof at === 'number') index.set(key, [at, i]);
      else at.push(i);
    }
  }

  private indexOf(value: Json): Map<string, number | number[]> {
    return typeof value === 'string' ? this.strings : this.others;
  }

  private keyOf(value: Json): string {
    return typeof value === 'string' ? value : stableStringify(value);
  }

  /** Adds the value unless an equal one is present. */
  append(value: Json): void {
    const index = this.indexOf(value);
    const key = this.keyOf(value);
    if (index.has(key)) return;
    index.set(key, this.items.length);
    this.items.push(value);
  }

  /** Drops every element equal to the value. */
  remove(value: Json): void {
    const index = this.indexOf(value);
    const key = this.keyOf(value);
    const at = index.get(key);
    if (at === undefined) return;
    if (typeof at === 'number') this.items[at] = REMOVED;
    else for (const i of at) this.items[i] = REMOVED;
    index.delete(key);
  }

  toArray(): Json[] {
    return this.items.filter((item): item is Json => item !== REMOVED);
  }
}

/**
 * A working copy of a profile's properties for one request: each operator
 * changes it in place, at a cost in proportion to what the operator carries
 * (the properties are copied once, a list once when first appended to or
 * removed from). The object it was made from is never changed. Call result()
 * once, at the end; after a failure the draft is half-changed and must be
 * dropped, which keeps a request all or nothing.
 */
export class PropertiesDraft {
  private readonly values: JsonObject;
  /** Lists being edited; their keys stay in `values` (with a stale value) so key order and hasOwn hold. */
  private readonly lists = new Map<string, ListDraft>();

  constructor(properties: JsonObject) {
    this.values = copyObject(properties);
  }

  /** Writes back the list of `key`, if it is being edited. */
  private settle(key: string): void {
    const list = this.lists.get(key);
    if (list === undefined) return;
    setOwn(this.values, key, list.toArray());
    this.lists.delete(key);
  }

  /** `$set` (every key) or `$set_once` (only keys the properties do not have yet). */
  set(arg: unknown, path: string, options: { once: boolean }): Outcome<true> {
    const operator = options.once ? '$set_once' : '$set';
    const object = requireObject(operator, arg, path, '{"name": "Ada"}');
    if (!object.ok) return object;
    for (const key of Object.keys(object.value)) {
      const keyPath = childPath(path, key);
      const keyCheck = checkPlainKey(operator, key, keyPath);
      if (!keyCheck.ok) return keyCheck;
      const value = toJson(object.value[key], keyPath);
      if (!value.ok) return value;
      const reserved = validateReservedProperty(key, value.value, keyPath);
      if (!reserved.ok) return reserved;
      if (options.once && hasOwn(this.values, key)) continue;
      this.lists.delete(key);
      setOwn(this.values, key, value.value);
    }
    return success(true);
  }

  /** `$add` / `$increment`: adds finite numbers to numeric properties (absent counts as 0). */
  add(arg: unknown, path: string, operator: '$add' | '$increment'): Outcome<true> {
    const object = requireObject(operator, arg, path, '{"logins": 1}');
    if (!object.ok) return object;
    for (const key of Object.keys(object.value)) {
      const keyPath = childPath(path, key);
      const keyCheck = checkPlainKey(operator, key, keyPath);
      if (!keyCheck.ok) return keyCheck;
      if (isReservedProperty(key)) return failAt(keyPath, `${key} is a text property; it cannot be used with ${operator}`);
      const operand = object.value[key];
      if (typeof operand !== 'number' || !Number.isFinite(operand)) {
        return failAt(keyPath, `${operator} needs a number for "${key}", got ${describeType(operand)}`);
      }
      this.settle(key);
      const current = getOwn(this.values, key);
      if (current !== undefined && typeof current !== 'number') {
        return failAt(keyPath, `cannot add to "${key}" because its current value is ${describeType(current)}, not a number`);
      }
      const result = (current ?? 0) + operand;
      if (!Number.isFinite(result)) {
        return failAt(keyPath, `adding ${operand} to "${key}" gives a number too large to store`);
      }
      if (Number.isSafeInteger(current ?? 0) && Number.isSafeInteger(operand) && !Number.isSafeInteger(result)) {
        // A counter follows the rule client JSON does (jsonText.ts): integers are kept exactly or refused, never rounded.
        return failAt(
          keyPath,
          `adding ${operand} to "${key}" gives an integer beyond ±${MAX_EXACT_INTEGER} (2^53 − 1), which would not be kept exactly`,
        );
      }
      setOwn(this.values, key, result);
    }
    return success(true);
  }

  /** `$append` to one property: a list with set semantics (absent becomes [value]). */
  append(key: string, raw: unknown, path: string): Outcome<true> {
    const keyCheck = checkPlainKey('$append', key, path);
    if (!keyCheck.ok) return keyCheck;
    if (isReservedProperty(key)) return failAt(path, `${key} holds a single value, not a list; use $set instead`);
    const value = toJson(raw, path);
    if (!value.ok) return value;
    let list = this.lists.get(key);
    if (list === undefined) {
      const current = getOwn(this.values, key);
      if (current === undefined) setOwn(this.values, key, []);
      else if (!Array.isArray(current)) {
        return failAt(path, `cannot append to "${key}": its current value is not a list (it is ${describeType(current)})`);
      }
      list = new ListDraft(current ?? []);
      this.lists.set(key, list);
    }
    list.append(value.value);
    return success(true);
  }

  /** `$remove` from one property: drops every element equal to the value (absent is a no-op). */
  remove(key: string, raw: unknown, path: string): Outcome<true> {
    const keyCheck = checkPlainKey('$remove', key, path);
    if (!keyCheck.ok) return keyCheck;
    const value = toJson(raw, path);
    if (!value.ok) return value;
    let list = this.lists.get(key);
    if (list === undefined) {
      const current = getOwn(this.values, key);
      if (current === undefined) return success(true);
      if (!Array.isArray(current)) {
        return failAt(path, `cannot remove from "${key}": its current value is not a list (it is ${describeType(current)})`);
      }
      list = new ListDraft(current);
      this.lists.set(key, list);
    }
    list.remove(value.value);
    return success(true);
  }

  /** `$unset` of one property (absent is a no-op). */
  unset(key: string): void {
    this.lists.delete(key);
    if (hasOwn(this.values, key)) delete this.values[key];
  }

  /** The properties as edited. */
  result(): JsonObject {
    for (const key of [...this.lists.keys()]) this.settle(key);
    return this.values;
  }
}

/** Runs one draft step on a copy of `properties`: the new properties, or the step's error. */
function edited(properties: JsonObject, step: (draft: PropertiesDraft) => Outcome<true>): Outcome<JsonObject> {
  const draft = new PropertiesDraft(properties);
  const outcome = step(draft);
  return outcome.ok ? success(draft.result()) : outcome;
}

/** `$set` (every key) or `$set_once` (only keys the properties do not have yet). */
export function setProperties(properties: JsonObject, arg: unknown, path: string, options: { once: boolean }): Outcome<JsonObject> {
  return edited(properties, (draft) => draft.set(arg, path, options));
}

/** `$add` / `$increment`: adds finite numbers to numeric properties (absent counts as 0). */
export function addToProperties(
  properties: JsonObject,
  arg: unknown,
  path: string,
  operator: '$add' | '$increment' = '$add',
): Outcome<JsonObject> {
  return edited(properties, (draft) => draft.add(arg, path, operator));
}

/** `$append` to one property: a list with set semantics (absent becomes [value]). */
export function appendToProperty(properties: JsonObject, key: string, raw: unknown, path: string): Outcome<JsonObject> {
  return edited(properties, (draft) => draft.append(key, raw, path));
}

/** `$remove` from one property: drops every element equal to the value (absent is a no-op). */
export function removeFromProperty(properties: JsonObject, key: string, raw: unknown, path: string): Outcome<JsonObject> {
  return edited(properties, (draft) => draft.remove(key, raw, path));
}

/** `$unset` of one property (absent is a no-op). */
export function unsetProperty(properties: JsonObject, key: string): JsonObject {
  if (!hasOwn(properties, key)) return properties;
  const out = copyObject(properties);
  delete out[key];
  return out;
}
