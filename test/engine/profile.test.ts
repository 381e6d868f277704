import t from 'tap';
import { channelsToWire, mergeProfiles, newProfile, setIdentityStatus, type Profile } from '../../src/engine/index.js';
import {
  ctx0,
  ctx1,
  ctx2,
  deepFreeze,
  edit,
  errorOf,
  okProfile,
  pairs,
  profileFrom,
  snapshot,
  SLACK_WEBHOOK,
  T0,
  T1,
  T2,
  TEAMS_WEBHOOK,
  WEBPUSH,
} from './fixtures/helpers.js';

t.test('newProfile without inbox is empty', async (t) => {
  t.strictSame(newProfile(ctx0, null), { properties: {}, identities: [] });
});

t.test('newProfile with an inbox value has one $inbox identity', async (t) => {
  t.strictSame(newProfile(ctx1, 'inbox-abc'), {
    properties: {},
    identities: [
      {
        channel: '$inbox',
        value: 'inbox-abc',
        key: 's:inbox-abc',
        idProvider: 'suprsend',
        status: 'active',
        permaStatus: 'active',
        meta: {},
        createdAt: T1,
        updatedAt: T1,
      },
    ],
  });
});

t.test('mergeProfiles: primary values win, secondary-only keys are copied', async (t) => {
  const primary = deepFreeze(profileFrom({ name: 'Ada', plan: 'pro', $email: ['a@example.com'] }, 'inbox-p'));
  const secondary = deepFreeze(
    profileFrom({ name: 'Other', city: 'Paris', $email: ['a@example.com', 'b@example.com'], $sms: ['+15555550123'] }, 'inbox-s'),
  );
  const before = [snapshot(primary), snapshot(secondary)];
  const merged = mergeProfiles(primary, secondary, ctx2);
  t.strictSame(merged.properties, { name: 'Ada', plan: 'pro', city: 'Paris' });
  t.strictSame(Object.keys(merged.properties), ['name', 'plan', 'city']);
  t.strictSame(pairs(merged), [
    ['$inbox', 'inbox-p'],
    ['$email', 'a@example.com'],
    ['$inbox', 'inbox-s'],
    ['$email', 'b@example.com'],
    ['$sms', '+15555550123'],
  ]);
  t.strictSame(
    merged.identities.map((i) => [i.createdAt, i.updatedAt]),
    [
      [T0, T0],
      [T0, T0],
      [T0, T2],
      [T0, T2],
      [T0, T2],
    ],
  );
  t.strictSame([snapshot(primary), snapshot(secondary)], before, 'inputs are not changed');
});

t.test('mergeProfiles keeps status fields and the primary version of shared identities', async (t) => {
  const base = profileFrom({ $email: ['a@example.com'], $slack: [{ access_token: 'x', user_id: 'U' }] });
  const primary: Profile = { ...base, identities: [{ ...base.identities[0]!, status: 'inactive' }] };
  const secondaryBase = profileFrom({ $email: ['a@example.com'], $slack: [{ user_id: 'U', access_token: 'x' }] });
  const secondary: Profile = {
    ...secondaryBase,
    identities: [secondaryBase.identities[0]!, { ...secondaryBase.identities[1]!, permaStatus: 'disabled', status: 'inactive' }],
  };
  const merged = mergeProfiles(primary, secondary, ctx1);
  t.equal(merged.identities.length, 2);
  t.equal(merged.identities[0]!.status, 'inactive', 'primary copy of a shared identity is kept');
  t.equal(merged.identities[1]!.channel, '$slack');
  t.equal(merged.identities[1]!.status, 'inactive');
  t.equal(merged.identities[1]!.permaStatus, 'disabled');
});

t.test('setIdentityStatus changes one identity', async (t) => {
  const start = deepFreeze(profileFrom({ $email: ['a@example.com', 'b@example.com'], $slack: [{ access_token: 'x', user_id: 'U' }] }));
  const before = snapshot(start);
  const profile = okProfile(setIdentityStatus(start, '$email', 'b@example.com', 'inactive', 'disabled', ctx1));
  t.strictSame(
    profile.identities.map((i) => [i.value, i.status, i.permaStatus, i.updatedAt]),
    [
      ['a@example.com', 'active', 'active', T0],
      ['b@example.com', 'inactive', 'disabled', T1],
      [{ access_token: 'x', user_id: 'U' }, 'active', 'active', T0],
    ],
  );
  const slack = okProfile(setIdentityStatus(start, '$slack', { user_id: 'U', access_token: 'x' }, 'inactive', 'active', ctx1));
  t.equal(slack.identities[2]!.status, 'inactive');
  t.strictSame(snapshot(start), before);
});

