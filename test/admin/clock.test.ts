/**
 * The emulator clock through /_emulator/clock (freeze, advance, set, resume,
 * state), CLOCK_START, and deterministic mode: two fresh servers with the same
 * DETERMINISTIC_SEED and CLOCK_START answer the same requests byte for byte.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { adminOk, asConfig, type WireWorkspace } from './fixtures/admin.js';
import { inboxIdentities, admin, api, build, expectJson, signed, TIMESTAMP, type WireUser, WS_A } from '../helpers/index.js';

const A = WS_A.api_keys[0]!;

interface ClockState {
  mode: 'running' | 'frozen';
  now: string;
  offset_us: number;
}

const clock = (t: Test, app: FastifyInstance, body?: unknown) =>
  body === undefined
    ? adminOk<ClockState>(t, app, 'GET', '/_emulator/clock', undefined, 200)
    : adminOk<ClockState>(t, app, 'POST', '/_emulator/clock', body, 200);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('freeze, advance, set and resume', async (t) => {
  const app = await build(t);
  const initial = await clock(t, app);
  t.equal(initial.mode, 'running', 'the clock runs by default');
  t.match(initial.now, TIMESTAMP);
  t.ok(Math.abs(Date.parse(initial.now) - Date.now()) < 5_000, 'near the wall clock');

  const frozen = await clock(t, app, { action: 'freeze', at: '2025-01-01T00:00:00Z' });
  t.same(frozen.mode, 'frozen');
  t.equal(frozen.now, '2025-01-01T00:00:00.000000+00:00', 'frozen at the given time, in SuprSend format');
  const user = expectJson<WireUser>(t, await api(app, 'POST', '/v1/user/alice/', A, { n: 1 }), 201, 'upsert while frozen');
  t.equal(user.created_at, '2025-01-01T00:00:00.000000+00:00', 'created_at is the frozen time');
  t.equal(user.updated_at, '2025-01-01T00:00:00.000000+00:00', 'updated_at is the frozen time');
  await sleep(20);
  const second = expectJson<WireUser>(t, await api(app, 'POST', '/v1/user/bob/', A, {}), 201, 'another upsert later');
  t.equal(second.created_at, '2025-01-01T00:00:00.000000+00:00', 'time does not move while frozen');
  t.equal((await clock(t, app)).now, '2025-01-01T00:00:00.000000+00:00', 'GET shows the same frozen time');

  const advanced = await clock(t, app, { action: 'advance', ms: 1500 });
  t.same([advanced.mode, advanced.now], ['frozen', '2025-01-01T00:00:01.500000+00:00'], 'advance 1.5 s, still frozen');
  const edited = expectJson<WireUser>(
    t,
    await api(app, 'PATCH', '/v1/user/alice/', A, { operations: [{ $set: { n: 2 } }] }),
    202,
    'edit after advancing',
  );
  t.equal(edited.updated_at, '2025-01-01T00:00:01.500000+00:00', 'updated_at moves');
  t.equal(edited.created_at, '2025-01-01T00:00:00.000000+00:00', 'created_at stays');
  const back = await clock(t, app, { action: 'advance', ms: -86_400_000 });
  t.equal(back.now, '2024-12-31T00:00:01.500000+00:00', 'a negative advance goes back');

  const set = await clock(t, app, { action: 'set', at: '2030-06-15T14:34:56.789012+02:00' });
  t.same(
    [set.mode, set.now],
    ['frozen', '2030-06-15T12:34:56.789012+00:00'],
    'set while frozen stays frozen; offsets and microseconds are kept',
  );
  const carol = expectJson<WireUser>(t, await api(app, 'POST', '/v1/user/carol/', A, {}), 201, 'upsert after set');
  t.equal(carol.created_at, '2030-06-15T12:34:56.789012+00:00');

  const resumed = await clock(t, app, { action: 'resume' });
  t.equal(resumed.mode, 'running', 'resume');
  const startMs = Date.parse('2030-06-15T12:34:56.789Z');
  t.ok(Date.parse(resumed.now) >= startMs && Date.parse(resumed.now) < startMs + 5_000, `runs on from where it stood (${resumed.now})`);
  t.ok(Math.abs(resumed.offset_us - (startMs - Date.now()) * 1000) < 5_000_000, 'offset_us is the distance to the wall clock');
  await sleep(15);
  const d1 = expectJson<WireUser>(t, await api(app, 'POST', '/v1/user/dave/', A, {}), 201, 'upsert while running');
  const d2 = expectJson<WireUser>(t, await api(app, 'POST', '/v1/user/erin/', A, {}), 201, 'another');
  t.ok(d1.created_at > resumed.now, 'time moves again');
  t.ok(d2.created_at > d1.created_at, 'and never repeats');
  t.match(d1.created_at, /^2030-06-15T12:3\d:/);

  const runningSet = await clock(t, app, { action: 'set', at: '2026-02-02T00:00:00Z' });
  t.equal(runningSet.mode, 'running', 'set while running keeps running');
  t.ok(
    runningSet.now >= '2026-02-02T00:00:00.000000+00:00' && runningSet.now < '2026-02-02T00:00:05',
    `from the new time (${runningSet.now})`,
  );

  const freezeNow = await clock(t, app, { action: 'freeze' });
  t.equal(freezeNow.mode, 'frozen', 'freeze without a time');
  t.ok(freezeNow.now >= runningSet.now && freezeNow.now < '2026-02-02T00:00:05', 'freezes at the current time');
  await sleep(10);
  t.equal((await clock(t, app)).now, freezeNow.now, 'and stays there');
});

t.test('bad clock actions are refused with 400 and change nothing', async (t) => {
  const app = await build(t);
  await clock(t, app, { action: 'freeze', at: '2025-01-01T00:00:00Z' });
  const bad: [string, unknown][] = [
    ['an unknown action', { action: 'rewind' }],
    ['no action', {}],
    ['set without a time', { action: 'set' }],
    ['a time that is not ISO-8601', { action: 'set', at: 'tomorrow' }],
    ['a date without a time', { action: 'freeze', at: '2025-01-01' }],
    ['a time without a zone', { action: 'set', at: '2025-01-01T00:00:00' }],
    ['fractional ms', { action: 'advance', ms: 1.5 }],
    ['ms as a string', { action: 'advance', ms: '100' }],
  ];
  for (const [what, body] of bad) {
    const err = expectJson<{ code: number }>(t, await admin(app, 'POST', '/_emulator/clock', body), 400, what);
    t.equal(err.code, 400, `${what}: code 400`);
  }
  const after = await clock(t, app);
  t.same([after.mode, after.now], ['frozen', '2025-01-01T00:00:00.000000+00:00'], 'still frozen where it was');
});

t.test('CLOCK_START starts the clock frozen at that time', async (t) => {
  const app = await build(t, { clockStart: '2024-02-29T23:59:59.5Z' });
  const state = await clock(t, app);
  t.same([state.mode, state.now], ['frozen', '2024-02-29T23:59:59.500000+00:00']);
  const user = expectJson<WireUser>(t, await api(app, 'POST', '/v1/user/leap/', A, {}), 201, 'upsert');
  t.equal(user.created_at, '2024-02-29T23:59:59.500000+00:00');
});

/** One scripted run on a fresh server; every response body, in order. */
async function scriptedRun(t: Test, seed: string): Promise<{ transcript: string; ws: WireWorkspace }> {
  const app = await build(t, { deterministicSeed: seed, clockStart: '2025-01-01T00:00:00Z' });
  const bodies: string[] = [];
  const record = async (what: string, p: Promise<{ statusCode: number; body: string }>) => {
    const res = await p;
    bodies.push(`${what} ${res.statusCode} ${res.body}`);
    return res;
  };

  const wsRes = await record('create workspace', admin(app, 'POST', '/_emulator/workspaces', {}));
  const ws = JSON.parse(wsRes.body) as WireWorkspace;
  const key = ws.api_keys[0]!;
  for (let i = 0; i < 7; i++) {
    await record(`upsert u${i}`, api(app, 'POST', `/v1/user/u${i}/`, key, { i, $email: [`u${i}@example.com`] }));
    // offset_us is the distance to the machine's clock: it differs from run to run by nature.
    const state = await admin(app, 'POST', '/_emulator/clock', { action: 'advance', ms: 250 });
    const { offset_us: _offset, ...rest } = JSON.parse(state.body) as ClockState;
    bodies.push(`advance ${state.statusCode} ${JSON.stringify(rest)}`);
  }
  await record(
    'patch',
    api(app, 'PATCH', '/v1/user/u1/', key, { operations: [{ $set: { edited: true } }, { $append: { $sms: '+15555550101' } }] }),
  );
  await record('signed get', signed(app, 'GET', '/v1/user/u1/', undefined, asConfig(ws)));
  const page1 = await record('page 1', api(app, 'GET', '/v1/user/?limit=3', key));
  const after = (JSON.parse(page1.body) as { meta: { after: string } }).meta.after;
  const page2 = await record('page 2', api(app, 'GET', `/v1/user/?limit=3&after=${encodeURIComponent(after)}`, key));
  const before = (JSON.parse(page2.body) as { meta: { before: string } }).meta.before;
  await record('page back', api(app, 'GET', `/v1/user/?limit=3&before=${encodeURIComponent(before)}`, key));
  await record(
    'event',
    api(app, 'POST', '/event/', key, [
      { $schema: '2', distinct_id: 'ev1', $user_operations: [{ $set: { via: 'event' } }] },
      { distinct_id: 'ev1', event: 'Signed up', properties: { plan: 'pro' } },
      { bogus: true },
    ]),
  );
  await record('event user', api(app, 'GET', '/v1/user/ev1/', key));
  await record('list', api(app, 'POST', '/v1/subscriber_list/', key, { list_id: 'l1', list_name: 'L1' }));
  await record('start_sync', api(app, 'POST', '/v1/subscriber_list/l1/start_sync/', key));
  await record('object', api(app, 'POST', '/v1/object/teams/t1/', key, { name: 'T1' }));
  await record('fault', admin(app, 'POST', '/_emulator/faults', { path: '/v1/user/*/', status: 503, probability: 0.5, count: 3 }));
  for (let i = 0; i < 6; i++) await record(`dice ${i}`, api(app, 'GET', '/v1/user/u0/', key));
  await record('events', admin(app, 'GET', '/_emulator/journal?kind=events'));
  await record('failures', admin(app, 'GET', '/_emulator/journal?kind=failures'));
  await record('snapshot', admin(app, 'GET', '/_emulator/snapshot'));
  // The request journal, without latencies (wall-clock durations).
  const journal = await admin(app, 'GET', '/_emulator/journal?limit=1000');
  const entries = (JSON.parse(journal.body) as { entries: Record<string, unknown>[] }).entries.map(({ latency_ms: _l, ...e }) => e);
  bodies.push(`journal ${JSON.stringify(entries)}`);
  await app.close();
  return { transcript: bodies.join('\n'), ws };
}

