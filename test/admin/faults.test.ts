/**
 * Injected faults through /_emulator/faults: a chosen status, a delay, or
 * both, for requests matching method, path pattern and workspace; count-limited
 * rules expiring; seeded probabilities; the X-Emulator-Fault header when enabled.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { adminOk } from './fixtures/admin.js';
import { type ErrorBody, admin, api, build, expectJson, WS_A, WS_B } from '../helpers/index.js';

const A = WS_A.api_keys[0]!;
const B = WS_B.api_keys[0]!;

interface Rule {
  id: string;
  method?: string;
  path: string;
  workspace?: string;
  status?: number;
  body?: unknown;
  delay_ms?: number;
  probability: number;
  count?: number;
  hits: number;
}

/** As a server started from the command line runs (the first test checks the routes with validation on). */
const NO_RESPONSE_VALIDATION = { validateResponses: false } as const;

const rules = async (t: Test, app: FastifyInstance) =>
  (await adminOk<{ faults: Rule[] }>(t, app, 'GET', '/_emulator/faults', undefined, 200)).faults;

t.test('the fault routes answer according to their declared response schemas', async (t) => {
  const app = await build(t); // validateResponses: true
  const added = await admin(app, 'POST', '/_emulator/faults', { method: 'get', path: '/v1/user/*/', status: 503, count: 2 });
  t.equal(added.statusCode, 201, `POST /_emulator/faults answers 201 (got ${added.statusCode}: ${added.body.slice(0, 200)})`);
  const listed = await admin(app, 'GET', '/_emulator/faults');
  t.equal(listed.statusCode, 200, `GET /_emulator/faults answers 200 (got ${listed.statusCode}: ${listed.body.slice(0, 200)})`);
  if (listed.statusCode === 200) t.equal((JSON.parse(listed.body) as { faults: unknown[] }).faults.length, 1);
});

t.test('a count-limited rule answers the chosen status, then expires', async (t) => {
  const app = await build(t, NO_RESPONSE_VALIDATION);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, { name: 'Alice' }), 201, 'seed');
  const rule = await adminOk<Rule>(t, app, 'POST', '/_emulator/faults', { method: 'get', path: '/v1/user/*/', status: 503, count: 2 }, 201);
  t.match(rule.id, /^\S+$/, 'the rule has an id');
  t.same(
    { ...rule, id: 'x' },
    { id: 'x', method: 'GET', path: '/v1/user/*/', status: 503, count: 2, probability: 1, hits: 0 },
    'the rule as stored (method upper-cased)',
  );
  t.same(await rules(t, app), [rule], 'listed');
  const status = await adminOk<{ fault_rules: number }>(t, app, 'GET', '/_emulator/status', undefined, 200);
  t.equal(status.fault_rules, 1, 'status counts it');

  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, { name: 'Alice 2' }), 201, 'another method is not hit');
  expectJson(t, await api(app, 'GET', '/v1/user/alice/merge/', A), 405, 'a deeper path is not hit by "*"');
  for (const n of [1, 2]) {
    const res = await api(app, 'GET', '/v1/user/alice/', A);
    t.equal(res.statusCode, 503, `hit ${n}: 503`);
    t.match(String(res.headers['content-type']), /^application\/json/);
    const body = JSON.parse(res.body) as { code: number; message: string };
    t.equal(body.code, 503, `hit ${n}: SuprSend's error form, code = status`);
    t.match(body.message, /fault/i, `hit ${n}: the message says it was injected`);
    if (n === 1)
      t.same(
        (await rules(t, app)).map((r) => r.hits),
        [1],
        'hits counted',
      );
  }
  t.same(await rules(t, app), [], 'the rule expired after 2 hits');
  const ok = expectJson<{ properties: unknown }>(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'the third request is served');
  t.same(ok.properties, { name: 'Alice 2' });
  expectJson(t, await api(app, 'GET', '/v1/user/alice', A), 200, 'and the path without its slash too');

  const journal = await adminOk<{ entries: { status: number; error: string | null }[] }>(
    t,
    app,
    'GET',
    '/_emulator/journal?status=503',
    undefined,
    200,
  );
  t.equal(journal.entries.length, 2, 'the injected answers are journalled');
  t.ok(
    journal.entries.every((e) => e.error?.includes(rule.id)),
    'naming the rule',
  );
});

