import t from 'tap';
import { applyOperations, applyUpsert, newProfile } from '../../src/engine/index.js';
import {
  ctx0,
  ctx1,
  deepFreeze,
  edit,
  editError,
  okProfile,
  ofChannel,
  pairs,
  profileFrom,
  SLACK_USER,
  SLACK_WEBHOOK,
  T0,
  T1,
  TEAMS_CONVERSATION,
  TEAMS_WEBHOOK,
  WEBPUSH,
} from './fixtures/helpers.js';

const empty = () => newProfile(ctx0, null);

t.test('valid values of every channel are accepted by $append', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['$email', 'a@example.com'],
    ['$sms', '+15555550123'],
    ['$whatsapp', '+919876543210'],
    ['$inbox', 'inbox-xyz'],
    ['$androidpush', 'android-token'],
    ['$iospush', 'ios-token'],
    ['$webpush', WEBPUSH],
    ['$slack', SLACK_WEBHOOK],
    ['$slack', SLACK_USER],
    ['$slack', { access_token: 'xoxb', email: 'a@example.com' }],
    ['$slack', { access_token: 'xoxb', email_id: 'a@example.com' }],
    ['$slack', { access_token: 'xoxb', channel: 'C1' }],
    ['$slack', { access_token: 'xoxb', channel_id: 'C1' }],
    ['$ms_teams', TEAMS_WEBHOOK],
    ['$ms_teams', TEAMS_CONVERSATION],
    ['$ms_teams', { tenant_id: 't', service_url: 'https://s', user_id: 'u' }],
    // As in SuprSend's own upsert example: no service_url.
    ['$ms_teams', { tenant_id: 't', user_id: 'u', conversation_id: 'c' }],
  ];
  for (const [channel, value] of cases) {
    const profile = edit(empty(), [{ $append: { [channel]: value } }]);
    t.strictSame(pairs(profile), [[channel, value]], `${channel} ${JSON.stringify(value)}`);
    const identity = profile.identities[0]!;
    t.equal(identity.status, 'active');
    t.equal(identity.permaStatus, 'active');
    t.equal(identity.createdAt, T1);
    t.equal(identity.updatedAt, T1);
  }
});

t.test('invalid values of every channel are rejected with a message naming the place', async (t) => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['$email', 'not-an-email', /operations\[0\]\.\$append\.\$email: "not-an-email" is not a valid email address/],
    ['$email', 42, /\$email: expected an email address string, got a number/],
    ['$email', { a: 1 }, /expected an email address string, got an object/],
    ['$sms', '5555550123', /\$sms: "5555550123" is not a phone number in E\.164 format/],
    ['$sms', '+0555', /not a phone number in E\.164 format/],
    ['$whatsapp', 919876543210, /\$whatsapp: expected a phone number string in E\.164 format, got a number/],
    ['$inbox', '', /\$inbox: expected a non-empty inbox id string, got an empty string/],
    ['$inbox', null, /\$inbox: expected a non-empty inbox id string, got null/],
    ['$androidpush', '', /\$androidpush: \$androidpush token must not be empty/],
    ['$androidpush', 7, /\$androidpush: expected a push token \(a non-empty string\) or an object/],
    ['$iospush', { provider: 'apns' }, /\$iospush\.token: token must be a non-empty string, got nothing/],
    ['$iospush', { token: 't', device_id: 5 }, /\$iospush\.device_id: device_id must be a string or null, got a number/],
    ['$webpush', 'https://endpoint', /\$webpush: expected a web push subscription object/],
    ['$webpush', { endpoint: 'https://e' }, /expected a web push subscription object/],
    ['$webpush', { endpoint: 'https://e', keys: { p256dh: 'k' } }, /expected a web push subscription object/],
    ['$webpush', { endpoint: 1, keys: { p256dh: 'k', auth: 'a' } }, /expected a web push subscription object/],
    ['$slack', 'U123', /\$slack: expected a Slack object in one of these shapes/],
    ['$slack', {}, /expected a Slack object/],
    ['$slack', { access_token: 'xoxb' }, /expected a Slack object/],
    ['$slack', { user_id: 'U1' }, /expected a Slack object/],
    ['$slack', { incoming_webhook: { url: 5 } }, /expected a Slack object/],
    ['$slack', { incoming_webhook: 'https://x' }, /expected a Slack object/],
    ['$ms_teams', {}, /\$ms_teams: expected an MS Teams object/],
    ['$ms_teams', { tenant_id: 't', service_url: 's' }, /expected an MS Teams object/],
    ['$ms_teams', { tenant_id: 't', service_url: 5, conversation_id: 'c' }, /expected an MS Teams object/],
    ['$ms_teams', [TEAMS_WEBHOOK, 'x'], /\$ms_teams\[1\]: expected an MS Teams object/],
  ];
  for (const [channel, value, message] of cases) {
    const error = editError(empty(), [{ $append: { [channel]: value } }]);
    t.match(error.message, message, `${channel} ${JSON.stringify(value)}`);
    t.equal(error.path.startsWith(`operations[0].$append.${channel}`), true, error.path);
  }
});

