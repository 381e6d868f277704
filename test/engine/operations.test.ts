import t from 'tap';
import { applyOperations, EngineValidationError, newProfile } from '../../src/engine/index.js';
import { ctx0, ctx1, deepFreeze, edit, editError, pairs, profileFrom, snapshot, T0, T1 } from './fixtures/helpers.js';

const empty = () => newProfile(ctx0, null);

t.test('operations must be a list of objects', async (t) => {
  for (const bad of [null, undefined, {}, 'x', 3, { $set: { a: 1 } }]) {
    const error = editError(empty(), bad);
    t.equal(error.path, 'operations');
    t.match(error.message, /^operations must be a list of operation objects/);
  }
  for (const [bad, kind] of [
    [null, 'null'],
    [[], 'an array'],
    ['x', 'a string'],
    [1, 'a number'],
  ] as const) {
    const error = editError(empty(), [{ $set: { a: 1 } }, bad]);
    t.equal(error.path, 'operations[1]');
    t.equal(error.message, `operations[1]: each operation must be an object such as {"$set": {"name": "Ada"}}, got ${kind}`);
  }
});

t.test('an empty list changes nothing', async (t) => {
  const start = profileFrom({ name: 'Ada', $email: ['a@example.com'] });
  const result = applyOperations(deepFreeze(start), [], ctx1);
  t.equal(result.ok, true);
  if (result.ok) t.strictSame(result.profile, snapshot(start));
  t.strictSame(edit(start, [{}]), snapshot(start), 'an empty operation object changes nothing');
});

t.test('unknown operators are rejected', async (t) => {
  const error = editError(empty(), [{ $set: { a: 1 }, $foo: {} }]);
  t.equal(error.path, 'operations[0].$foo');
  t.equal(
    error.message,
    'operations[0].$foo: unknown operator "$foo"; expected one of $set, $set_once, $add, $increment, $append, $remove, $unset',
  );
  t.match(editError(empty(), [{ set: {} }]).message, /unknown operator "set"/);
});

t.test('$set sets and overwrites any JSON value', async (t) => {
  const start = profileFrom({ name: 'Old', keep: true });
  const profile = edit(start, [
    { $set: { name: 'Ada', age: 36, tags: ['a'], nested: { x: [1, { y: null }] }, nothing: null, $name: 'Ada L' } },
  ]);
  t.strictSame(profile.properties, {
    name: 'Ada',
    keep: true,
    age: 36,
    tags: ['a'],
    nested: { x: [1, { y: null }] },
    nothing: null,
    $name: 'Ada L',
  });
  t.match(
    editError(empty(), [{ $set: ['a'] }]).message,
    /^operations\[0\]\.\$set: \$set needs an object such as \{"name": "Ada"\}, got an array/,
  );
  t.match(editError(empty(), [{ $set: null }]).message, /\$set needs an object .*got null/);
});

t.test('$set validates $timezone, $preferred_language and $locale', async (t) => {
  const ok = edit(empty(), [{ $set: { $timezone: 'Asia/Kolkata', $preferred_language: 'hi', $locale: 'en_IN' } }]);
  t.strictSame(ok.properties, { $timezone: 'Asia/Kolkata', $preferred_language: 'hi', $locale: 'en_IN' });
  t.equal(
    editError(empty(), [{ $set: { $timezone: 'Mars/Base' } }]).message,
    'operations[0].$set.$timezone: "Mars/Base" is not an IANA time zone name, e.g. "America/New_York" or "UTC"',
  );
  t.match(
    editError(empty(), [{ $set: { $timezone: null } }]).message,
    /\$timezone must be an IANA time zone name such as "America\/New_York", got null/,
  );
  t.match(
    editError(empty(), [{ $set: { $preferred_language: 'EN' } }]).message,
    /\$preferred_language: "EN" is not a two-letter lower-case ISO 639-1 language code/,
  );
  t.match(editError(empty(), [{ $set: { $preferred_language: 'eng' } }]).message, /"eng" is not a two-letter/);
  t.match(editError(empty(), [{ $set: { $locale: '' } }]).message, /\$locale: \$locale must be a non-empty string/);
  t.match(
    editError(empty(), [{ $set_once: { $locale: 5 } }]).message,
    /\$set_once\.\$locale: \$locale must be a non-empty string such as "en_US", got a number/,
  );
});

