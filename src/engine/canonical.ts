/**
 * Canonical text and structural equality of JSON values, so identities whose
 * values are objects compare equal regardless of key order.
 */
import { hasOwn, isPlainObject } from './json.js';
import type { JsonObject } from './types.js';

/** JSON text of a value with object keys sorted recursively (array order kept). */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(object[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The identity key of a value: strings are kept as they are behind an "s:"
 * prefix, objects become "o:" plus their canonical JSON, so the two can never
 * collide.
 */
export function canonicalKey(value: string | JsonObject): string {
  return typeof value === 'string' ? `s:${value}` : `o:${stableStringify(value)}`;
}

/** Structural equality of JSON values; object key order is ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const aKeys = Object.keys(a);
    if (aKeys.length !== Object.keys(b).length) return false;
    for (const key of aKeys) {
      if (!hasOwn(b, key) || !jsonEqual(a[key], b[key])) return false;
    }
    return true;
  }
  return false;
}