t.test('setIdentityStatus fails for a missing identity', async (t) => {
  const start = profileFrom({ $email: ['a@example.com'] });
  const error = errorOf(setIdentityStatus(start, '$email', 'x@example.com', 'inactive', 'active', ctx1));
  t.equal(error.message, 'this profile has no $email identity "x@example.com"');
  t.equal(error.path, '$email');
  t.equal(errorOf(setIdentityStatus(start, '$sms', 'a@example.com', 'inactive', 'active', ctx1)).path, '$sms', 'channel must match');
  t.equal(errorOf(setIdentityStatus(start, '$email', 'a@example.com', 'gone' as 'active', 'active', ctx1)).path, 'status');
  t.equal(errorOf(setIdentityStatus(start, '$email', 'a@example.com', 'active', 'gone' as 'active', ctx1)).path, 'perma_status');
});

t.test('re-adding a bounced identity re-activates it', async (t) => {
  const start = profileFrom({ $email: ['a@example.com'] });
  const bounced = okProfile(setIdentityStatus(start, '$email', 'a@example.com', 'inactive', 'disabled', ctx1));
  const again = edit(bounced, [{ $append: { $email: 'a@example.com' } }], ctx2);
  t.strictSame([again.identities[0]!.status, again.identities[0]!.permaStatus, again.identities[0]!.updatedAt], ['active', 'disabled', T2]);
});

t.test('channelsToWire: channel order, insertion order and item shape', async (t) => {
  const start = edit(newProfile(ctx0, 'inbox-1'), [
    { $append: { $slack: SLACK_WEBHOOK } },
    { $append: { $email: ['b@example.com', 'a@example.com'] } },
    { $append: { $androidpush: 'tok', $id_provider: 'xiaomi' } },
    { $append: { $webpush: WEBPUSH, $ms_teams: TEAMS_WEBHOOK, $iospush: 'ios', $whatsapp: '+15555550124', $sms: '+15555550123' } },
  ]);
  const bounced = okProfile(setIdentityStatus(start, '$email', 'a@example.com', 'inactive', 'disabled', ctx1));
  const wire = channelsToWire(bounced);
  t.strictSame(Object.keys(wire), ['$email', '$sms', '$whatsapp', '$inbox', '$webpush', '$androidpush', '$iospush', '$slack', '$ms_teams']);
  t.strictSame(wire.$email, [
    { value: 'b@example.com', status: 'active', perma_status: 'active' },
    { value: 'a@example.com', status: 'inactive', perma_status: 'disabled' },
  ]);
  t.strictSame(wire.$inbox, [{ value: 'inbox-1', id_provider: 'suprsend', status: 'active', perma_status: 'active' }]);
  t.strictSame(wire.$androidpush, [{ value: 'tok', id_provider: 'xiaomi', status: 'active', perma_status: 'active' }]);
  t.strictSame(wire.$iospush, [{ value: 'ios', id_provider: 'apns', status: 'active', perma_status: 'active' }]);
  t.strictSame(wire.$webpush, [{ value: WEBPUSH, id_provider: 'vapid', status: 'active', perma_status: 'active' }]);
  t.strictSame(wire.$slack, [{ value: SLACK_WEBHOOK, status: 'active', perma_status: 'active' }]);
  t.strictSame(wire.$ms_teams, [{ value: TEAMS_WEBHOOK, status: 'active', perma_status: 'active' }]);
  t.strictSame(Object.keys(wire.$inbox![0]!), ['value', 'id_provider', 'status', 'perma_status']);
  t.strictSame(Object.keys(wire.$sms![0]!), ['value', 'status', 'perma_status']);
  t.equal(JSON.stringify(wire.$iospush), '[{"value":"ios","id_provider":"apns","status":"active","perma_status":"active"}]');
});

t.test('channelsToWire omits channels without identities', async (t) => {
  t.strictSame(channelsToWire(newProfile(ctx0, null)), {});
  t.strictSame(Object.keys(channelsToWire(profileFrom({ $sms: ['+15555550123'] }))), ['$sms']);
});