t.test('$set_once only sets absent keys', async (t) => {
  const start = profileFrom({ name: 'Ada', nil: null });
  const profile = edit(start, [{ $set_once: { name: 'Grace', nil: 1, first_seen: '2024-01-01' } }, { $set_once: { first_seen: 'later' } }]);
  t.strictSame(profile.properties, { name: 'Ada', nil: null, first_seen: '2024-01-01' });
  t.match(
    editError(start, [{ $set_once: { $timezone: 'nope' } }]).message,
    /\$set_once\.\$timezone: "nope" is not an IANA time zone name/,
    'validated even when it would not apply',
  );
});

t.test('$add and $increment add numbers', async (t) => {
  const start = profileFrom({ logins: 2, score: 1.5 });
  const profile = edit(start, [{ $add: { logins: 3, score: -0.5, fresh: 7 } }, { $increment: { logins: 1 } }]);
  t.strictSame(profile.properties, { logins: 6, score: 1, fresh: 7 });
});

t.test('$add errors', async (t) => {
  const start = profileFrom({ logins: 'many', nil: null, list: [1] });
  t.equal(
    editError(start, [{ $set: { x: 1 } }, { $add: { logins: 1 } }]).message,
    'operations[1].$add.logins: cannot add to "logins" because its current value is a string, not a number',
  );
  t.equal(
    editError(profileFrom({ n: '5' }), [{ $add: { n: 1 } }]).message,
    'operations[0].$add.n: cannot add to "n" because its current value is a string, not a number',
    'numeric strings are not numbers',
  );
  t.match(editError(start, [{ $add: { nil: 1 } }]).message, /current value is null, not a number/);
  t.match(
    editError(start, [{ $increment: { list: 1 } }]).message,
    /\$increment\.list: cannot add to "list" because its current value is an array, not a number/,
  );
  t.equal(editError(start, [{ $add: { count: '1' } }]).message, 'operations[0].$add.count: $add needs a number for "count", got a string');
  t.match(editError(start, [{ $add: { count: null } }]).message, /\$add needs a number for "count", got null/);
  t.match(editError(start, [{ $add: 5 }]).message, /^operations\[0\]\.\$add: \$add needs an object such as \{"logins": 1\}, got a number/);
  t.match(editError(start, [{ $add: { $timezone: 1 } }]).message, /\$timezone is a text property; it cannot be used with \$add/);
  t.match(editError(profileFrom({ big: Number.MAX_VALUE }), [{ $add: { big: Number.MAX_VALUE } }]).message, /too large/);
  t.equal(
    editError(profileFrom({ count: Number.MAX_SAFE_INTEGER }), [{ $add: { count: 1 } }]).message,
    'operations[0].$add.count: adding 1 to "count" gives an integer beyond ±9007199254740991 (2^53 − 1), which would not be kept exactly',
    'a counter is never rounded past 2^53 − 1',
  );
  t.match(editError(profileFrom({ count: -Number.MAX_SAFE_INTEGER }), [{ $add: { count: -1 } }]).message, /beyond ±9007199254740991/);
  t.equal(edit(profileFrom({ count: Number.MAX_SAFE_INTEGER - 1 }), [{ $add: { count: 1 } }]).properties.count, Number.MAX_SAFE_INTEGER);
  t.equal(edit(profileFrom({ x: 1e300 }), [{ $add: { x: 1e300 } }]).properties.x, 2e300, 'decimals add as doubles');
});

t.test('$append to properties has set semantics', async (t) => {
  const start = profileFrom({ tags: ['a', { k: 1, j: 2 }] });
  const profile = edit(start, [
    { $append: { tags: 'b', fresh: 'x', lists: [1, 2] } },
    { $append: { tags: 'a', lists: [1, 2] } },
    { $append: { tags: { j: 2, k: 1 }, lists: [2, 1] } },
  ]);
  t.strictSame(profile.properties, {
    tags: ['a', { k: 1, j: 2 }, 'b'],
    fresh: ['x'],
    lists: [
      [1, 2],
      [2, 1],
    ],
  });
});

