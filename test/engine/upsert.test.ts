import t from 'tap';
import { applyUpsert, newProfile } from '../../src/engine/index.js';
import { ctx0, ctx1, deepFreeze, errorOf, okProfile, pairs, profileFrom, snapshot, T0, T1 } from './fixtures/helpers.js';

const empty = () => newProfile(ctx0, null);
const upsert = (profile: ReturnType<typeof empty>, body: unknown) => applyUpsert(deepFreeze(profile), body, ctx1);

t.test('the body must be a JSON object', async (t) => {
  for (const [body, kind] of [
    [null, 'null'],
    [[], 'an array'],
    ['x', 'a string'],
    [1, 'a number'],
    [undefined, 'nothing'],
  ] as const) {
    const error = errorOf(upsert(empty(), body));
    t.equal(error.message, `request body must be a JSON object, got ${kind}`);
    t.equal(error.path, '');
  }
});

t.test('channel values must be arrays', async (t) => {
  const error = errorOf(upsert(empty(), { $email: 'a@example.com' }));
  t.equal(error.path, '$email');
  t.match(error.message, /^\$email must be an array of values, e.g\. \["a@example\.com"\]/);
  t.match(errorOf(upsert(empty(), { $sms: null })).message, /^\$sms must be an array of values, e\.g\. \["\+15555550123"\]; got null/);
  t.match(
    errorOf(upsert(empty(), { $slack: { incoming_webhook: { url: 'u' } } })).message,
    /^\$slack must be an array of values, e\.g\. \[\{"incoming_webhook"/,
  );
});

t.test('invalid items are reported with their index', async (t) => {
  const error = errorOf(upsert(empty(), { $email: ['a@example.com', 'nope'] }));
  t.equal(error.path, '$email[1]');
  t.equal(error.message, '$email[1]: "nope" is not a valid email address');
});

t.test('upsert merges into existing identities and never removes any', async (t) => {
  const start = profileFrom({ $email: ['a@example.com'], $sms: ['+15555550123'] }, 'inbox-1');
  const profile = okProfile(upsert(start, { $email: ['b@example.com', 'a@example.com'], $sms: [] }));
  t.strictSame(pairs(profile), [
    ['$inbox', 'inbox-1'],
    ['$email', 'a@example.com'],
    ['$sms', '+15555550123'],
    ['$email', 'b@example.com'],
  ]);
  t.strictSame(
    profile.identities.map((i) => i.updatedAt),
    [T0, T1, T0, T1],
  );
});

t.test('properties are overwritten, any JSON value and any key', async (t) => {
  const start = profileFrom({ name: 'Old', keep: 1 });
  const profile = okProfile(upsert(start, { name: 'Ada', $name: 'Ada L', ss_flag: true, obj: { a: [1] }, nil: null, $custom: 'x' }));
  t.strictSame(profile.properties, { name: 'Ada', keep: 1, $name: 'Ada L', ss_flag: true, obj: { a: [1] }, nil: null, $custom: 'x' });
});

t.test('reserved properties are validated', async (t) => {
  const profile = okProfile(upsert(empty(), { $timezone: 'Etc/GMT+5', $preferred_language: 'fr', $locale: 'fr_FR' }));
  t.strictSame(profile.properties, { $timezone: 'Etc/GMT+5', $preferred_language: 'fr', $locale: 'fr_FR' });
  t.equal(
    errorOf(upsert(empty(), { $timezone: 'Nowhere/Land' })).message,
    '$timezone: "Nowhere/Land" is not an IANA time zone name, e.g. "America/New_York" or "UTC"',
  );
  t.match(errorOf(upsert(empty(), { $timezone: null })).message, /^\$timezone: \$timezone must be an IANA time zone name .*got null/);
  t.match(errorOf(upsert(empty(), { $preferred_language: null })).message, /^\$preferred_language: .*got null/);
  t.match(
    errorOf(upsert(empty(), { $preferred_language: 'english' })).message,
    /"english" is not a two-letter lower-case ISO 639-1 language code/,
  );
  t.match(errorOf(upsert(empty(), { $locale: null })).message, /^\$locale: \$locale must be a non-empty string .*got null/);
  t.match(errorOf(upsert(empty(), { $locale: '' })).message, /got an empty string/);
});

t.test('top-level push modifiers are ignored', async (t) => {
  const profile = okProfile(
    upsert(empty(), { $id_provider: 'xiaomi', $pushvendor: 'oppo', $bundle_id: 'b', $device_id: 'd', $androidpush: ['tok'] }),
  );
  t.strictSame(profile.properties, {});
  t.equal(profile.identities[0]!.idProvider, 'fcm');
  t.strictSame(profile.identities[0]!.meta, {});
});

t.test('upsert is atomic and does not mutate its input', async (t) => {
  const start = deepFreeze(profileFrom({ name: 'Ada', $email: ['a@example.com'] }));
  const before = snapshot(start);
  const result = applyUpsert(start, { name: 'Grace', $email: ['b@example.com'], $timezone: 'bad' }, ctx1);
  t.equal(result.ok, false);
  t.strictSame(snapshot(start), before);
  const good = okProfile(applyUpsert(start, { name: 'Grace', $email: ['b@example.com'] }, ctx1));
  t.strictSame(snapshot(start), before);
  t.strictSame(good.properties, { name: 'Grace' });
  t.equal(good.identities.length, 2);
});
