/**
 * Simulated bounces through POST /_emulator/channel-status: the user API then
 * shows the identity's status and perma_status as SuprSend would after a
 * hard bounce, a soft bounce, or a reactivation.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { adminOk } from './fixtures/admin.js';
import { type ErrorBody, admin, api, build, expectJson, type WireUser, WS_A, WS_B } from '../helpers/index.js';

const A = WS_A.api_keys[0]!;
const B = WS_B.api_keys[0]!;
const slack = { email: 'alice@example.com', access_token: 'xoxb-alice' };
const webpush = { endpoint: 'https://push.example.com/sub/1', keys: { p256dh: 'p', auth: 'a' } };

async function seed(t: Test, app: FastifyInstance): Promise<WireUser> {
  return expectJson<WireUser>(
    t,
    await api(app, 'POST', '/v1/user/alice/', A, {
      name: 'Alice',
      $email: ['alice@example.com', 'alice@work.example'],
      $sms: ['+15555550123'],
      $slack: [slack],
      $webpush: [webpush],
    }),
    201,
    'seed alice',
  );
}

const status = (outcome: string, channel: string, value: unknown, extra: Record<string, unknown> = {}) => ({
  distinct_id: 'alice',
  channel,
  value,
  outcome,
  ...extra,
});

t.test('hard bounce, soft bounce and reactivate, as the user API shows them', async (t) => {
  const app = await build(t);
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'freeze', at: '2025-01-01T00:00:00Z' }, 200);
  const created = await seed(t, app);
  await adminOk(t, app, 'POST', '/_emulator/clock', { action: 'advance', ms: 60_000 }, 200);

  const hard = await adminOk<WireUser>(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    status('hard_bounce', '$email', 'alice@example.com'),
    200,
  );
  const expectedEmail = [
    { value: 'alice@example.com', status: 'inactive', perma_status: 'disabled' },
    { value: 'alice@work.example', status: 'active', perma_status: 'active' },
  ];
  t.same(hard.$email, expectedEmail, 'hard bounce: inactive and perma_status disabled on that identity only');
  t.equal(hard.updated_at, '2025-01-01T00:01:00.000000+00:00', 'updated_at moves to now');
  t.equal(hard.created_at, created.created_at, 'created_at stays');
  const got = expectJson<WireUser>(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'GET after the hard bounce');
  t.same(got, hard, 'GET shows what the bounce answered');
  t.same(got.$sms, created.$sms, 'other channels untouched');
  t.same(got.$slack, created.$slack);
  t.same(got.properties, created.properties, 'properties untouched');

  const soft = await adminOk<WireUser>(t, app, 'POST', '/_emulator/channel-status', status('soft_bounce', '$sms', '+15555550123'), 200);
  t.same(soft.$sms, [{ value: '+15555550123', status: 'inactive', perma_status: 'active' }], 'soft bounce: inactive, perma_status kept');
  const softOnHard = await adminOk<WireUser>(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    status('soft_bounce', '$email', 'alice@example.com'),
    200,
  );
  t.same(
    softOnHard.$email?.[0],
    { value: 'alice@example.com', status: 'inactive', perma_status: 'disabled' },
    'a soft bounce keeps a disabled perma_status',
  );
  const inactive = await adminOk<WireUser>(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    status('inactive', '$email', 'alice@work.example'),
    200,
  );
  t.same(
    inactive.$email?.[1],
    { value: 'alice@work.example', status: 'inactive', perma_status: 'active' },
    '"inactive" works like a soft bounce',
  );

  const back = await adminOk<WireUser>(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    status('reactivate', '$email', 'alice@example.com'),
    200,
  );
  t.same(
    back.$email?.[0],
    { value: 'alice@example.com', status: 'active', perma_status: 'active' },
    'reactivate: active/active, even from disabled',
  );
  const smsBack = await adminOk<WireUser>(t, app, 'POST', '/_emulator/channel-status', status('reactivate', '$sms', '+15555550123'), 200);
  t.same(smsBack.$sms, [{ value: '+15555550123', status: 'active', perma_status: 'active' }]);
});

t.test('object-valued identities match structurally; the workspace is chosen by name', async (t) => {
  const app = await build(t);
  await seed(t, app);
  const reordered = { access_token: 'xoxb-alice', email: 'alice@example.com' };
  const slackBounced = await adminOk<WireUser>(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    status('hard_bounce', '$slack', reordered),
    200,
  );
  t.same(slackBounced.$slack, [{ value: slack, status: 'inactive', perma_status: 'disabled' }], 'a Slack identity, keys in another order');
  const webpushBounced = await adminOk<WireUser>(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    status('soft_bounce', '$webpush', webpush),
    200,
  );
  t.same(
    webpushBounced.$webpush,
    [{ value: webpush, id_provider: 'vapid', status: 'inactive', perma_status: 'active' }],
    'a webpush identity keeps its id_provider',
  );

  // The same distinct_id in workspace "other".
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', B, { $email: ['alice@example.com'] }), 201, 'alice in B');
  const inB = await adminOk<WireUser>(
    t,
    app,
    'POST',
    '/_emulator/channel-status',
    status('hard_bounce', '$email', 'alice@example.com', { workspace: 'other' }),
    200,
  );
  t.same(inB.$email, [{ value: 'alice@example.com', status: 'inactive', perma_status: 'disabled' }], 'bounced in B');
  const inA = expectJson<WireUser>(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'alice in A');
  t.same(inA.$email?.[0], { value: 'alice@example.com', status: 'active', perma_status: 'active' }, 'A is untouched');
});

t.test('unknown users, identities and workspaces; bad input', async (t) => {
  const app = await build(t);
  const created = await seed(t, app);

  const ghost = expectJson<ErrorBody>(
    t,
    await admin(app, 'POST', '/_emulator/channel-status', { ...status('hard_bounce', '$email', 'x@example.com'), distinct_id: 'ghost' }),
    404,
    'unknown user',
  );
  t.same(ghost, { code: 404, message: "user [distinct_id: 'ghost'] not found" });
  const noIdentity = expectJson<ErrorBody>(
    t,
    await admin(app, 'POST', '/_emulator/channel-status', status('hard_bounce', '$email', 'nobody@example.com')),
    404,
    'unknown identity',
  );
  t.equal(noIdentity.code, 404);
  t.ok(noIdentity.message.length > 0, `a message (${noIdentity.message})`);
  expectJson(
    t,
    await admin(app, 'POST', '/_emulator/channel-status', status('hard_bounce', '$sms', 'alice@example.com')),
    404,
    'a value on another channel',
  );
  expectJson(
    t,
    await admin(app, 'POST', '/_emulator/channel-status', status('hard_bounce', '$email', 'alice@example.com', { workspace: 'nope' })),
    404,
    'unknown workspace',
  );
  expectJson(
    t,
    await admin(app, 'POST', '/_emulator/channel-status', status('hard_bounce', '$email', 'alice@example.com', { workspace: 'other' })),
    404,
    'alice is not in "other"',
  );

  const bad: [string, unknown][] = [
    ['an unknown channel', status('hard_bounce', '$fax', 'alice@example.com')],
    ['a channel without $', status('hard_bounce', 'email', 'alice@example.com')],
    ['an unknown outcome', status('bounced', '$email', 'alice@example.com')],
    ['no distinct_id', { channel: '$email', value: 'alice@example.com', outcome: 'hard_bounce' }],
    ['no value', { distinct_id: 'alice', channel: '$email', outcome: 'hard_bounce' }],
    ['a numeric value', status('hard_bounce', '$email', 42)],
    ['not JSON', '{"distinct_id": '],
  ];
  for (const [what, body] of bad) {
    const err = expectJson<ErrorBody>(t, await admin(app, 'POST', '/_emulator/channel-status', body), 400, what);
    t.equal(err.code, 400, `${what}: code 400`);
  }
  const after = expectJson<WireUser>(t, await api(app, 'GET', '/v1/user/alice/', A), 200, 'alice after the refused calls');
  t.same(after, created, 'nothing changed');
});
