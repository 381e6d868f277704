/**
 * The engine's request limits (exact boundaries, messages and paths), and
 * the cost of the largest requests they let through.
 */
import t from 'tap';
import {
  applyOperations,
  applyUpsert,
  IdentityDraft,
  MAX_IDENTITIES_PER_CHANNEL,
  MAX_OPERATIONS_PER_REQUEST,
  MAX_VALUES_PER_CHANNEL_PER_REQUEST,
  mergeProfiles,
  newProfile,
  parseIdentity,
  PropertiesDraft,
  type IdentityInput,
  type Profile,
} from '../../src/engine/index.js';
import { ctx0, ctx1, deepFreeze, editError, errorOf, ofChannel, okProfile, profileFrom } from './fixtures/helpers.js';

const emails = (count: number, prefix = 'u') => Array.from({ length: count }, (_, i) => `${prefix}${i}@example.com`);

function timed<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

t.test('the limits are what the README names', async (t) => {
  t.equal(MAX_OPERATIONS_PER_REQUEST, 1000);
  t.equal(MAX_VALUES_PER_CHANNEL_PER_REQUEST, 1000);
  t.equal(MAX_IDENTITIES_PER_CHANNEL, 1000);
});

t.test('values of one channel in an upsert', async (t) => {
  const full = profileFrom({ $email: emails(MAX_VALUES_PER_CHANNEL_PER_REQUEST), $sms: ['+15555550123'] });
  t.equal(ofChannel(full, '$email').length, MAX_VALUES_PER_CHANNEL_PER_REQUEST, 'the limit itself is accepted');

  const other = profileFrom({ $email: emails(MAX_VALUES_PER_CHANNEL_PER_REQUEST), $inbox: emails(MAX_VALUES_PER_CHANNEL_PER_REQUEST) });
  t.equal(other.identities.length, 2 * MAX_VALUES_PER_CHANNEL_PER_REQUEST, 'the limit is per channel');

  const over = errorOf(applyUpsert(deepFreeze(newProfile(ctx0, null)), { name: 'A', $email: emails(1001) }, ctx1));
  t.equal(over.message, '$email: at most 1000 $email values are accepted in one request, got 1001');
  t.equal(over.path, '$email');

  // Counted before any value is read: a huge list of junk is refused for its size, not its first bad value.
  const junk = errorOf(applyUpsert(newProfile(ctx0, null), { $sms: Array.from({ length: 40_000 }, () => 5) }, ctx1));
  t.equal(junk.message, '$sms: at most 1000 $sms values are accepted in one request, got 40000');
});

t.test('operations in an edit', async (t) => {
  const start = profileFrom({ n: 0 });
  const ops = (count: number) => Array.from({ length: count }, () => ({ $add: { n: 1 } }));
  t.equal(okProfile(applyOperations(deepFreeze(start), ops(MAX_OPERATIONS_PER_REQUEST), ctx1)).properties.n, 1000, '1000 are applied');
  const over = editError(start, ops(MAX_OPERATIONS_PER_REQUEST + 1));
  t.equal(over.message, 'operations: at most 1000 operations are accepted in one request, got 1001; send them in several requests');
  t.equal(over.path, 'operations');
});

t.test('values of one channel across the operations of an edit', async (t) => {
  const start = profileFrom({ name: 'A' });
  const one = Array.from({ length: MAX_VALUES_PER_CHANNEL_PER_REQUEST }, (_, i) => ({ $append: { $email: `a${i}@example.com` } }));
  t.equal(ofChannel(okProfile(applyOperations(deepFreeze(start), one, ctx1)), '$email').length, 1000, 'one value per operation counts 1');

  const split = [{ $append: { $email: emails(600) } }, { $remove: { $email: emails(401) } }];
  const over = editError(start, split);
  t.equal(
    over.message,
    'operations[1].$remove.$email: at most 1000 $email values are accepted in one request; with these the request has 1001',
  );
  t.equal(over.path, 'operations[1].$remove.$email');

  const mixed = okProfile(
    applyOperations(
      deepFreeze(start),
      [{ $append: { $email: emails(600), $sms: ['+15555550123'] } }, { $remove: { $email: emails(400) } }],
      ctx1,
    ),
  );
  t.equal(ofChannel(mixed, '$email').length, 200, '600 + 400 is within the limit; other channels count apart');
});