t.test('$append to a non-list property is an error', async (t) => {
  const start = profileFrom({ tags: 'vip', n: 1, o: { a: 1 } });
  t.equal(
    editError(start, [{ $append: { tags: 'x' } }]).message,
    'operations[0].$append.tags: cannot append to "tags": its current value is not a list (it is a string)',
  );
  t.match(editError(start, [{ $append: { n: 1 } }]).message, /cannot append to "n": its current value is not a list \(it is a number\)/);
  t.match(editError(start, [{ $append: { o: 1 } }]).message, /cannot append to "o": its current value is not a list \(it is an object\)/);
  t.match(editError(start, [{ $append: 'tags' }]).message, /^operations\[0\]\.\$append: \$append needs an object/);
  t.match(editError(start, [{ $append: { $locale: 'en' } }]).message, /\$locale holds a single value, not a list; use \$set instead/);
});

t.test('$remove from properties', async (t) => {
  const start = profileFrom({ tags: ['a', 'b', 'a', { x: [1] }, [1, 2]], name: 'Ada' });
  const profile = edit(start, [{ $remove: { tags: 'a', absent: 'x' } }, { $remove: { tags: { x: [1] } } }, { $remove: { tags: [1, 2] } }]);
  t.strictSame(profile.properties, { tags: ['b'], name: 'Ada' });
  t.equal(
    editError(start, [{ $remove: { name: 'A' } }]).message,
    'operations[0].$remove.name: cannot remove from "name": its current value is not a list (it is a string)',
  );
  t.match(editError(start, [{ $remove: [] }]).message, /^operations\[0\]\.\$remove: \$remove needs an object/);
});

t.test('$unset of properties', async (t) => {
  const start = profileFrom({ a: 1, b: 2, c: 3 });
  t.strictSame(edit(start, [{ $unset: ['a', 'missing'] }]).properties, { b: 2, c: 3 });
  t.strictSame(edit(start, [{ $unset: 'b' }]).properties, { a: 1, c: 3 });
  t.strictSame(edit(start, [{ $unset: [] }]).properties, { a: 1, b: 2, c: 3 });
  t.equal(
    editError(start, [{ $unset: { a: true } }]).message,
    'operations[0].$unset: $unset needs a list of property names or channels, e.g. ["name", "$email"], got an object',
  );
  t.equal(
    editError(start, [{ $unset: ['a', 1] }]).message,
    'operations[0].$unset[1]: expected a property name or channel (a string), got a number',
  );
});

t.test('keys inside one operation apply in a fixed order', async (t) => {
  // JSON order is reversed on purpose: $unset, $remove, $append, $add, $set_once, $set.
  const profile = edit(empty(), [
    JSON.parse(
      '{"$unset": ["gone"], "$remove": {"tags": "a"}, "$append": {"tags": "a"}, "$add": {"n": 1}, "$set_once": {"n": 10, "gone": 1}, "$set": {"n": 5}}',
    ),
  ]);
  // $set n=5, $set_once n stays 5 and gone=1, $add n=6, $append tags=["a"], $remove tags=[], $unset gone.
  t.strictSame(profile.properties, { n: 6, tags: [] });
  const withEmail = edit(empty(), [JSON.parse('{"$remove": {"$email": "a@example.com"}, "$append": {"$email": "a@example.com"}}')]);
  t.strictSame(pairs(withEmail), [], '$append runs before $remove');
  const unsetLast = edit(empty(), [{ $unset: ['$email'], $append: { $email: 'a@example.com' } }]);
  t.strictSame(pairs(unsetLast), [], '$unset runs after $append');
});

t.test('operation objects apply in list order', async (t) => {
  const profile = edit(empty(), [{ $unset: ['$email'] }, { $append: { $email: 'a@example.com' } }, { $set: { a: 1 } }, { $set: { a: 2 } }]);
  t.strictSame(pairs(profile), [['$email', 'a@example.com']]);
  t.strictSame(profile.properties, { a: 2 });
});

t.test('a failure anywhere fails the whole call and leaves the input untouched', async (t) => {
  const start = deepFreeze(profileFrom({ name: 'Ada', tags: ['x'], $email: ['a@example.com'] }, 'inbox-1'));
  const before = snapshot(start);
  const result = applyOperations(
    start,
    [
      { $set: { name: 'Grace' }, $append: { $email: 'b@example.com', tags: 'y' } },
      { $unset: ['$inbox'], $add: { count: 1 } },
      { $add: { name: 1 } },
    ],
    ctx1,
  );
  t.equal(result.ok, false);
  if (!result.ok) {
    t.type(result.error, EngineValidationError);
    t.equal(result.error.path, 'operations[2].$add.name');
    t.equal(result.error.name, 'EngineValidationError');
  }
  t.strictSame(snapshot(start), before);
  t.equal(Object.keys(result).join(','), 'ok,error', 'nothing partially applied is returned');
});

