/**
 * The matchers that replaced backtracking regular expressions: the email
 * check (engine) and fault-rule path patterns (compileGlob). Each accepts
 * exactly what the old pattern accepted (checked against it on small
 * inputs, where backtracking is harmless) and stays fast on the inputs
 * that made the old one take seconds or hours.
 */
import fc from 'fast-check';
import t from 'tap';
import { isEmail, MAX_EMAIL_LENGTH, parseIdentity } from '../../src/engine/index.js';
import { compileGlob } from '../../src/faults/faults.js';

const SETTINGS = { seed: 20240601, numRuns: 2000 };

/** The email pattern the engine used to apply. */
const OLD_EMAIL = /^\S+@\S+\.\S+$/;

/** The fault path pattern as it used to be compiled (with "s", as no request path holds a line break). */
function oldGlob(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const pattern = escaped.replace(/\*\*?/g, (stars) => (stars === '**' ? '.*' : '[^/]*'));
  return new RegExp(`^${pattern.replace(/\/$/, '')}/?$`, 's');
}

/** Wall-clock ms of `fn`. */
function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

t.test('isEmail accepts exactly what /^\\S+@\\S+\\.\\S+$/ accepts, up to the length bound', async (t) => {
  // Few letters, so "@", "." and whitespace of every kind meet often.
  const char = fc.constantFrom('a', 'b', '@', '.', ' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', 'é', '\ud83d');
  const details = fc.check(
    fc.property(fc.array(char, { maxLength: 24 }), (chars) => {
      const text = chars.join('');
      return isEmail(text) === OLD_EMAIL.test(text);
    }),
    SETTINGS,
  );
  t.notOk(details.failed, details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : `held over ${details.numRuns} strings`);

  for (const good of ['a@b.co', 'a@@b..c', '@a@b.c', 'a.b@c.d.e', 'a@b.c.']) t.equal(isEmail(good), OLD_EMAIL.test(good), good);
  t.equal(isEmail('@a@b.c'), true, 'an "@" later than the first character will do');
  t.equal(isEmail('a@b.'), false, 'a "." needs something after it');
  t.equal(isEmail('a@.b'), false, 'and something between it and the "@"');
});

t.test(`isEmail refuses addresses over ${MAX_EMAIL_LENGTH} characters, and says why`, async (t) => {
  const local = 'a'.repeat(64);
  const exact = `${local}@${'b'.repeat(MAX_EMAIL_LENGTH - local.length - 5)}.com`;
  t.equal(exact.length, MAX_EMAIL_LENGTH);
  t.equal(isEmail(exact), true, `${MAX_EMAIL_LENGTH} characters`);
  t.equal(isEmail(`b${exact}`), false, `${MAX_EMAIL_LENGTH + 1} characters`);

  const tooLong = parseIdentity('$email', `b${exact}`, '$email[0]');
  t.equal(tooLong.ok, false);
  if (!tooLong.ok) {
    t.match(tooLong.error.message, /^\$email\[0\]: "ba+@b+… is not a valid email address: it is longer than 320 characters$/);
    t.equal(tooLong.error.path, '$email[0]');
  }
  const invalid = parseIdentity('$email', 'not-an-email', '$email[0]');
  t.equal(invalid.ok ? '' : invalid.error.message, '$email[0]: "not-an-email" is not a valid email address', 'the usual message otherwise');
});

t.test('isEmail takes linear time on the texts that made the old pattern backtrack', async (t) => {
  const at320 = `${'@.'.repeat(159)}@ `;
  t.equal(at320.length, MAX_EMAIL_LENGTH);
  const huge = `${'@.'.repeat(500_000)} `;
  let results: boolean[] = [];
  const ms = timed(() => {
    results = [isEmail(at320), isEmail(huge), isEmail(`${'a'.repeat(MAX_EMAIL_LENGTH - 1)} `)];
  });
  t.same(results, [false, false, false]);
  t.ok(ms < 200, `checked in ${ms.toFixed(1)} ms`);

  // At the bound, a whitespace-free near miss is the slowest case: all of it is scanned, once.
  const nearMiss = `a@${'b'.repeat(MAX_EMAIL_LENGTH - 3)}.`;
  const loops = timed(() => {
    for (let i = 0; i < 10_000; i++) isEmail(nearMiss);
  });
  t.ok(loops < 1000, `10,000 near misses of ${MAX_EMAIL_LENGTH} characters in ${loops.toFixed(0)} ms`);
});

t.test('compileGlob matches exactly what the old regular expression matched', async (t) => {
  const globChar = fc.constantFrom('a', 'b', '/', '.', '*', '?', '+', '(', '\\');
  const pathChar = fc.constantFrom('a', 'b', '/', '.', '?', '+', '(', '\\');
  const details = fc.check(
    fc.property(fc.array(globChar, { maxLength: 10 }), fc.array(pathChar, { maxLength: 14 }), (globChars, pathChars) => {
      const glob = globChars.join('');
      const path = pathChars.join('');
      return compileGlob(glob)(path) === oldGlob(glob).test(path);
    }),
    SETTINGS,
  );
  t.notOk(details.failed, details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : `held over ${details.numRuns} pairs`);
});

t.test('compileGlob: the documented examples', async (t) => {
  const cases: Array<[string, string, boolean]> = [
    ['/v1/user/*/', '/v1/user/alice/', true],
    ['/v1/user/*/', '/v1/user/alice', true],
    ['/v1/user/*/', '/v1/user/alice/preference/', false],
    ['/v1/user/*', '/v1/user/', true],
    ['/event/**', '/event/', true],
    ['/event/**', '/event/a/b/c', true],
    ['/event/**', '/events/', false],
    ['**', '/anything/at/all/', true],
    ['*', '/v1/', false],
    ['*', 'v1/', true],
    ['/v1/user/*a*b/', '/v1/user/xaxb/', true],
    ['/v1/user/*a*b/', '/v1/user/xa/b/', false],
    ['/v1/***/x', '/v1/a/b/x', true],
    ['/', '', true],
    ['/', '/', true],
    ['/v1/user/?', '/v1/user/?', true],
    ['/v1/user/?', '/v1/user/x', false],
  ];
  for (const [glob, path, expected] of cases) t.equal(compileGlob(glob)(path), expected, `${glob} ~ ${path}`);
});

t.test('compileGlob does not backtrack on a hostile rule and a long path', async (t) => {
  const rules = ['/v1/user/*a*a*a*a*a*a*b/', '/**a**a**a**a**a**a**b', '/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'];
  const paths = [`/v1/user/${'a'.repeat(255)}/`, `/${'a/'.repeat(5000)}`, `/v1/user/${'a'.repeat(20_000)}`];
  for (const rule of rules) {
    const matches = compileGlob(rule);
    for (const path of paths) {
      let result = true;
      const ms = timed(() => {
        result = matches(path);
      });
      t.equal(result, false, `${rule} does not match a ${path.length}-character path`);
      t.ok(ms < 500, `${rule} against ${path.length} characters in ${ms.toFixed(1)} ms`);
    }
  }
  t.equal(compileGlob(rules[0]!)(`/v1/user/${'a'.repeat(250)}b/`), true, 'and still matches what it should');
});