t.test('identities of one channel on a profile', async (t) => {
  const full = profileFrom({ $email: emails(MAX_IDENTITIES_PER_CHANNEL) });

  const upsertOver = errorOf(applyUpsert(deepFreeze(full), { $email: ['new@example.com'] }, ctx1));
  t.equal(upsertOver.message, '$email: a profile can hold at most 1000 $email identities; this request would leave it with 1001');
  t.equal(upsertOver.path, '$email');
  const editOver = editError(full, [{ $append: { $email: 'new@example.com' } }]);
  t.equal(editOver.message, upsertOver.message, 'the same through an edit');

  t.equal(
    okProfile(applyUpsert(deepFreeze(full), { $email: ['u5@example.com'] }, ctx1)).identities.length,
    1000,
    'adding one it has is fine',
  );
  const swapped = okProfile(
    applyOperations(deepFreeze(full), [{ $append: { $email: 'new@example.com' } }, { $remove: { $email: 'u0@example.com' } }], ctx1),
  );
  t.equal(swapped.identities.length, 1000, 'over the limit mid-request but not at the end is fine');
  t.equal(swapped.identities.at(-1)?.value, 'new@example.com');

  // A profile already over the limit (here by a merge) may shrink or stay, not grow.
  const overfull = mergeProfiles(full, profileFrom({ $email: emails(200, 'v') }), ctx1);
  t.equal(overfull.identities.length, 1200);
  t.equal(okProfile(applyOperations(deepFreeze(overfull), [{ $remove: { $email: 'v1@example.com' } }], ctx1)).identities.length, 1199);
  t.equal(okProfile(applyUpsert(deepFreeze(overfull), { $email: ['v1@example.com'], name: 'A' }, ctx1)).identities.length, 1200);
  t.match(errorOf(applyUpsert(deepFreeze(overfull), { $email: ['w@example.com'] }, ctx1)).message, 'would leave it with 1201');
});

t.test('the largest accepted requests cost little', async (t) => {
  // 999 emails and a 50,000-element list, then 1,000 operations that each append an email (one new, the
  // rest present already) and a tag, and remove a tag.
  const start = deepFreeze(profileFrom({ $email: emails(999), tags: Array.from({ length: 50_000 }, (_, i) => `t${i}`) }));
  const operations = Array.from({ length: MAX_OPERATIONS_PER_REQUEST }, (_, i) => ({
    $append: { $email: i === 0 ? 'last@example.com' : `u${i - 1}@example.com`, tags: `n${i}` },
    $remove: { tags: `t${i}` },
  }));
  const { value, ms } = timed(() => okProfile(applyOperations(start, operations, ctx1)));
  t.equal(value.identities.length, 1000);
  t.equal((value.properties.tags as string[]).length, 50_000);
  t.ok(ms < 1500, `applied in ${ms.toFixed(0)} ms`);
});

t.test('the drafts themselves cost time in proportion to their work, whatever the limits', async (t) => {
  const inputs: IdentityInput[] = emails(40_000).map((email, i) => {
    const parsed = parseIdentity('$email', email, `$email[${i}]`);
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  });
  const identities = timed(() => {
    const draft = new IdentityDraft([]);
    for (const input of inputs) draft.add(input, ctx1);
    for (const input of inputs) draft.add(input, ctx1);
    for (let i = 0; i < inputs.length; i += 2) draft.remove('$email', inputs[i]!.key);
    return draft.list();
  });
  t.equal(identities.value.length, 20_000);
  t.equal(identities.value[0]?.value, 'u1@example.com', 'order kept across holes');
  t.ok(identities.ms < 1500, `40,000 adds, 40,000 re-adds and 20,000 removes in ${identities.ms.toFixed(0)} ms`);

  const properties = timed(() => {
    const draft = new PropertiesDraft({});
    for (let i = 0; i < 30_000; i++) draft.append('tags', { id: i, kind: 'x' }, 'tags');
    for (let i = 0; i < 30_000; i += 3) draft.remove('tags', { kind: 'x', id: i }, 'tags');
    return draft.result();
  });
  t.equal((properties.value.tags as unknown[]).length, 20_000, 'objects compared whatever their key order');
  t.ok(properties.ms < 1500, `30,000 appends and 10,000 removes in ${properties.ms.toFixed(0)} ms`);
});

t.test('a failed request leaves the profile as it was', async (t) => {
  const start: Profile = deepFreeze(profileFrom({ tags: ['a'], $email: ['a@example.com'] }));
  const over = applyOperations(start, [{ $append: { tags: 'b', $email: 'b@example.com' } }, { $remove: { $email: emails(1000) } }], ctx1);
  t.equal(over.ok, false);
  t.same(start.properties, { tags: ['a'] });
  t.equal(start.identities.length, 1);
});