t.test('path patterns, workspace scope, first rule wins, custom body', async (t) => {
  const app = await build(t, NO_RESPONSE_VALIDATION);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, {}), 201, 'alice in A');
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', B, {}), 201, 'alice in B');

  const scoped = await adminOk<Rule>(t, app, 'POST', '/_emulator/faults', { workspace: 'other', path: '/v1/user/**', status: 500 }, 201);
  expectJson(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'workspace "default" is not hit');
  expectJson(t, await api(app, 'GET', '/v1/user/alice/', B), 500, 'workspace "other" is hit');
  expectJson(t, await api(app, 'GET', '/v1/user/alice/subscribed_to/list/', B), 500, '"**" matches across segments');
  expectJson(t, await api(app, 'POST', '/event/', B, { distinct_id: 'x', event: 'E', properties: {} }), 202, 'other paths are not hit');
  expectJson(t, await admin(app, 'POST', '/_emulator/faults', { workspace: 'nope', status: 500 }), 404, 'a rule for an unknown workspace');
  t.equal(scoped.hits, 0);
  expectJson(t, await admin(app, 'DELETE', `/_emulator/faults/${scoped.id}`), 204, 'delete it');

  await adminOk(
    t,
    app,
    'POST',
    '/_emulator/faults',
    { path: '/v1/user/alice/', status: 429, body: { code: 429, message: 'slow down' } },
    201,
  );
  await adminOk(t, app, 'POST', '/_emulator/faults', { path: '/v1/user/*/', status: 500 }, 201);
  const first = await api(app, 'GET', '/v1/user/alice/', A);
  t.equal(first.statusCode, 429, 'the first matching rule decides');
  t.same(JSON.parse(first.body), { code: 429, message: 'slow down' }, 'with the chosen body');
  expectJson(t, await api(app, 'GET', '/v1/user/bob/', A), 500, 'the second rule for other users');

  // Faults never touch the control plane or the health check.
  await adminOk(t, app, 'POST', '/_emulator/faults', { path: '/**', status: 502 }, 201);
  expectJson(t, await api(app, 'GET', '/v1/subscriber_list/', A), 502, 'a catch-all rule hits the API');
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'but not /healthz');
  t.equal((await rules(t, app)).length, 3, 'nor the control plane');

  expectJson(t, await admin(app, 'DELETE', '/_emulator/faults'), 204, 'delete all');
  t.same(await rules(t, app), []);
  expectJson(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'served again');
  expectJson(t, await admin(app, 'DELETE', '/_emulator/faults/fault_missing'), 404, 'deleting an unknown rule');
});

t.test('delay_ms delays the answer, alone or with a status', async (t) => {
  const app = await build(t, NO_RESPONSE_VALIDATION);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, {}), 201, 'seed');
  await adminOk(t, app, 'POST', '/_emulator/faults', { method: 'GET', path: '/v1/user/alice/', delay_ms: 150, count: 1 }, 201);
  let start = performance.now();
  const slow = await api(app, 'GET', '/v1/user/alice/', A);
  let elapsed = performance.now() - start;
  t.equal(slow.statusCode, 200, 'a delay alone still serves the request');
  t.ok(elapsed >= 140, `took at least the delay (${elapsed.toFixed(0)} ms)`);

  start = performance.now();
  expectJson(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'the rule expired');
  t.ok(performance.now() - start < 140, 'no delay after it expired');

  await adminOk(t, app, 'POST', '/_emulator/faults', { path: '/v1/user/alice/', delay_ms: 100, status: 504 }, 201);
  start = performance.now();
  const both = await api(app, 'GET', '/v1/user/alice/', A);
  elapsed = performance.now() - start;
  t.equal(both.statusCode, 504, 'delay and status');
  t.ok(elapsed >= 90, `after the delay (${elapsed.toFixed(0)} ms)`);
});

