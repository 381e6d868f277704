import t from 'tap';
import { canonicalKey, jsonEqual, stableStringify } from '../../src/engine/index.js';

t.test('canonicalKey of strings keeps them as they are behind a prefix', async (t) => {
  t.equal(canonicalKey('a@example.com'), 's:a@example.com');
  t.equal(canonicalKey(''), 's:');
});

t.test('canonicalKey of objects sorts keys recursively and keeps array order', async (t) => {
  t.equal(canonicalKey({ b: 1, a: { d: [2, 1], c: null } }), 'o:{"a":{"c":null,"d":[2,1]},"b":1}');
  t.equal(canonicalKey({ b: 1, a: 2 }), canonicalKey({ a: 2, b: 1 }));
  t.not(canonicalKey({ a: [1, 2] }), canonicalKey({ a: [2, 1] }));
});

t.test('strings and objects never collide', async (t) => {
  t.not(canonicalKey('{}'), canonicalKey({}));
  t.not(canonicalKey('o:{}'), canonicalKey({}));
  t.equal(canonicalKey({}), 'o:{}');
});

t.test('canonicalKey handles unusual keys', async (t) => {
  const withProto = JSON.parse('{"__proto__": 1, "a": "x"}') as Record<string, number | string>;
  t.equal(canonicalKey(withProto), 'o:{"__proto__":1,"a":"x"}');
  t.equal(stableStringify({ 'a"b': 'c\n' }), '{"a\\"b":"c\\n"}');
});

t.test('jsonEqual compares structurally, ignoring key order', async (t) => {
  t.equal(jsonEqual({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 }), true);
  t.equal(jsonEqual([1, 2], [2, 1]), false);
  t.equal(jsonEqual({ a: 1 }, { a: 1, b: 2 }), false);
  t.equal(jsonEqual({ a: undefined }, { b: undefined }), false);
  t.equal(jsonEqual(1, '1'), false);
  t.equal(jsonEqual(null, {}), false);
  t.equal(jsonEqual([], {}), false);
  t.equal(jsonEqual('x', 'x'), true);
  t.equal(jsonEqual(null, null), true);
  t.equal(jsonEqual([[1]], [[1]]), true);
  t.equal(jsonEqual([[1]], [[1, 2]]), false);
});
