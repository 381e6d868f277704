import t from 'tap';
import { applyUpsert, newProfile } from '../../src/engine/index.js';
import { ctx0, ctx1, ctx2, deepFreeze, edit, editError, errorOf, okProfile, T2, WEBPUSH } from './fixtures/helpers.js';

const empty = () => newProfile(ctx0, null);

function providerOf(operations: unknown): Array<string | null> {
  return edit(empty(), operations).identities.map((identity) => identity.idProvider);
}

t.test('push channels and inbox get their default provider', async (t) => {
  t.strictSame(providerOf([{ $append: { $androidpush: 'a', $iospush: 'i', $webpush: WEBPUSH, $inbox: 'x', $email: 'e@example.com' } }]), [
    'fcm',
    'apns',
    'vapid',
    'suprsend',
    null,
  ]);
});

t.test('$id_provider and $pushvendor set the provider, lower-cased', async (t) => {
  t.strictSame(providerOf([{ $append: { $androidpush: 'a', $id_provider: 'xiaomi' } }]), ['xiaomi']);
  t.strictSame(providerOf([{ $append: { $androidpush: 'a', $pushvendor: 'OPPO' } }]), ['oppo']);
  t.strictSame(providerOf([{ $append: { $iospush: 'i', $id_provider: 'APNs' } }]), ['apns']);
  t.strictSame(providerOf([{ $append: { $webpush: WEBPUSH, $pushvendor: 'vapid' } }]), ['vapid']);
  t.strictSame(providerOf([{ $append: { $inbox: 'x', $id_provider: 'SuprSend' } }]), ['suprsend']);
  t.strictSame(providerOf([{ $append: { $androidpush: 'a', $id_provider: 'fcm', $pushvendor: 'FCM' } }]), ['fcm']);
});

t.test('null or "" provider means the default', async (t) => {
  t.strictSame(providerOf([{ $append: { $androidpush: 'a', $id_provider: null } }]), ['fcm']);
  t.strictSame(providerOf([{ $append: { $androidpush: 'a', $pushvendor: '' } }]), ['fcm']);
  t.strictSame(providerOf([{ $append: { $iospush: 'i', $id_provider: '' } }]), ['apns']);
  t.strictSame(providerOf([{ $append: { $androidpush: { token: 'a', provider: null } } }]), ['fcm']);
  t.strictSame(providerOf([{ $append: { $androidpush: { token: 'a', provider: '' } } }]), ['fcm']);
});

t.test('invalid providers are rejected', async (t) => {
  t.equal(
    editError(empty(), [{ $append: { $androidpush: 'a', $id_provider: 'apns' } }]).message,
    'operations[0].$append.$id_provider: "apns" is not a provider for $androidpush; expected fcm or xiaomi or oppo',
  );
  t.match(
    editError(empty(), [{ $append: { $iospush: 'i', $pushvendor: 'fcm' } }]).message,
    /\$pushvendor: "fcm" is not a provider for \$iospush; expected apns/,
  );
  t.match(
    editError(empty(), [{ $append: { $webpush: WEBPUSH, $id_provider: 'fcm' } }]).message,
    /"fcm" is not a provider for \$webpush; expected vapid/,
  );
  t.match(
    editError(empty(), [{ $append: { $androidpush: 'a', $id_provider: 5 } }]).message,
    /\$id_provider: \$id_provider must be a string or null, got a number/,
  );
  t.match(
    editError(empty(), [{ $append: { $androidpush: { token: 'a', provider: 'huawei' } } }]).message,
    /\$androidpush\.provider: "huawei" is not a provider for \$androidpush/,
  );
  t.match(
    editError(empty(), [{ $append: { $androidpush: 'a', $id_provider: 'fcm', $pushvendor: 'xiaomi' } }]).message,
    /\$pushvendor "xiaomi" conflicts with \$id_provider "fcm"/,
  );
  t.match(
    editError(empty(), [{ $append: { $androidpush: [], $id_provider: 'apns' } }]).message,
    /"apns" is not a provider for \$androidpush/,
    'checked even with no items',
  );
  t.match(
    editError(empty(), [{ $append: { $androidpush: 'a', $iospush: 'i', $id_provider: 'xiaomi' } }]).message,
    /"xiaomi" is not a provider for \$iospush/,
  );
  const upsertError = errorOf(applyUpsert(deepFreeze(empty()), { $iospush: [{ token: 't', provider: 'fcm' }] }, ctx1));
  t.equal(upsertError.path, '$iospush[0].provider');
});