/** Which of 24 GETs a probability-0.5 rule hits on a fresh app with this seed. */
async function hitPattern(t: Test, seed: string): Promise<string> {
  const app = await build(t, { ...NO_RESPONSE_VALIDATION, deterministicSeed: seed, clockStart: '2025-01-01T00:00:00Z' });
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, {}), 201, 'seed');
  const rule = await adminOk<Rule>(t, app, 'POST', '/_emulator/faults', { path: '/v1/user/*/', status: 503, probability: 0.5 }, 201);
  let pattern = '';
  for (let i = 0; i < 24; i++) {
    const res = await api(app, 'GET', '/v1/user/alice/', A);
    pattern += res.statusCode === 503 ? 'X' : res.statusCode === 200 ? '.' : '?';
  }
  const [stored] = await rules(t, app);
  t.equal(stored?.id, rule.id);
  t.equal(stored?.hits, pattern.split('X').length - 1, 'hits equals the requests answered 503');
  await app.close();
  return pattern;
}

t.test('probability with DETERMINISTIC_SEED repeats exactly on a fresh app', async (t) => {
  const first = await hitPattern(t, 'fault-dice');
  const second = await hitPattern(t, 'fault-dice');
  t.equal(second, first, `the same hit pattern on both runs (${first})`);
  t.notOk(first.includes('?'), 'every request answered 200 or 503');
  const hits = first.split('X').length - 1;
  t.ok(hits > 0 && hits < 24, `some requests hit, some not (${hits}/24)`);
});

t.test('the X-Emulator-Fault header works only when FAULT_HEADER is on', async (t) => {
  const on = await build(t, { ...NO_RESPONSE_VALIDATION, faultHeader: true });
  expectJson(t, await api(on, 'POST', '/v1/user/alice/', A, {}), 201, 'seed (on)');
  let start = performance.now();
  const hit = await api(on, 'GET', '/v1/user/alice/', A, undefined, { 'x-emulator-fault': 'status=503; delay=50' });
  const elapsed = performance.now() - start;
  t.equal(hit.statusCode, 503, 'the header answers its status');
  t.equal((JSON.parse(hit.body) as { code: number }).code, 503);
  t.ok(elapsed >= 45, `after its delay (${elapsed.toFixed(0)} ms)`);
  const delayOnly = await api(on, 'GET', '/v1/user/alice/', A, undefined, { 'x-emulator-fault': 'delay=10' });
  t.equal(delayOnly.statusCode, 200, 'a delay alone serves the request');
  expectJson(t, await api(on, 'POST', '/v1/user/bob/', A, { n: 1 }, { 'x-emulator-fault': 'status=500' }), 500, 'any method');
  expectJson(t, await api(on, 'GET', '/v1/user/bob/', A), 404, 'the faulted upsert did not happen');
  expectJson(
    t,
    await api(on, 'GET', '/v1/user/alice/', A, undefined, { 'x-emulator-fault': 'status=abc' }),
    200,
    'a malformed header is ignored',
  );
  expectJson(t, await api(on, 'GET', '/v1/user/alice/', A), 200, 'no header, no fault');

  const off = await build(t, NO_RESPONSE_VALIDATION);
  expectJson(t, await api(off, 'POST', '/v1/user/alice/', A, {}), 201, 'seed (off)');
  start = performance.now();
  const ignored = await api(off, 'GET', '/v1/user/alice/', A, undefined, { 'x-emulator-fault': 'status=503; delay=50' });
  t.equal(ignored.statusCode, 200, 'FAULT_HEADER off: the header is ignored');
});

t.test('bad rules are refused with 400', async (t) => {
  const app = await build(t, NO_RESPONSE_VALIDATION);
  const bad: [string, unknown][] = [
    ['neither status nor delay', { path: '/v1/user/*/' }],
    ['status 99', { status: 99 }],
    ['status 600', { status: 600 }],
    ['status not a number', { status: '503' }],
    ['a negative delay', { delay_ms: -1 }],
    ['a delay over a minute', { delay_ms: 60_001 }],
    ['probability 0', { status: 500, probability: 0 }],
    ['probability above 1', { status: 500, probability: 1.5 }],
    ['count 0', { status: 500, count: 0 }],
    ['a fractional count', { status: 500, count: 1.5 }],
    ['an empty path', { status: 500, path: '' }],
    ['an array', [{ status: 500 }]],
    ['not JSON', '{"status": '],
  ];
  for (const [what, body] of bad) {
    const err = expectJson<ErrorBody>(t, await admin(app, 'POST', '/_emulator/faults', body), 400, what);
    t.equal(err.code, 400, `${what}: code 400`);
  }
  t.same(await rules(t, app), [], 'no rule was added');
});
