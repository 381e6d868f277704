/**
 * `applyOperations`: the edit endpoint's list of operation objects, applied in
 * order to a profile. Atomic: the first invalid operation fails the whole call
 * and nothing is returned but the error.
 */
import { childPath, describeType, failAt, failWith, success, type Outcome } from './errors.js';
import {
  addIdentity,
  clearChannel,
  isChannel,
  isPushModifier,
  parseIdentityItems,
  parsePushModifiers,
  removeIdentity,
} from './identities.js';
import { isPlainObject } from './json.js';
import { addToProperties, appendToProperty, removeFromProperty, setProperties, unsetProperty } from './properties.js';
import type { EngineContext, EngineResult, Identity, JsonObject, Profile } from './types.js';

/** The operators, in the order they apply within one operation object. */
export const OPERATORS = ['$set', '$set_once', '$add', '$increment', '$append', '$remove', '$unset'] as const;
export type Operator = (typeof OPERATORS)[number];

const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);

/** The working state of one call: private copies, replaced (never mutated in place) as operators apply. */
interface Draft {
  properties: JsonObject;
  identities: Identity[];
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
  let draft: Draft = { properties: profile.properties, identities: profile.identities };
  for (let i = 0; i < operations.length; i++) {
    const result = applyOperation(draft, operations[i], childPath('operations', i), ctx);
    if (!result.ok) return result;
    draft = result.value;
  }
  return {
    ok: true,
    profile: { properties: { ...draft.properties }, identities: draft.identities.slice() },
  };
}

function applyOperation(draft: Draft, operation: unknown, path: string, ctx: EngineContext): Outcome<Draft> {
  if (!isPlainObject(operation)) {
    return failAt(path, `each operation must be an object such as {"$set": {"name": "Ada"}}, got ${describeType(operation)}`);
  }
  for (const key of Object.keys(operation)) {
    if (!OPERATOR_SET.has(key)) {
      return failAt(childPath(path, key), `unknown operator ${JSON.stringify(key)}; expected one of ${OPERATORS.join(', ')}`);
    }
  }
  let current = draft;
  for (const operator of OPERATORS) {
    if (!Object.hasOwn(operation, operator)) continue;
    const result = applyOperator(current, operator, operation[operator], childPath(path, operator), ctx);
    if (!result.ok) return result;
    current = result.value;
  }
  return success(current);
}

function applyOperator(draft: Draft, operator: Operator, arg: unknown, path: string, ctx: EngineContext): Outcome<Draft> {
  switch (operator) {
    case '$set':
    case '$set_once': {
      const properties = setProperties(draft.properties, arg, path, { once: operator === '$set_once' });
      return properties.ok ? success({ ...draft, properties: properties.value }) : properties;
    }
    case '$add':
    case '$increment': {
      const properties = addToProperties(draft.properties, arg, path, operator);
      return properties.ok ? success({ ...draft, properties: properties.value }) : properties;
    }
    case '$append':
    case '$remove':
      return applyAppendOrRemove(draft, operator, arg, path, ctx);
    case '$unset':
      return applyUnset(draft, arg, path);
  }
}

function applyAppendOrRemove(
  draft: Draft,
  operator: '$append' | '$remove',
  arg: unknown,
  path: string,
  ctx: EngineContext,
): Outcome<Draft> {
  if (!isPlainObject(arg)) {
    const example = operator === '$append' ? '{"$email": "a@example.com", "tags": "vip"}' : '{"$email": "a@example.com"}';
    return failAt(path, `${operator} needs an object such as ${example}, got ${describeType(arg)}`);
  }
  const modifiers = parsePushModifiers(arg, path);
  if (!modifiers.ok) return modifiers;
  let { properties, identities } = draft;
  for (const key of Object.keys(arg)) {
    if (isPushModifier(key)) continue;
    const keyPath = childPath(path, key);
    const raw = arg[key];
    if (isChannel(key)) {
      const items = parseIdentityItems(key, raw, keyPath, modifiers.value);
      if (!items.ok) return items;
      for (const item of items.value) {
        identities = operator === '$append' ? addIdentity(identities, item, ctx) : removeIdentity(identities, item.channel, item.key);
      }
      continue;
    }
    const next =
      operator === '$append' ? appendToProperty(properties, key, raw, keyPath) : removeFromProperty(properties, key, raw, keyPath);
    if (!next.ok) return next;
    properties = next.value;
  }
  return success({ properties, identities });
}

function applyUnset(draft: Draft, arg: unknown, path: string): Outcome<Draft> {
  let keys: unknown[];
  if (typeof arg === 'string') keys = [arg];
  else if (Array.isArray(arg)) keys = arg;
  else {
    return failAt(path, `$unset needs a list of property names or channels, e.g. ["name", "$email"], got ${describeType(arg)}`);
  }
  let { properties, identities } = draft;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'string') {
      return failAt(childPath(path, i), `expected a property name or channel (a string), got ${describeType(key)}`);
    }
    if (isChannel(key)) identities = clearChannel(identities, key);
    else properties = unsetProperty(properties, key);
  }
  return success({ properties, identities });
}