t.test('$append accepts one value or an array, and keeps insertion order', async (t) => {
  const profile = edit(empty(), [
    { $append: { $email: ['a@example.com', 'b@example.com'], $sms: '+15555550123' } },
    { $append: { $email: 'c@example.com' } },
  ]);
  t.strictSame(pairs(profile), [
    ['$email', 'a@example.com'],
    ['$email', 'b@example.com'],
    ['$sms', '+15555550123'],
    ['$email', 'c@example.com'],
  ]);
  t.strictSame(pairs(edit(empty(), [{ $append: { $email: [] } }])), []);
});

t.test('adding an existing identity keeps one and keeps its place', async (t) => {
  const start = profileFrom({ $email: ['a@example.com', 'b@example.com'] });
  const profile = edit(start, [{ $append: { $email: ['a@example.com', 'a@example.com'] } }]);
  t.strictSame(pairs(profile), [
    ['$email', 'a@example.com'],
    ['$email', 'b@example.com'],
  ]);
  t.equal(profile.identities[0]!.createdAt, T0);
  t.equal(profile.identities[0]!.updatedAt, T1);
  t.equal(profile.identities[1]!.updatedAt, T0, 'untouched identities keep their updatedAt');
});

t.test('re-adding an inactive/disabled identity re-activates it but keeps perma_status', async (t) => {
  const start = profileFrom({ $email: ['a@example.com'] });
  const bounced = {
    ...start,
    identities: [{ ...start.identities[0]!, status: 'inactive' as const, permaStatus: 'disabled' as const }],
  };
  const profile = edit(bounced, [{ $append: { $email: 'a@example.com' } }]);
  t.equal(profile.identities.length, 1);
  t.equal(profile.identities[0]!.status, 'active');
  t.equal(profile.identities[0]!.permaStatus, 'disabled');
  t.equal(profile.identities[0]!.updatedAt, T1);
  t.equal(profile.identities[0]!.createdAt, T0);
});

t.test('object identities are compared structurally', async (t) => {
  const slackA = { access_token: 'xoxb-1', user_id: 'U1', meta: { x: 1, y: 2 } };
  const slackB = { meta: { y: 2, x: 1 }, user_id: 'U1', access_token: 'xoxb-1' };
  const added = edit(empty(), [{ $append: { $slack: slackA } }, { $append: { $slack: slackB } }]);
  t.equal(ofChannel(added, '$slack').length, 1, 'same Slack object with other key order is one identity');
  t.strictSame(added.identities[0]!.value, slackA, 'the value is stored as first sent');
  t.strictSame(Object.keys(added.identities[0]!.value), ['access_token', 'user_id', 'meta']);

  const removed = edit(added, [{ $remove: { $slack: slackB } }]);
  t.strictSame(removed.identities, [], '$remove with reordered keys removes it');

  const webpushReordered = {
    keys: { auth: WEBPUSH.keys.auth, p256dh: WEBPUSH.keys.p256dh },
    expirationTime: null,
    endpoint: WEBPUSH.endpoint,
  };
  const wp = edit(empty(), [{ $append: { $webpush: [WEBPUSH, webpushReordered] } }]);
  t.equal(wp.identities.length, 1);
  const teams = edit(empty(), [{ $append: { $ms_teams: TEAMS_CONVERSATION } }, { $remove: { $ms_teams: { ...TEAMS_CONVERSATION } } }]);
  t.strictSame(teams.identities, []);
});

t.test('object identities that differ in any value are distinct', async (t) => {
  const profile = edit(empty(), [
    {
      $append: {
        $slack: [
          { access_token: 'a', user_id: 'U1' },
          { access_token: 'a', user_id: 'U2' },
        ],
      },
    },
  ]);
  t.equal(profile.identities.length, 2);
});

