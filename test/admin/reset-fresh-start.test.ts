/**
 * POST /_emulator/reset is a fresh start: data, journal, fault rules and the
 * clock go back; configured workspaces stay. The clock's "real" action, and
 * "resume" continuing from the frozen instant.
 */
import t from 'tap';
import { adminOk } from './fixtures/admin.js';
import { admin, api, build, expectJson, WS_A } from '../helpers/index.js';

const A = WS_A.api_keys[0]!;

interface ClockState {
  mode: 'running' | 'frozen';
  now: string;
  offset_us: number;
}

t.test('reset clears fault rules and returns the clock to real time', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/faults', { path: '/v1/user/**', status: 503 }, 201);
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'freeze', at: '2030-01-01T00:00:00Z' }, 200);
  expectJson(t, await api(app, 'POST', '/v1/user/x/', A, {}), 503, 'the fault applies before the reset');

  expectJson(t, await admin(app, 'POST', '/_emulator/reset'), 204, 'reset');
  const faults = await adminOk<{ faults: unknown[] }>(t, app, 'GET', '/_emulator/faults', undefined, 200);
  t.same(faults.faults, [], 'no fault rule left');
  const clock = await adminOk<ClockState>(t, app, 'GET', '/_emulator/clock', undefined, 200);
  t.equal(clock.mode, 'running', 'the clock runs');
  t.equal(clock.offset_us, 0, 'on the wall clock');
  t.ok(Math.abs(Date.parse(clock.now) - Date.now()) < 5_000, 'near now');
  const user = expectJson<{ created_at: string }>(t, await api(app, 'POST', '/v1/user/x/', A, {}), 201, 'requests are served again');
  t.ok(Math.abs(Date.parse(user.created_at) - Date.now()) < 5_000, 'stamped with the real time');
  const list = await adminOk<{ workspaces: { name: string }[] }>(t, app, 'GET', '/_emulator/workspaces', undefined, 200);
  t.same(list.workspaces.map((w) => w.name).sort(), ['default', 'other'], 'configured workspaces stay');
});

t.test('the clock: "real" goes back to the wall clock, "resume" continues from the frozen instant', async (t) => {
  const app = await build(t);
  const at = '2030-06-01T00:00:00.000000+00:00';
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'freeze', at }, 200);
  const resumed = await adminOk<ClockState>(t, app, 'POST', '/_emulator/clock', { action: 'resume' }, 200);
  t.equal(resumed.mode, 'running');
  t.ok(resumed.now >= at && Date.parse(resumed.now) - Date.parse(at) < 5_000, `resume runs on from ${at} (${resumed.now})`);

  const real = await adminOk<ClockState>(t, app, 'POST', '/_emulator/clock', { action: 'real' }, 200);
  t.equal(real.mode, 'running');
  t.equal(real.offset_us, 0);
  t.ok(Math.abs(Date.parse(real.now) - Date.now()) < 5_000, `"real" is the wall clock (${real.now})`);

  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'freeze', at: '2020-01-01T00:00:00Z' }, 200);
  const fromFrozen = await adminOk<ClockState>(t, app, 'POST', '/_emulator/clock', { action: 'real' }, 200);
  t.equal(fromFrozen.mode, 'running', '"real" also unfreezes');
  t.ok(Math.abs(Date.parse(fromFrozen.now) - Date.now()) < 5_000, 'at the wall clock, not where it was frozen');
});
