import { z } from 'zod';
import type { IdGenerator } from '../ids.js';

const faultRuleFields = z.object({
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'method must be an HTTP method such as GET')
    .optional()
    .describe('HTTP method to match (any case); any when absent'),
  path: z
    .string()
    .min(1)
    .default('*')
    .describe('Path pattern: "*" matches within a segment, "**" across segments, e.g. /v1/user/*/ or /event/**'),
  workspace: z.string().optional().describe('Workspace name to match; any when absent'),
  status: z
    .number()
    .int()
    .min(200)
    .max(599)
    .optional()
    .describe('Answer this status (200-599; a 1xx would leave the client waiting) instead of serving the request'),
  body: z.unknown().optional().describe('Body of that answer; default {"code": status, "message": "…"}'),
  delay_ms: z.number().int().min(0).max(60_000).optional().describe('Wait this long first'),
  probability: z.number().gt(0).max(1).default(1).describe('Chance that a matching request is hit'),
  count: z.number().int().min(1).optional().describe('Hit at most this many requests, then the rule expires'),
});

export const faultRuleInput = faultRuleFields.refine(
  (r) => r.status !== undefined || r.delay_ms !== undefined,
  'a fault needs a status, a delay_ms, or both',
);
export type FaultRuleInput = z.infer<typeof faultRuleInput>;

export const faultRuleSchema = faultRuleFields
  .extend({ id: z.string(), hits: z.number().int().describe('Requests hit so far') })
  .meta({ id: 'FaultRule' });

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** Requests this rule has hit so far. */
  hits: number;
}

/** What to do to one request. */
export interface Fault {
  delayMs: number;
  status?: number;
  body?: unknown;
  ruleId?: string;
}

/** A glob compiled to tokens: a character code, or one of these two wildcards. */
const SEGMENT = -1; // "*": any run of characters other than "/"
const ANY = -2; // "**": any run of characters

/**
 * A path pattern as a matcher: "*" matches within a segment, "**" across
 * segments, everything else itself; a trailing slash is optional on both
 * sides, as in routing. It runs the pattern as a set of positions advanced
 * together over the path (no backtracking), so a match costs at most
 * path length x pattern length steps whatever the two hold.
 */
export function compileGlob(glob: string): (path: string) => boolean {
  const body = glob.endsWith('/') ? glob.slice(0, -1) : glob;
  const tokens: number[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '*') tokens.push(body.charCodeAt(i));
    else if (body[i + 1] === '*') {
      tokens.push(ANY);
      i++;
    } else tokens.push(SEGMENT);
  }
  return (path) => globMatches(tokens, path) || (path.endsWith('/') && globMatches(tokens, path.slice(0, -1)));
}

const SLASH = '/'.charCodeAt(0);

/** Whether the whole of `text` matches `tokens`. */
function globMatches(tokens: readonly number[], text: string): boolean {
  const m = tokens.length;
  // at[p]: some way of matching the text read so far ends before token p.
  let at = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  at[0] = 1;
  skipWildcards(tokens, at);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    next.fill(0);
    let alive = false;
    for (let p = 0; p < m; p++) {
      if (!at[p]) continue;
      const token = tokens[p] as number;
      if (token === ANY || (token === SEGMENT && c !== SLASH)) next[p] = 1;
      else if (token === c) next[p + 1] = 1;
      else continue;
      alive = true;
    }
    if (!alive) return false;
    skipWildcards(tokens, next);
    [at, next] = [next, at];
  }
  return at[m] === 1;
}

/** A wildcard may match nothing: a position before one is also a position after it. */
function skipWildcards(tokens: readonly number[], at: Uint8Array): void {
  for (let p = 0; p < tokens.length; p++) {
    if (at[p] && (tokens[p] as number) < 0) at[p + 1] = 1;
  }
}

/** Injected failures: rules matched in order; the first rule that hits decides. */
export class FaultInjector {
  private rules: (FaultRule & { matches: (path: string) => boolean })[] = [];

  constructor(private readonly ids: IdGenerator) {}

  add(input: FaultRuleInput): FaultRule {
    const rule = { ...input, ...(input.method ? { method: input.method.toUpperCase() } : {}), id: `fault_${this.ids.token(10)}`, hits: 0 };
    this.rules.push({ ...rule, matches: compileGlob(rule.path) });
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map(({ matches: _matches, ...rule }) => rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for a request, if a rule hits it; counts the hit and expires spent rules. */
  match(method: string, path: string, workspace: string): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method !== method) continue;
      if (rule.workspace && rule.workspace !== workspace) continue;
      if (!rule.matches(path)) continue;
      if (rule.probability < 1 && this.ids.random() >= rule.probability) continue;
      rule.hits++;
      if (rule.count !== undefined && rule.hits >= rule.count) this.remove(rule.id);
      return { delayMs: rule.delay_ms ?? 0, status: rule.status, body: rule.body, ruleId: rule.id };
    }
    return undefined;
  }
}

/** Parses `X-Emulator-Fault: status=503; delay=200`; undefined when malformed. */
export function parseFaultHeader(header: string): Fault | undefined {
  const fault: Fault = { delayMs: 0 };
  for (const part of header.split(';')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (!k) continue;
    const n = Number(v);
    if (!Number.isInteger(n)) return undefined;
    if (k === 'status' && n >= 200 && n <= 599) fault.status = n;
    else if (k === 'delay' && n >= 0 && n <= 60_000) fault.delayMs = n;
    else return undefined;
  }
  return fault.status !== undefined || fault.delayMs > 0 ? fault : undefined;
}

/** The message of an injected fault's default body. */
export const faultMessage = (status: number) => `Injected fault: the emulator answered ${status} on purpose`;
