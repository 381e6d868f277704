/**
 * findInexactJson against a model: random JSON documents whose integer
 * literals range past ±(2^53 − 1), with keys and strings full of the
 * characters a scanner could trip on (quotes, escapes, brackets, digits).
 * It refuses a document exactly when one literal is beyond the exact range,
 * naming the first such literal's path, and refuses "__proto__" keys and
 * numbers beyond a double wherever they are.
 */
import t from 'tap';
import fc from 'fast-check';
import { childPath } from '../../src/engine/errors.js';
import { findInexactJson, MAX_EXACT_INTEGER } from '../../src/engine/jsonText.js';

const SETTINGS = { seed: 20261203, numRuns: 600 };

type Node = { int: bigint } | { str: string } | { arr: Node[] } | { obj: Array<[string, Node]> };

const trickyText = fc.string({
  unit: fc.constantFrom('a', '"', '\\', '[', ']', '{', '}', ',', ':', '1', '9', '-', 'e', '.', '\n', 'é', '😀'),
});
const LIMIT = 2n ** 60n;

const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.bigInt({ min: -LIMIT, max: LIMIT }).map((int) => ({ int })),
    fc.bigInt({ min: -(2n ** 53n) - 2n, max: 2n ** 53n + 2n }).map((int) => ({ int })),
    trickyText.map((str) => ({ str })),
    fc.array(tie('node'), { maxLength: 4 }).map((arr) => ({ arr })),
    fc
      .uniqueArray(
        fc.tuple(
          trickyText.filter((k) => k !== '__proto__'),
          tie('node'),
        ),
        { maxLength: 4, selector: ([k]) => k },
      )
      .map((obj) => ({ obj })),
  ),
}));

const space = fc.constantFrom('', ' ', '\n\t ');

function serialize(n: Node, ws: string): string {
  if ('int' in n) return n.int.toString();
  if ('str' in n) return JSON.stringify(n.str);
  if ('arr' in n) return `[${ws}${n.arr.map((c) => serialize(c, ws)).join(`${ws},${ws}`)}${ws}]`;
  return `{${ws}${n.obj.map(([k, c]) => `${JSON.stringify(k)}${ws}:${ws}${serialize(c, ws)}`).join(`,${ws}`)}${ws}}`;
}

const MAX = BigInt(MAX_EXACT_INTEGER);

/** The path of the first (in text order) integer beyond the exact range, or undefined. */
function firstInexact(n: Node, path: string): string | undefined {
  if ('int' in n) return n.int > MAX || n.int < -MAX ? path : undefined;
  if ('arr' in n) {
    for (const [i, c] of n.arr.entries()) {
      const found = firstInexact(c, childPath(path, i));
      if (found !== undefined) return found;
    }
  }
  if ('obj' in n) {
    for (const [k, c] of n.obj) {
      const found = firstInexact(c, childPath(path, k));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

t.test('refuses exactly the documents holding an integer beyond 2^53 − 1, naming the first', async (t) => {
  const details = fc.check(
    fc.property(node, space, (doc, ws) => {
      const text = serialize(doc, ws);
      const found = findInexactJson(text, JSON.parse(text));
      const expected = firstInexact(doc, '');
      if (expected === undefined) return found === undefined;
      return found !== undefined && found.error.path === expected && /is an integer beyond ±9007199254740991/.test(found.error.message);
    }),
    SETTINGS,
  );
  t.notOk(details.failed, details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : `held over ${details.numRuns} documents`);
});

t.test('"__proto__" keys and numbers beyond a double are refused at any depth', async (t) => {
  const cases: Array<[text: string, path: string]> = [
    ['{"__proto__":1}', '__proto__'],
    ['[[[{"a":{"__proto__":{}}}]]]', '[0][0][0].a.__proto__'],
    ['{"a":[1,2,1e309]}', 'a[2]'],
    ['{"a":{"b c":-1E+999}}', 'a["b c"]'],
  ];
  for (const [text, path] of cases) t.equal(findInexactJson(text, JSON.parse(text))?.error.path, path, text);
  const deep = `${'['.repeat(50_000)}1e999${']'.repeat(50_000)}`;
  t.match(findInexactJson(deep, JSON.parse(deep))?.error.message, /too large to keep/, 'nesting deeper than the call stack is walked');
  for (const text of ['{"constructor":{"prototype":1}}', '{"a":"__proto__"}', '[9007199254740991,-9007199254740991,1e308,0.1]']) {
    t.equal(findInexactJson(text, JSON.parse(text)), undefined, `kept: ${text}`);
  }
});