t.test('a modifier without a push channel key is an error', async (t) => {
  for (const modifier of ['$id_provider', '$pushvendor', '$bundle_id', '$device_id']) {
    const error = editError(empty(), [{ $append: { $email: 'a@example.com', [modifier]: 'x' } }]);
    t.equal(error.path, `operations[0].$append.${modifier}`);
    t.match(error.message, `${modifier} must accompany a push channel`);
  }
  t.match(
    editError(empty(), [{ $remove: { $pushvendor: 'fcm' } }]).message,
    /^operations\[0\]\.\$remove\.\$pushvendor: \$pushvendor must accompany a push channel/,
  );
});

t.test('modifiers are refused outside $append/$remove', async (t) => {
  t.match(
    editError(empty(), [{ $set: { $id_provider: 'fcm' } }]).message,
    /^operations\[0\]\.\$set\.\$id_provider: \$id_provider can only be used inside \$append or \$remove/,
  );
  t.match(editError(empty(), [{ $set_once: { $device_id: 'd' } }]).message, /\$set_once\.\$device_id: /);
});

t.test('$bundle_id and $device_id go into meta when non-empty', async (t) => {
  const profile = edit(empty(), [
    { $append: { $iospush: 'i', $bundle_id: 'com.example.app', $device_id: 'dev-9' } },
    { $append: { $androidpush: 'a', $bundle_id: '', $device_id: null } },
  ]);
  t.strictSame(profile.identities[0]!.meta, { bundle_id: 'com.example.app', device_id: 'dev-9' });
  t.strictSame(profile.identities[1]!.meta, {});
  t.strictSame(edit(empty(), [{ $append: { $androidpush: { token: 'a', device_id: '' } } }]).identities[0]!.meta, {});
  t.strictSame(edit(empty(), [{ $append: { $androidpush: { token: 'a', device_id: 'd1' }, $device_id: 'd2' } }]).identities[0]!.meta, {
    device_id: 'd1',
  });
  t.match(
    editError(empty(), [{ $append: { $iospush: 'i', $bundle_id: 3 } }]).message,
    /\$bundle_id must be a string or null, got a number/,
  );
});

t.test('re-adding a push token updates provider and meta only when given', async (t) => {
  const first = edit(empty(), [{ $append: { $androidpush: 'tok', $id_provider: 'xiaomi', $bundle_id: 'b1', $device_id: 'd1' } }]);
  const noProvider = edit(first, [{ $append: { $androidpush: 'tok' } }], ctx2);
  t.equal(noProvider.identities[0]!.idProvider, 'xiaomi', 'absent provider keeps the stored one');
  t.strictSame(noProvider.identities[0]!.meta, { bundle_id: 'b1', device_id: 'd1' });
  t.equal(noProvider.identities[0]!.updatedAt, T2);
  const changed = edit(first, [{ $append: { $androidpush: 'tok', $pushvendor: 'oppo', $device_id: 'd2' } }], ctx2);
  t.equal(changed.identities.length, 1);
  t.equal(changed.identities[0]!.idProvider, 'oppo');
  t.strictSame(changed.identities[0]!.meta, { bundle_id: 'b1', device_id: 'd2' });
});

t.test('$remove ignores the provider when matching', async (t) => {
  const start = edit(empty(), [{ $append: { $androidpush: 'tok', $id_provider: 'xiaomi' } }]);
  t.strictSame(edit(start, [{ $remove: { $androidpush: 'tok' } }]).identities, []);
  t.strictSame(edit(start, [{ $remove: { $androidpush: 'tok', $pushvendor: 'fcm' } }]).identities, []);
  t.strictSame(edit(start, [{ $remove: { $androidpush: { token: 'tok', provider: 'oppo' } } }]).identities, []);
});

t.test('the push object form works in upsert', async (t) => {
  const profile = okProfile(
    applyUpsert(
      deepFreeze(empty()),
      { $androidpush: [{ token: 'x', provider: 'oppo', device_id: 'dev', extra: 1 }], $id_provider: 'xiaomi' },
      ctx1,
    ),
  );
  t.equal(profile.identities.length, 1);
  t.equal(profile.identities[0]!.value, 'x');
  t.equal(profile.identities[0]!.idProvider, 'oppo');
  t.strictSame(profile.identities[0]!.meta, { device_id: 'dev' });
  t.strictSame(profile.properties, {}, 'top-level $id_provider is ignored by upsert');
});
