/**
 * The property side of the edit operators: $set, $set_once, $add/$increment,
 * $append, $remove and $unset on a profile's properties. Every function
 * returns a new properties object; the one passed in is never changed.
 */
import { jsonEqual } from './canonical.js';
import { childPath, describeType, failAt, preview, success, type Outcome } from './errors.js';
import { isChannel, isPushModifier } from './identities.js';
import { copyObject, getOwn, hasOwn, isPlainObject, setOwn, toJson } from './json.js';
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

/** `$set` (every key) or `$set_once` (only keys the properties do not have yet). */
export function setProperties(properties: JsonObject, arg: unknown, path: string, options: { once: boolean }): Outcome<JsonObject> {
  const operator = options.once ? '$set_once' : '$set';
  const object = requireObject(operator, arg, path, '{"name": "Ada"}');
  if (!object.ok) return object;
  const out = copyObject(properties);
  for (const key of Object.keys(object.value)) {
    const keyPath = childPath(path, key);
    const keyCheck = checkPlainKey(operator, key, keyPath);
    if (!keyCheck.ok) return keyCheck;
    const value = toJson(object.value[key], keyPath);
    if (!value.ok) return value;
    const reserved = validateReservedProperty(key, value.value, keyPath);
    if (!reserved.ok) return reserved;
    if (options.once && hasOwn(out, key)) continue;
    setOwn(out, key, value.value);
  }
  return success(out);
}

/** `$add` / `$increment`: adds finite numbers to numeric properties (absent counts as 0). */
export function addToProperties(
  properties: JsonObject,
  arg: unknown,
  path: string,
  operator: '$add' | '$increment' = '$add',
): Outcome<JsonObject> {
  const object = requireObject(operator, arg, path, '{"logins": 1}');
  if (!object.ok) return object;
  const out = copyObject(properties);
  for (const key of Object.keys(object.value)) {
    const keyPath = childPath(path, key);
    const keyCheck = checkPlainKey(operator, key, keyPath);
    if (!keyCheck.ok) return keyCheck;
    if (isReservedProperty(key)) return failAt(keyPath, `${key} is a text property; it cannot be used with ${operator}`);
    const operand = object.value[key];
    if (typeof operand !== 'number' || !Number.isFinite(operand)) {
      return failAt(keyPath, `${operator} needs a number for "${key}", got ${describeType(operand)}`);
    }
    const current = getOwn(out, key);
    if (current !== undefined && typeof current !== 'number') {
      return failAt(keyPath, `cannot add to "${key}" because its current value is ${describeType(current)}, not a number`);
    }
    const result = (current ?? 0) + operand;
    if (!Number.isFinite(result)) {
      return failAt(keyPath, `adding ${operand} to "${key}" gives a number too large to store`);
    }
    setOwn(out, key, result);
  }
  return success(out);
}

/** `$append` to one property: a list with set semantics (absent becomes [value]). */
export function appendToProperty(properties: JsonObject, key: string, raw: unknown, path: string): Outcome<JsonObject> {
  const keyCheck = checkPlainKey('$append', key, path);
  if (!keyCheck.ok) return keyCheck;
  if (isReservedProperty(key)) return failAt(path, `${key} holds a single value, not a list; use $set instead`);
  const value = toJson(raw, path);
  if (!value.ok) return value;
  const current = getOwn(properties, key);
  let next: Json[];
  if (current === undefined) next = [value.value];
  else if (Array.isArray(current)) {
    if (current.some((element) => jsonEqual(element, value.value))) return success(properties);
    next = [...current, value.value];
  } else {
    return failAt(path, `cannot append to "${key}": its current value is not a list (it is ${describeType(current)})`);
  }
  const out = copyObject(properties);
  setOwn(out, key, next);
  return success(out);
}

/** `$remove` from one property: drops every element equal to the value (absent is a no-op). */
export function removeFromProperty(properties: JsonObject, key: string, raw: unknown, path: string): Outcome<JsonObject> {
  const keyCheck = checkPlainKey('$remove', key, path);
  if (!keyCheck.ok) return keyCheck;
  const value = toJson(raw, path);
  if (!value.ok) return value;
  const current = getOwn(properties, key);
  if (current === undefined) return success(properties);
  if (!Array.isArray(current)) {
    return failAt(path, `cannot remove from "${key}": its current value is not a list (it is ${describeType(current)})`);
  }
  const next = current.filter((element) => !jsonEqual(element, value.value));
  if (next.length === current.length) return success(properties);
  const out = copyObject(properties);
  setOwn(out, key, next);
  return success(out);
}

/** `$unset` of one property (absent is a no-op). */
export function unsetProperty(properties: JsonObject, key: string): JsonObject {
  if (!hasOwn(properties, key)) return properties;
  const out = copyObject(properties);
  delete out[key];
  return out;
}