t.test('$remove removes by value; missing values are not an error', async (t) => {
  const start = profileFrom({ $email: ['a@example.com', 'b@example.com'], $sms: ['+15555550123'] });
  const profile = edit(start, [{ $remove: { $email: ['a@example.com', 'zz@example.com'], $sms: '+15555550999' } }]);
  t.strictSame(pairs(profile), [
    ['$email', 'b@example.com'],
    ['$sms', '+15555550123'],
  ]);
});

t.test('$remove still validates the shape of the value', async (t) => {
  const start = profileFrom({ $slack: [SLACK_WEBHOOK] });
  t.match(editError(start, [{ $remove: { $slack: 'U1' } }]).message, /^operations\[0\]\.\$remove\.\$slack: expected a Slack object/);
  t.match(editError(start, [{ $remove: { $email: 'nope' } }]).message, /"nope" is not a valid email address/);
});

t.test('$unset of a channel removes all its identities, including $inbox', async (t) => {
  const start = profileFrom({ $email: ['a@example.com', 'b@example.com'], $sms: ['+15555550123'] }, 'inbox-1');
  const noEmail = edit(start, [{ $unset: ['$email'] }]);
  t.strictSame(pairs(noEmail), [
    ['$inbox', 'inbox-1'],
    ['$sms', '+15555550123'],
  ]);
  const noInbox = edit(start, [{ $unset: '$inbox' }]);
  t.strictSame(pairs(noInbox), [
    ['$email', 'a@example.com'],
    ['$email', 'b@example.com'],
    ['$sms', '+15555550123'],
  ]);
  t.strictSame(pairs(edit(start, [{ $unset: ['$slack'] }])), pairs(start), 'unsetting an empty channel is a no-op');
});

t.test('channel keys are refused by property operators', async (t) => {
  const start = empty();
  t.match(
    editError(start, [{ $set: { $email: 'a@example.com' } }]).message,
    /^operations\[0\]\.\$set\.\$email: .*use \$append to add a channel identity/,
  );
  t.match(editError(start, [{ $set_once: { $sms: '+15555550123' } }]).message, /^operations\[0\]\.\$set_once\.\$sms: .*use \$append/);
  t.match(editError(start, [{ $add: { $inbox: 1 } }]).message, /^operations\[0\]\.\$add\.\$inbox: \$inbox is a channel/);
  t.match(editError(start, [{ $increment: { $email: 1 } }]).message, /^operations\[0\]\.\$increment\.\$email: \$email is a channel/);
});

t.test('upsert adds identities of every channel from arrays', async (t) => {
  const body = {
    $email: ['a@example.com'],
    $sms: ['+15555550123'],
    $whatsapp: ['+15555550124'],
    $inbox: ['inbox-2'],
    $webpush: [WEBPUSH],
    $androidpush: ['a-token', { token: 'b-token', provider: 'Xiaomi', device_id: 'dev-1' }],
    $iospush: [{ token: 'i-token' }],
    $slack: [SLACK_USER],
    $ms_teams: [TEAMS_WEBHOOK],
  };
  const profile = okProfile(applyUpsert(deepFreeze(empty()), body, ctx1));
  t.strictSame(pairs(profile), [
    ['$email', 'a@example.com'],
    ['$sms', '+15555550123'],
    ['$whatsapp', '+15555550124'],
    ['$inbox', 'inbox-2'],
    ['$webpush', WEBPUSH],
    ['$androidpush', 'a-token'],
    ['$androidpush', 'b-token'],
    ['$iospush', 'i-token'],
    ['$slack', SLACK_USER],
    ['$ms_teams', TEAMS_WEBHOOK],
  ]);
  t.strictSame(
    profile.identities.map((i) => i.idProvider),
    [null, null, null, 'suprsend', 'vapid', 'fcm', 'xiaomi', 'apns', null, null],
  );
  t.strictSame(profile.identities[6]!.meta, { device_id: 'dev-1' });
  t.strictSame(profile.identities[5]!.meta, {});
});

t.test('applyOperations with an invalid channel value deep inside an array fails as a whole', async (t) => {
  const start = deepFreeze(profileFrom({ $email: ['a@example.com'] }));
  const result = applyOperations(start, [{ $append: { $email: ['b@example.com', 'bad'] } }], ctx1);
  t.equal(result.ok, false);
  if (!result.ok) {
    t.equal(result.error.path, 'operations[0].$append.$email[1]');
    t.equal(result.error.message, 'operations[0].$append.$email[1]: "bad" is not a valid email address');
  }
  t.strictSame(pairs(start), [['$email', 'a@example.com']]);
});
