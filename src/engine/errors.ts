/**
 * Small helpers for reporting validation failures with the place they were
 * found, e.g. `operations[1].$add.logins: cannot add to "logins" ...`.
 */
import { EngineValidationError } from './types.js';

/** Either a value or the validation error that prevented producing it. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: EngineValidationError };
export type Failure = { ok: false; error: EngineValidationError };

export function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

/** A failure whose message is `<path>: <detail>` (or just `detail` at the root). */
export function failAt(path: string, detail: string): Failure {
  const message = path === '' ? detail : `${path}: ${detail}`;
  return { ok: false, error: new EngineValidationError(message, path) };
}

/** A failure whose message already names the place. */
export function failWith(path: string, message: string): Failure {
  return { ok: false, error: new EngineValidationError(message, path) };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Extends a path with an object key (`a.b`, or `a["b c"]` for unusual keys) or an array index (`a[2]`). */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** "a string", "a number", "null", "an array", ... for messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isFinite(value) ? 'a number' : 'a non-finite number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    case 'bigint':
      return 'a bigint';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return 'an unsupported value';
  }
}

/** A short JSON rendering of a value for messages (truncated when long). */
export function preview(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? describeType(value);
  } catch {
    text = describeType(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
