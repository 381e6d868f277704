/**
 * What the emulator accepts of JSON text beyond what JSON.parse checks. Values
 * are stored as JavaScript reads them, so two things would otherwise change
 * silently between what a client sent and what it gets back:
 * - numbers: an integer literal beyond ±(2^53 − 1) would come back rounded
 *   (12345678901234567890 as 12345678901234567000), and a literal too large
 *   for a double (1e400) would become Infinity, which JSON cannot even spell;
 * - the key "__proto__": schema validation drops it, so it would vanish from
 *   some paths and be kept on others. It is refused everywhere instead.
 * Both are refused, naming the first place they occur.
 */
import { childPath, failAt, type Failure } from './errors.js';

/** The largest integer a JSON number is kept exactly as (2^53 − 1). */
export const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;

/** The one object key refused in client JSON: see the module comment. */
export const FORBIDDEN_KEY = '__proto__';

/**
 * The first value in `value` (parsed from `text`) that the emulator refuses,
 * as a failure naming its path, or undefined when all of it is kept exactly.
 */
export function findInexactJson(text: string, value: unknown): Failure | undefined {
  const unsafe = findUnsafeValue(value);
  if (unsafe || !LONG_DIGIT_RUN.test(text)) return unsafe;
  let found: Failure | undefined;
  scanIntegerLiterals(text, (open, literal) => {
    found = inexact(open, text, literal);
    return true;
  });
  return found;
}

/**
 * For a batch body (one record, or a top-level array of them, parsed from
 * `text`): the first refusal inside each record, by index, with paths inside
 * the record, so that each record can fail on its own.
 */
export function findInexactRecords(text: string, body: unknown): Map<number, Failure> {
  const refused = new Map<number, Failure>();
  if (!Array.isArray(body)) {
    const failure = findInexactJson(text, body);
    if (failure) refused.set(0, failure);
    return refused;
  }
  const records: readonly unknown[] = body;
  records.forEach((record, index) => {
    const unsafe = findUnsafeValue(record);
    if (unsafe) refused.set(index, unsafe);
  });
  if (LONG_DIGIT_RUN.test(text)) {
    scanIntegerLiterals(text, (open, literal) => {
      const index = open[0]!.index;
      if (!refused.has(index)) refused.set(index, inexact(open.slice(1), text, literal));
      return false;
    });
  }
  return refused;
}

/** Sixteen digits in a row: the least an integer beyond 2^53 − 1 needs, so texts without one need no scan. */
const LONG_DIGIT_RUN = /\d{16}/;

/** A path step: an object key or an array index, with the step above it (undefined at the root). */
interface Step {
  key: string | number;
  up: Step | undefined;
}

function pathOf(step: Step | undefined): string {
  const keys: (string | number)[] = [];
  for (let s = step; s !== undefined; s = s.up) keys.push(s.key);
  return keys.reduceRight<string>((path, key) => childPath(path, key), '');
}

/**
 * Walks the parsed value (iteratively: JSON.parse accepts nesting deeper than
 * the call stack) for non-finite numbers and "__proto__" keys.
 */
function findUnsafeValue(root: unknown): Failure | undefined {
  const pending: { value: unknown; at: Step | undefined }[] = [{ value: root, at: undefined }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, at } = item;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return failAt(pathOf(at), 'a number too large to keep (beyond ±1.79e308); send it as a string');
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const element: unknown = value[i];
        if (typeof element === 'number' || (element !== null && typeof element === 'object'))
          pending.push({ value: element, at: { key: i, up: at } });
      }
    } else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object);
      if (keys.includes(FORBIDDEN_KEY))
        return failAt(pathOf({ key: FORBIDDEN_KEY, up: at }), `"${FORBIDDEN_KEY}" is not accepted as a key`);
      // Pushed last key first, so that values are visited in the order they were written.
      for (const key of keys.reverse()) {
        const child = object[key];
        if (typeof child === 'number' || (child !== null && typeof child === 'object')) pending.push({ value: child, at: { key, up: at } });
      }
    }
  }
  return undefined;
}

const [QUOTE, BACKSLASH, COMMA, COLON, OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [
  0x22, 0x5c, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d,
];
const [MINUS, PLUS, DOT, LOWER_E, UPPER_E, ZERO, NINE] = [0x2d, 0x2b, 0x2e, 0x65, 0x45, 0x30, 0x39];

/** An open array or object while scanning: the index reached, or where the current key's text lies. */
interface Container {
  object: boolean;
  index: number;
  expectKey: boolean;
  keyStart: number;
  keyEnd: number;
}

/**
 * Scans valid JSON text (JSON.parse has accepted it) once, outside strings,
 * and calls `visit` with each integer literal beyond ±(2^53 − 1) and the
 * containers open around it, until `visit` returns true. Keys are decoded
 * only to name the place of one found (see `inexact`).
 */
function scanIntegerLiterals(text: string, visit: (open: readonly Container[], literal: string) => boolean): void {
  const open: Container[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (i++; text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
      i++;
      const top = open.at(-1);
      if (top?.object && top.expectKey) Object.assign(top, { expectKey: false, keyStart: start, keyEnd: i });
      continue;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const start = i;
      let integer = true;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === DOT || d === LOWER_E || d === UPPER_E) integer = false;
        else if (!(d >= ZERO && d <= NINE) && d !== MINUS && d !== PLUS) break;
      }
      if (integer) {
        const digits = text.slice(c === MINUS ? start + 1 : start, i);
        // JSON has no leading zeros, so 17 digits are always too many; 16 are too many above 2^53 − 1,
        // and such a number compares correctly after rounding (it rounds to 2^53 or more).
        if (digits.length > 16 || (digits.length === 16 && Number(digits) > MAX_EXACT_INTEGER)) {
          if (visit(open, text.slice(start, i))) return;
        }
      }
      continue;
    }
    if (c === OPEN_ARRAY || c === OPEN_OBJECT) open.push({ object: c === OPEN_OBJECT, index: 0, expectKey: true, keyStart: 0, keyEnd: 0 });
    else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) open.pop();
    else if (c === COMMA) {
      const top = open.at(-1)!;
      if (top.object) top.expectKey = true;
      else top.index++;
    } else if (c === COLON) open.at(-1)!.expectKey = false;
    i++;
  }
}

function inexact(open: readonly Container[], text: string, literal: string): Failure {
  let at: Step | undefined;
  for (const c of open) at = { key: c.object ? (JSON.parse(text.slice(c.keyStart, c.keyEnd)) as string) : c.index, up: at };
  const shown = literal.length > 40 ? `${literal.slice(0, 24)}… (${literal.replace('-', '').length} digits)` : literal;
  return failAt(
    pathOf(at),
    `${shown} is an integer beyond ±${MAX_EXACT_INTEGER} (2^53 − 1), the largest a JSON number is kept exactly; send it as a string`,
  );
}
