/**
 * Control-plane inputs that used to answer 500 or hang a client: a journal
 * `since` far past any date, a journal listing over more workspaces than SQLite
 * takes variables, 1xx fault statuses, impossible or imprecise clock dates.
 */
import t from 'tap';
import { adminOk } from './fixtures/admin.js';
import { admin, api, build, expectApiError, expectJson, WS_A } from '../helpers/index.js';

const A = WS_A.api_keys[0]!;

t.test('journal: a since past any representable date is a 400, not a 500', async (t) => {
  const app = await build(t);
  for (const since of ['+275760-09-13T00:00:00Z', '+275760-09-13T00:00:00.000001Z', '2025-02-30T00:00:00Z', '2025-01-01T24:00:00Z']) {
    for (const kind of ['requests', 'events', 'failures']) {
      const res = await admin(app, 'GET', `/_emulator/journal?kind=${kind}&since=${encodeURIComponent(since)}`);
      const err = expectApiError(t, res, 400, `${kind} since ${since}`);
      t.match(err.message, /since/, 'the message names the parameter');
    }
  }
  const fine = await adminOk<{ entries: unknown[] }>(
    t,
    app,
    'GET',
    '/_emulator/journal?kind=events&since=0001-01-01T00:00:00Z',
    undefined,
    200,
  );
  t.same(fine.entries, [], 'an early year is fine');
});

t.test('journal: stored events over more workspaces than SQLite takes variables', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/event/', A, { distinct_id: 'u1', event: 'signed_up' }), 202, 'a track event');
  const { db, workspaces } = app.emulator;
  const insert = db.$client.prepare(
    `insert into workspaces (name, key, secret, api_keys, inbox_secret, inbox, data_key, origin, created_at)
     values (?, ?, 's', '[]', 's', 1, ?, 'runtime', '2025-01-01T00:00:00.000000+00:00')`,
  );
  const n = 33_000;
  db.$client.transaction(() => {
    for (let i = 0; i < n; i++) {
      const name = `many_${i}`;
      insert.run(name, `many_key_${i}_0123456789abcdef`, name);
      workspaces.registry.add(
        { name, key: `many_key_${i}_0123456789abcdef`, secret: 's', api_keys: [], inbox: true },
        { origin: 'runtime' },
      );
    }
  })();
  t.ok(workspaces.list().length > 32_766, 'more live workspaces than SQLite variables');
  for (const kind of ['events', 'failures']) {
    const res = await adminOk<{ entries: { workspace?: string }[] }>(t, app, 'GET', `/_emulator/journal?kind=${kind}`, undefined, 200);
    if (kind === 'events')
      t.same(
        res.entries.map((e) => e.workspace),
        ['default'],
        'the event is listed with its workspace',
      );
  }
});

t.test('fault statuses are 200-599 in rules', async (t) => {
  const app = await build(t);
  for (const status of [100, 101, 199, 600]) {
    const err = expectApiError(t, await admin(app, 'POST', '/_emulator/faults', { status }), 400, `status ${status}`);
    t.match(err.message, /status/);
  }
  for (const status of [200, 599]) await adminOk(t, app, 'POST', '/_emulator/faults', { path: '/nothing/', status }, 201);
});

t.test('a 1xx status in X-Emulator-Fault is ignored: the request is served', async (t) => {
  const app = await build(t, { faultHeader: true });
  const served = await api(app, 'POST', '/v1/user/h1/', A, { n: 1 }, { 'x-emulator-fault': 'status=101' });
  expectJson(t, served, 201, 'status=101 does not apply');
  const faulted = await api(app, 'POST', '/v1/user/h2/', A, { n: 1 }, { 'x-emulator-fault': 'status=200' });
  expectJson(t, faulted, 200, 'status=200 does');
});

t.test('the clock refuses impossible dates and times past its microsecond-exact range', async (t) => {
  const app = await build(t);
  for (const [what, body] of [
    ['February 30th', { action: 'set', at: '2025-02-30T00:00:00Z' }],
    ['April 31st', { action: 'freeze', at: '2025-04-31T00:00:00Z' }],
    ['February 29th of a common year', { action: 'set', at: '2100-02-29T00:00:00Z' }],
    ['hour 24', { action: 'set', at: '2025-01-01T24:00:00Z' }],
    ['second 60', { action: 'set', at: '2025-01-01T23:59:60Z' }],
    ['past 2255 (microseconds lost)', { action: 'set', at: '2300-01-01T00:00:00Z' }],
    ['year 9998', { action: 'freeze', at: '9998-01-01T00:00:00Z' }],
    ['a six-digit year', { action: 'freeze', at: '+275760-09-13T00:00:00Z' }],
  ] as const) {
    const err = expectApiError(t, await admin(app, 'POST', '/_emulator/clock', body), 400, what);
    t.match(err.message, /^at:/, `${what}: the message names the field`);
  }
  const leap = await adminOk<{ now: string }>(
    t,
    app,
    'POST',
    '/_emulator/clock',
    { action: 'freeze', at: '2024-02-29T12:00:00.123456Z' },
    200,
  );
  t.equal(leap.now, '2024-02-29T12:00:00.123456+00:00', 'a leap day is fine, microseconds kept');
  const late = await adminOk<{ now: string }>(
    t,
    app,
    'POST',
    '/_emulator/clock',
    { action: 'set', at: '2254-12-31T23:59:59.999999Z' },
    200,
  );
  t.equal(late.now, '2254-12-31T23:59:59.999999+00:00', 'the end of the range keeps every microsecond');
  const err = expectApiError(
    t,
    await admin(app, 'POST', '/_emulator/clock', { action: 'advance', ms: 1000 }),
    400,
    'advancing past the end',
  );
  t.match(err.message, /2255/);
});
