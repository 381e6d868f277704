/**
 * The indexed drafts that make edits linear give the same results as the
 * obvious list-scanning rules: random edits of list properties and of email
 * identities, applied by applyOperations and by a naive model written here,
 * agree on success, on the properties (key order included) and on the
 * identities (order included).
 */
import fc from 'fast-check';
import t from 'tap';
import { applyOperations, jsonEqual, type Json, type JsonObject, type Profile } from '../../src/engine/index.js';
import { ctx1, deepFreeze, profileFrom } from './fixtures/helpers.js';

const SETTINGS = { seed: 20240602, numRuns: 1500 };

const KEYS = ['tags', 'other'] as const;
const EMAILS = ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io'];

/** Values that are equal in several spellings: key order, 1 and 1.0, -0 and 0, strings that look like JSON. */
const valueArb: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  'a',
  'b',
  '"a"',
  '{"x":1,"y":2}',
  1,
  -0,
  0,
  null,
  true,
  { x: 1, y: 2 },
  { y: 2, x: 1 },
  { x: [1, { p: null, q: 'a' }] },
  { x: [1, { q: 'a', p: null }] },
  ['a'],
  [],
);

const keyArb = fc.constantFrom(...KEYS);

const operationArb = fc.oneof(
  fc.record({ $append: fc.dictionary(keyArb, valueArb, { minKeys: 1, maxKeys: 2 }) }),
  fc.record({ $remove: fc.dictionary(keyArb, valueArb, { minKeys: 1, maxKeys: 2 }) }),
  fc.record({ $set: fc.dictionary(keyArb, fc.oneof(fc.array(valueArb, { maxLength: 5 }), valueArb), { minKeys: 1, maxKeys: 2 }) }),
  fc.record({ $set_once: fc.dictionary(keyArb, fc.array(valueArb, { maxLength: 3 }), { minKeys: 1, maxKeys: 1 }) }),
  fc.record({ $unset: fc.array(fc.constantFrom<string>(...KEYS, '$email'), { minLength: 1, maxLength: 2 }) }),
  fc.record({
    $append: fc.record({ $email: fc.oneof(fc.constantFrom(...EMAILS), fc.array(fc.constantFrom(...EMAILS), { maxLength: 3 })) }),
  }),
  fc.record({
    $remove: fc.record({ $email: fc.oneof(fc.constantFrom(...EMAILS), fc.array(fc.constantFrom(...EMAILS), { maxLength: 3 })) }),
  }),
  fc.record({
    $append: fc.record({ $email: fc.constantFrom(...EMAILS), tags: valueArb }),
    $remove: fc.record({ tags: valueArb, $email: fc.constantFrom(...EMAILS) }),
  }),
);

const startArb = fc.record({
  tags: fc.option(fc.oneof(fc.array(valueArb, { maxLength: 6 }), valueArb), { nil: undefined }),
  emails: fc.uniqueArray(fc.constantFrom(...EMAILS), { maxLength: 3 }),
});

/** The edit rules, the plain way: lists scanned with jsonEqual, objects and arrays copied. */
function model(start: Profile, operations: Array<Record<string, unknown>>): { properties: JsonObject; emails: string[] } | null {
  let properties: JsonObject = { ...start.properties };
  let emails = start.identities.map((identity) => identity.value as string);
  const asList = (raw: unknown) => (Array.isArray(raw) ? raw : [raw]) as string[];
  for (const operation of operations) {
    for (const operator of ['$set', '$set_once', '$append', '$remove', '$unset']) {
      if (!(operator in operation)) continue;
      const arg = operation[operator] as Record<string, Json>;
      if (operator === '$unset') {
        for (const key of arg as unknown as string[]) {
          if (key === '$email') emails = [];
          else {
            properties = { ...properties };
            delete properties[key];
          }
        }
        continue;
      }
      for (const key of Object.keys(arg)) {
        const value = arg[key] as Json;
        if (key === '$email') {
          for (const email of asList(value)) {
            if (operator === '$append' && !emails.includes(email)) emails = [...emails, email];
            if (operator === '$remove') emails = emails.filter((e) => e !== email);
          }
          continue;
        }
        const current = properties[key];
        if (operator === '$set') properties = { ...properties, [key]: value };
        else if (operator === '$set_once') {
          if (!(key in properties)) properties = { ...properties, [key]: value };
        } else if (operator === '$append') {
          if (current === undefined) properties = { ...properties, [key]: [value] };
          else if (!Array.isArray(current)) return null;
          else if (!current.some((element) => jsonEqual(element, value))) properties = { ...properties, [key]: [...current, value] };
        } else if (current !== undefined) {
          if (!Array.isArray(current)) return null;
          properties = { ...properties, [key]: current.filter((element) => !jsonEqual(element, value)) };
        }
      }
    }
  }
  return { properties, emails };
}

t.test('applyOperations agrees with the plain list-scanning rules', async (t) => {
  const details = fc.check(
    fc.property(startArb, fc.array(operationArb, { maxLength: 12 }), ({ tags, emails }, operations) => {
      const start = deepFreeze(profileFrom(tags === undefined ? { $email: emails } : { tags, $email: emails }));
      const expected = model(start, operations);
      const result = applyOperations(start, operations, ctx1);
      if (expected === null) return !result.ok;
      if (!result.ok) return false;
      // JSON text compares key order too (and both sides spell -0 as 0).
      if (JSON.stringify(result.profile.properties) !== JSON.stringify(expected.properties)) return false;
      return JSON.stringify(result.profile.identities.map((identity) => identity.value)) === JSON.stringify(expected.emails);
    }),
    SETTINGS,
  );
  t.notOk(details.failed, details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : `held over ${details.numRuns} edits`);
});

t.test('a list set with repeats keeps them until they are removed, all at once', async (t) => {
  const start = deepFreeze(profileFrom({ tags: ['a', { x: 1, y: 2 }, 'a', { y: 2, x: 1 }, 'b'] }));
  const appended = applyOperations(start, [{ $append: { tags: 'a' } }, { $append: { tags: { y: 2, x: 1 } } }], ctx1);
  t.same(appended.ok && appended.profile.properties.tags, ['a', { x: 1, y: 2 }, 'a', { y: 2, x: 1 }, 'b'], 'present: nothing added');
  const removed = applyOperations(start, [{ $remove: { tags: { x: 1, y: 2 } } }, { $append: { tags: { x: 1, y: 2 } } }], ctx1);
  t.same(
    removed.ok && removed.profile.properties.tags,
    ['a', 'a', 'b', { x: 1, y: 2 }],
    'both spellings removed, then one added at the end',
  );
});
