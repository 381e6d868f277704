/**
 * Contract tests for the control plane with the real `@suprsend/node-sdk`
 * (1.15.1) on a listening emulator: a simulated bounce is what the SDK's
 * `users.get` sees, and injected faults make the SDK's calls fail with the
 * chosen status (count-limited rules expiring, workspace-scoped rules, delays).
 * Control-plane calls go over HTTP with `fetch`, as a test suite would make them.
 */

import t, { type Test } from 'tap';
import { adminFetch, listening, type WireUser, WS_A, WS_B } from '../helpers/index.js';
import { rejectionOf, sdkFor, Suprsend } from '../helpers/sdk.js';

type Client = InstanceType<typeof Suprsend>;

interface FaultRule {
  id: string;
  hits: number;
  count?: number;
}

interface Server {
  baseUrl: string;
  sdk: Client;
  sdkB: Client;
  /** A control-plane call with the admin token; the status and parsed body. */
  control: <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
}

/** A fresh emulator on 127.0.0.1 with SDK clients for both workspaces, configured as from the command line. */
async function startServer(t: Test): Promise<Server> {
  const { baseUrl } = await listening(t, { validateResponses: false });
  return {
    baseUrl,
    sdk: sdkFor(baseUrl, WS_A),
    sdkB: sdkFor(baseUrl, WS_B),
    control: <T>(method: string, path: string, body?: unknown) => adminFetch<T>(baseUrl, method, path, body),
  };
}

const slack = { email: 'alice@example.com', access_token: 'xoxb-alice' };

t.test('a simulated bounce is what the SDK users.get sees', async (t) => {
  const { sdk, control } = await startServer(t);
  await sdk.users.upsert('alice', {
    name: 'Alice',
    $email: ['alice@example.com', 'alice@work.example'],
    $sms: ['+15555550123'],
    $slack: [slack],
  });

  const hard = await control<WireUser>('POST', '/_emulator/channel-status', {
    distinct_id: 'alice',
    channel: '$email',
    value: 'alice@example.com',
    outcome: 'hard_bounce',
  });
  t.equal(hard.status, 200, 'hard bounce accepted');
  let user = (await sdk.users.get('alice')) as WireUser;
  t.same(
    user.$email,
    [
      { value: 'alice@example.com', status: 'inactive', perma_status: 'disabled' },
      { value: 'alice@work.example', status: 'active', perma_status: 'active' },
    ],
    'hard bounce: status inactive, perma_status disabled on that identity',
  );
  t.same(user.$sms, [{ value: '+15555550123', status: 'active', perma_status: 'active' }], 'other channels untouched');
  t.same(hard.body, user, 'the control plane answered the user as the API shows it');

  t.equal(
    (
      await control('POST', '/_emulator/channel-status', {
        distinct_id: 'alice',
        channel: '$sms',
        value: '+15555550123',
        outcome: 'soft_bounce',
      })
    ).status,
    200,
  );
  user = (await sdk.users.get('alice')) as WireUser;
  t.same(user.$sms, [{ value: '+15555550123', status: 'inactive', perma_status: 'active' }], 'soft bounce: inactive, perma_status kept');

  t.equal(
    (
      await control('POST', '/_emulator/channel-status', {
        distinct_id: 'alice',
        channel: '$slack',
        value: { access_token: 'xoxb-alice', email: 'alice@example.com' },
        outcome: 'hard_bounce',
      })
    ).status,
    200,
  );
  user = (await sdk.users.get('alice')) as WireUser;
  t.same(user.$slack, [{ value: slack, status: 'inactive', perma_status: 'disabled' }], 'an object-valued identity');

  for (const [channel, value] of [
    ['$email', 'alice@example.com'],
    ['$sms', '+15555550123'],
    ['$slack', slack],
  ] as const) {
    t.equal(
      (await control('POST', '/_emulator/channel-status', { distinct_id: 'alice', channel, value, outcome: 'reactivate' })).status,
      200,
      `reactivate ${channel}`,
    );
  }
  user = (await sdk.users.get('alice')) as WireUser;
  for (const channel of ['$email', '$sms', '$slack'] as const) {
    t.ok(
      user[channel]!.every((i) => i.status === 'active' && i.perma_status === 'active'),
      `${channel}: active/active again`,
    );
  }

  // The SDK's own edits keep working on a bounced identity's user.
  await control('POST', '/_emulator/channel-status', {
    distinct_id: 'alice',
    channel: '$email',
    value: 'alice@example.com',
    outcome: 'hard_bounce',
  });
  const edit = sdk.users.get_edit_instance('alice');
  edit.set({ plan: 'pro' });
  const edited = (await sdk.users.edit(edit)) as WireUser;
  t.equal(edited.properties.plan, 'pro');
  t.same(edited.$email?.[0], { value: 'alice@example.com', status: 'inactive', perma_status: 'disabled' }, 'an edit keeps the bounce');

  const ghost = await control<{ code: number; message: string }>('POST', '/_emulator/channel-status', {
    distinct_id: 'ghost',
    channel: '$email',
    value: 'x@example.com',
    outcome: 'hard_bounce',
  });
  t.same([ghost.status, ghost.body.message], [404, "user [distinct_id: 'ghost'] not found"], 'unknown user: 404');
  const noIdentity = await control('POST', '/_emulator/channel-status', {
    distinct_id: 'alice',
    channel: '$email',
    value: 'nobody@example.com',
    outcome: 'hard_bounce',
  });
  t.equal(noIdentity.status, 404, 'unknown identity: 404');
  const badChannel = await control('POST', '/_emulator/channel-status', {
    distinct_id: 'alice',
    channel: '$pigeon',
    value: 'x',
    outcome: 'hard_bounce',
  });
  t.equal(badChannel.status, 400, 'bad channel: 400');
});