t.test('the input profile is never mutated on success', async (t) => {
  const start = deepFreeze(
    profileFrom({ name: 'Ada', tags: ['x'], n: 1, $email: ['a@example.com'], $slack: [{ access_token: 'x', user_id: 'U' }] }, 'inbox-1'),
  );
  const before = snapshot(start);
  const profile = edit(start, [
    {
      $set: { name: 'Grace' },
      $set_once: { first: 1 },
      $add: { n: 2 },
      $append: { tags: 'y', $email: ['a@example.com', 'b@example.com'] },
    },
    { $remove: { tags: 'x', $slack: { user_id: 'U', access_token: 'x' } }, $unset: ['$inbox', 'name'] },
  ]);
  t.strictSame(snapshot(start), before);
  t.strictSame(profile.properties, { tags: ['y'], n: 3, first: 1 });
  t.strictSame(pairs(profile), [
    ['$email', 'a@example.com'],
    ['$email', 'b@example.com'],
  ]);
  t.strictSame(
    profile.identities.map((i) => [i.createdAt, i.updatedAt]),
    [
      [T0, T1],
      [T1, T1],
    ],
  );
});

t.test('values stored from operations are copies of the input', async (t) => {
  const tags = ['a'];
  const operations = [{ $set: { list: tags, obj: { k: tags } } }];
  const profile = edit(empty(), operations);
  tags.push('b');
  t.strictSame(profile.properties, { list: ['a'], obj: { k: ['a'] } });
});

t.test('non-JSON and too deeply nested values are rejected', async (t) => {
  t.match(editError(empty(), [{ $set: { a: Number.NaN } }]).message, /^operations\[0\]\.\$set\.a: numbers must be finite/);
  t.match(
    editError(empty(), [{ $set: { a: [1, undefined] } }]).message,
    /^operations\[0\]\.\$set\.a\[1\]: expected a JSON value, got nothing/,
  );
  t.match(editError(empty(), [{ $set: { a: new Date(0) } }]).message, /expected a JSON value, got an object/);
  let deep: unknown = 1;
  for (let i = 0; i < 150; i++) deep = [deep];
  t.match(editError(empty(), [{ $set: { deep } }]).message, /nested more than 100 levels deep/);
  let ok: unknown = 1;
  for (let i = 0; i < 99; i++) ok = [ok];
  t.equal(edit(empty(), [{ $set: { ok } }]).properties.ok !== undefined, true);
});

t.test('unusual property keys are handled as plain keys', async (t) => {
  const operations = JSON.parse(
    '[{"$set": {"__proto__": {"polluted": true}, "constructor": 1, "a b": 2}}, {"$add": {"toString": 3}}, {"$append": {"hasOwnProperty": "x"}}]',
  );
  const profile = edit(empty(), operations);
  t.strictSame(Object.keys(profile.properties), ['__proto__', 'constructor', 'a b', 'toString', 'hasOwnProperty']);
  t.equal(Object.getPrototypeOf(profile.properties), Object.prototype);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  t.strictSame(
    JSON.parse(JSON.stringify(profile.properties)),
    JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "a b": 2, "toString": 3, "hasOwnProperty": ["x"]}'),
  );
  t.equal(editError(empty(), [{ $append: { 'a b': 1 } }, { $add: { 'a b': 1 } }]).path, 'operations[1].$add["a b"]');
  const unset = edit(profile, [{ $unset: ['__proto__', 'constructor'] }]);
  t.strictSame(Object.keys(unset.properties), ['a b', 'toString', 'hasOwnProperty']);
});

t.test('identities changed by an apply get updatedAt = ctx.now; others keep theirs', async (t) => {
  const start = profileFrom({ $email: ['a@example.com', 'b@example.com'], $sms: ['+15555550123'] });
  const profile = edit(start, [{ $append: { $email: 'b@example.com', $whatsapp: '+15555550124' }, $set: { x: 1 } }]);
  t.strictSame(
    profile.identities.map((i) => [i.value, i.createdAt, i.updatedAt]),
    [
      ['a@example.com', T0, T0],
      ['b@example.com', T0, T1],
      ['+15555550123', T0, T0],
      ['+15555550124', T1, T1],
    ],
  );
});
