/** Keys whose values never reach the journal. */
const SECRET_KEY = /secret|token|password|passwd|authorization|api_?key|credential/i;
const MAX_DEPTH = 20;

/** A copy of a JSON value with secret-looking fields replaced by "[redacted]". */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v, depth + 1);
    return out;
  }
  return value;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Index just after the string literal opening at `i`, or the end of the text when it is cut off. */
function stringEnd(text: string, i: number): number {
  for (let k = i + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === BACKSLASH) k++;
    else if (c === QUOTE) return k + 1;
  }
  return text.length;
}

/** Index just after the JSON value starting at `i` (a string, an object or array, or a scalar), or the end of the text. */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return stringEnd(text, i);
  if (first === 123 || first === 91) {
    let depth = 0;
    for (let k = i; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === QUOTE) k = stringEnd(text, k) - 1;
      else if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) return k + 1;
    }
    return text.length;
  }
  let k = i;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c === 44 || c === 125 || c === 93 || isSpace(c)) break;
    k++;
  }
  return k;
}

function keyOf(literal: string): string {
  try {
    return JSON.parse(literal.endsWith('"') && literal.length > 1 ? literal : `${literal}"`) as string;
  } catch {
    return literal.slice(1);
  }
}

/**
 * JSON text, possibly cut off anywhere (a body prefix), with the value of
 * every secret-looking key replaced by "[redacted]", as `redactSecrets` does
 * for a parsed value. Linear in the text; never parses it as a whole.
 */
export function redactSecretsInText(text: string): string {
  let out = '';
  let copied = 0;
  let i = text.indexOf('"');
  while (i !== -1 && i < text.length) {
    const end = stringEnd(text, i);
    let j = end;
    while (j < text.length && isSpace(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) === COLON && SECRET_KEY.test(keyOf(text.slice(i, end)))) {
      j++;
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      out += `${text.slice(copied, j)}"[redacted]"`;
      copied = j < text.length ? valueEnd(text, j) : j;
      i = text.indexOf('"', copied);
    } else i = text.indexOf('"', end);
  }
  return copied === 0 ? text : out + text.slice(copied);
}