t.test("a fault rule makes the SDK's users.get fail with the chosen status, then expires", async (t) => {
  const { sdk, control } = await startServer(t);
  await sdk.users.upsert('alice', { name: 'Alice' });
  const added = await control<FaultRule>('POST', '/_emulator/faults', { method: 'GET', path: '/v1/user/*/', status: 503, count: 2 });
  t.equal(added.status, 201, 'rule added');

  for (const n of [1, 2]) {
    const err = await rejectionOf(sdk.users.get('alice'));
    t.ok(err, `call ${n} rejects`);
    t.equal(err?.name, 'SuprsendApiError', `call ${n}: the SDK's API error`);
    t.match(err?.message, /^503: /, `call ${n}: message starts "503: " (${err?.message})`);
  }
  const user = (await sdk.users.get('alice')) as WireUser;
  t.same(user.properties, { name: 'Alice' }, 'the third call succeeds');
  const list = await control<{ faults: FaultRule[] }>('GET', '/_emulator/faults');
  t.same(list.body.faults, [], 'the rule is gone from the list');

  // Writes fail without changing anything.
  await control('POST', '/_emulator/faults', { method: 'POST', path: '/v1/user/**', status: 500, count: 1 });
  const upsertErr = await rejectionOf(sdk.users.upsert('alice', { name: 'Changed' }));
  t.match(upsertErr?.message, /^500: /, 'an upsert fails with 500');
  t.same(((await sdk.users.get('alice')) as WireUser).properties, { name: 'Alice' }, 'and changed nothing');

  // Track events: the SDK reports the failure in its response instead of throwing.
  await control('POST', '/_emulator/faults', { path: '/event/', status: 503, count: 1 });
  const tracked = (await sdk.track('alice', 'Bought', { n: 1 })) as { success: boolean; message: string };
  t.equal(tracked.success, false, 'track reports the failure');
  t.match(tracked.message, /503/, 'with the status');
  const ok = (await sdk.track('alice', 'Bought', { n: 2 })) as { success: boolean };
  t.equal(ok.success, true, 'the next track goes through');
  const events = await control<{ entries: { properties: { n: number } }[] }>('GET', '/_emulator/journal?kind=events');
  t.same(
    events.body.entries.map((e) => e.properties.n),
    [2],
    'only the second event was stored',
  );
});

t.test('a workspace-scoped rule only hits that workspace; a delay delays the SDK', async (t) => {
  const { baseUrl, sdk, sdkB, control } = await startServer(t);
  await sdk.users.upsert('alice', { ws: 'A' });
  await sdkB.users.upsert('alice', { ws: 'B' });
  const created = await control<{ key: string; secret: string }>('POST', '/_emulator/workspaces', { name: 'suite-c' });
  const sdkC = new Suprsend(created.body.key, created.body.secret, { base_url: baseUrl });
  await sdkC.users.upsert('alice', { ws: 'C' });

  const rule = await control<FaultRule>('POST', '/_emulator/faults', { workspace: 'suite-c', path: '/v1/user/**', status: 429 });
  t.equal(rule.status, 201);
  t.match((await rejectionOf(sdkC.users.get('alice')))?.message, /^429: /, 'the scoped workspace fails');
  t.match((await rejectionOf(sdkC.users.list({ limit: 5 })))?.message, /^429: /, 'on every matching path');
  t.same(((await sdk.users.get('alice')) as WireUser).properties, { ws: 'A' }, 'workspace "default" is served');
  t.same(((await sdkB.users.get('alice')) as WireUser).properties, { ws: 'B' }, 'workspace "other" is served');
  t.equal((await control('DELETE', `/_emulator/faults/${rule.body.id}`)).status, 204, 'delete the rule');
  t.same(((await sdkC.users.get('alice')) as WireUser).properties, { ws: 'C' }, 'served again after deleting it');

  await control('POST', '/_emulator/faults', { method: 'GET', path: '/v1/user/alice/', delay_ms: 200 });
  const start = performance.now();
  const slow = (await sdk.users.get('alice')) as WireUser;
  const elapsed = performance.now() - start;
  t.same(slow.properties, { ws: 'A' }, 'a delay alone still answers');
  t.ok(elapsed >= 190, `the SDK waited at least the delay (${elapsed.toFixed(0)} ms)`);
  t.equal((await control('DELETE', '/_emulator/faults')).status, 204, 'delete all rules');
  t.same((await control<{ faults: unknown[] }>('GET', '/_emulator/faults')).body.faults, []);
});
