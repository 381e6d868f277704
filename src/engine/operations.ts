/**
 * `applyOperations`: the edit endpoint's list of operation objects, applied in
 * order to a profile. Atomic: the first invalid operation fails the whole call
 * and nothing is returned but the error.
 */
import { childPath, describeType, failAt, failWith, success, type Outcome } from './errors.js';
import { IdentityDraft, isChannel, isPushModifier, parseIdentityItems, parsePushModifiers } from './identities.js';
import { isPlainObject } from './json.js';
import { ChannelValueTally, checkIdentityCounts, checkOperationCount } from './limits.js';
import { PropertiesDraft } from './properties.js';
import type { EngineContext, EngineResult, Profile } from './types.js';

/** The operators, in the order they apply within one operation object. */
export const OPERATORS = ['$set', '$set_once', '$add', '$increment', '$append', '$remove', '$unset'] as const;
export type Operator = (typeof OPERATORS)[number];

const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);

/**
 * The working state of one call: private copies that the operators change in
 * place, each at a cost in proportion to what it carries, so a call costs
 * time in proportion to its size plus the profile's. Dropped on a failure.
 */
interface Draft {
  properties: PropertiesDraft;
  identities: IdentityDraft;
  /** Channel values sent so far, against MAX_VALUES_PER_CHANNEL_PER_REQUEST. */
  tally: ChannelValueTally;
}

/**
 * Applies `operations` (raw JSON: a list of objects whose keys are operators)
 * to `profile` and returns the new profile, or the first validation error.
 * The input profile is never changed.
 */
export function applyOperations(profile: Profile, operations: unknown, ctx: EngineContext): EngineResult {
  if (!Array.isArray(operations)) {
    return failWith('operations', `operations must be a list of operation objects, got ${describeType(operations)}`);
  }
  const tooMany = checkOperationCount(operations.length);
  if (tooMany) return tooMany;
  const draft: Draft = {
    properties: new PropertiesDraft(profile.properties),
    identities: new IdentityDraft(profile.identities),
    tally: new ChannelValueTally(),
  };
  for (let i = 0; i < operations.length; i++) {
    const result = applyOperation(draft, operations[i], childPath('operations', i), ctx);
    if (!result.ok) return result;
  }
  const overfull = checkIdentityCounts(profile.identities, draft.identities);
  if (overfull) return overfull;
  return { ok: true, profile: { properties: draft.properties.result(), identities: draft.identities.list() } };
}

function applyOperation(draft: Draft, operation: unknown, path: string, ctx: EngineContext): Outcome<true> {
  if (!isPlainObject(operation)) {
    return failAt(path, `each operation must be an object such as {"$set": {"name": "Ada"}}, got ${describeType(operation)}`);
  }
  for (const key of Object.keys(operation)) {
    if (!OPERATOR_SET.has(key)) {
      return failAt(childPath(path, key), `unknown operator ${JSON.stringify(key)}; expected one of ${OPERATORS.join(', ')}`);
    }
  }
  for (const operator of OPERATORS) {
    if (!Object.hasOwn(operation, operator)) continue;
    const result = applyOperator(draft, operator, operation[operator], childPath(path, operator), ctx);
    if (!result.ok) return result;
  }
  return success(true);
}

function applyOperator(draft: Draft, operator: Operator, arg: unknown, path: string, ctx: EngineContext): Outcome<true> {
  switch (operator) {
    case '$set':
    case '$set_once':
      return draft.properties.set(arg, path, { once: operator === '$set_once' });
    case '$add':
    case '$increment':
      return draft.properties.add(arg, path, operator);
    case '$append':
    case '$remove':
      return applyAppendOrRemove(draft, operator, arg, path, ctx);
    case '$unset':
      return applyUnset(draft, arg, path);
  }
}

function applyAppendOrRemove(draft: Draft, operator: '$append' | '$remove', arg: unknown, path: string, ctx: EngineContext): Outcome<true> {
  if (!isPlainObject(arg)) {
    const example = operator === '$append' ? '{"$email": "a@example.com", "tags": "vip"}' : '{"$email": "a@example.com"}';
    return failAt(path, `${operator} needs an object such as ${example}, got ${describeType(arg)}`);
  }
  const modifiers = parsePushModifiers(arg, path);
  if (!modifiers.ok) return modifiers;
  for (const key of Object.keys(arg)) {
    if (isPushModifier(key)) continue;
    const keyPath = childPath(path, key);
    const raw = arg[key];
    if (isChannel(key)) {
      // Counted before the values are read, so an oversized list costs nothing.
      const tooMany = draft.tally.add(key, Array.isArray(raw) ? raw.length : 1, keyPath);
      if (tooMany) return tooMany;
      const items = parseIdentityItems(key, raw, keyPath, modifiers.value);
      if (!items.ok) return items;
      for (const item of items.value) {
        if (operator === '$append') draft.identities.add(item, ctx);
        else draft.identities.remove(item.channel, item.key);
      }
      continue;
    }
    const next = operator === '$append' ? draft.properties.append(key, raw, keyPath) : draft.properties.remove(key, raw, keyPath);
    if (!next.ok) return next;
  }
  return success(true);
}

function applyUnset(draft: Draft, arg: unknown, path: string): Outcome<true> {
  let keys: unknown[];
  if (typeof arg === 'string') keys = [arg];
  else if (Array.isArray(arg)) keys = arg;
  else {
    return failAt(path, `$unset needs a list of property names or channels, e.g. ["name", "$email"], got ${describeType(arg)}`);
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'string') {
      return failAt(childPath(path, i), `expected a property name or channel (a string), got ${describeType(key)}`);
    }
    if (isChannel(key)) draft.identities.clear(key);
    else draft.properties.unset(key);
  }
  return success(true);
}
