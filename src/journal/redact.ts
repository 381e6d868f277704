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