t.test('deterministic mode: the same seed and start give byte-identical responses', async (t) => {
  const first = await scriptedRun(t, 'det-seed-1');
  const second = await scriptedRun(t, 'det-seed-1');
  t.equal(second.transcript, first.transcript, 'two runs answer exactly the same bytes');
  t.equal(first.transcript.split('\n').length, 36, 'every step was recorded');

  // The transcript holds generated values, so the equality above means something.
  t.same(second.ws, first.ws, 'the same generated workspace name and credentials');
  t.ok(first.ws.key.length >= 20, 'a usable workspace key');
  const upsert = JSON.parse(first.transcript.split('\n')[1]!.replace(/^upsert u0 201 /, '')) as WireUser;
  t.equal(upsert.created_at, '2025-01-01T00:00:00.000000+00:00', 'times come from CLOCK_START');
  t.same(upsert.$inbox, inboxIdentities('u0', first.ws.inbox_secret), '$inbox from the generated inbox secret');
  t.match(first.transcript, /"after":"[^"]+"/, 'cursors are in the transcript');
  t.match(first.transcript, /"version_id":"[0-9A-Z]{26}"/, 'a generated draft version id');
  t.match(first.transcript, /"request_id":"[0-9a-f-]{36}"/, 'request ids in the journal');
  const dice = first.transcript
    .split('\n')
    .filter((l) => l.startsWith('dice '))
    .map((l) => l.split(' ')[2]);
  t.ok(dice.includes('503') && dice.includes('200'), `the seeded dice both hit and missed (${dice.join(',')})`);

  const other = await scriptedRun(t, 'det-seed-2');
  t.not(other.ws.key, first.ws.key, 'another seed gives other credentials');
  t.not(other.transcript, first.transcript, 'and another transcript');
});
