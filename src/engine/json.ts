/**
 * Safe handling of raw JSON input: checking that a value really is JSON,
 * copying it, and reading/writing object keys without touching prototypes
 * (a client may send keys such as "__proto__" or "constructor").
 */
import { childPath, describeType, failAt, success, type Outcome } from './errors.js';
import type { Json, JsonObject } from './types.js';

/** How deeply JSON values may nest (objects and arrays) before they are rejected. */
export const MAX_JSON_DEPTH = 100;

/** A non-null, non-array plain object (as produced by JSON.parse). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function hasOwn(object: object, key: string): boolean {
  return Object.hasOwn(object, key);
}

/** The object's own value for `key`, or undefined (never an inherited member). */
export function getOwn<T>(object: Record<string, T>, key: string): T | undefined {
  return hasOwn(object, key) ? object[key] : undefined;
}

/** Defines an own enumerable property (works for "__proto__" too). */
export function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Shallow copy of an object's own enumerable keys, prototype-safe. */
export function copyObject<T>(object: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(object)) setOwn(out, key, object[key] as T);
  return out;
}

/**
 * Checks that `value` is a JSON value (null, boolean, finite number, string,
 * array or plain object of JSON values, nested at most MAX_JSON_DEPTH deep)
 * and returns a fresh copy of it.
 */
export function toJson(value: unknown, path: string): Outcome<Json> {
  return copyJson(value, path, 0);
}

function copyJson(value: unknown, path: string, depth: number): Outcome<Json> {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return success(value);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return success(value);
    return failAt(path, 'numbers must be finite');
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    if (depth >= MAX_JSON_DEPTH) return failAt(path, `value is nested more than ${MAX_JSON_DEPTH} levels deep`);
    if (Array.isArray(value)) {
      const out: Json[] = [];
      for (let i = 0; i < value.length; i++) {
        const item = copyJson(value[i], childPath(path, i), depth + 1);
        if (!item.ok) return item;
        out.push(item.value);
      }
      return success(out);
    }
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      const item = copyJson(value[key], childPath(path, key), depth + 1);
      if (!item.ok) return item;
      setOwn(out, key, item.value);
    }
    return success(out);
  }
  return failAt(path, `expected a JSON value, got ${describeType(value)}`);
}
