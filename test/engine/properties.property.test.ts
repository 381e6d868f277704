import fc from 'fast-check';
import t from 'tap';
import {
  ALLOWED_PROVIDERS,
  applyOperations,
  applyUpsert,
  canonicalKey,
  CHANNELS,
  EngineValidationError,
  jsonEqual,
  mergeProfiles,
  PROVIDER_CHANNELS,
  type EngineResult,
  type Json,
  type Profile,
} from '../../src/engine/index.js';
import {
  channelValueArb,
  identityId,
  jsonArb,
  operationsArb,
  plainKeyArb,
  profileArb,
  propertiesArb,
  reverseKeys,
  upsertBodyArb,
  type ChannelValue,
} from './fixtures/arbitraries.js';
import { ctx1, ctx2, deepFreeze, snapshot, T1, withoutUpdatedAt } from './fixtures/helpers.js';

const SETTINGS = { seed: 20240101, numRuns: 300 };

/** Runs a property with the fixed settings; `report` explains a failure. */
function checkProperty<Ts>(property: fc.IProperty<Ts>): { failed: boolean; numRuns: number; report: string } {
  const details = fc.check(property, SETTINGS);
  return {
    failed: details.failed,
    numRuns: details.numRuns,
    report: details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : 'property held',
  };
}

/** Problems with a profile that a successful apply must never produce; empty when fine. */
function invariantViolations(profile: Profile, allowedTimes: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const identity of profile.identities) {
    const id = `${identity.channel} ${identity.key}`;
    if (seen.has(id)) problems.push(`duplicate identity ${id}`);
    seen.add(id);
    if (!(CHANNELS as readonly string[]).includes(identity.channel)) problems.push(`unknown channel ${identity.channel}`);
    if (identity.key !== canonicalKey(identity.value)) problems.push(`stale key on ${id}`);
    if (identity.status !== 'active' && identity.status !== 'inactive') problems.push(`bad status on ${id}`);
    if (identity.permaStatus !== 'active' && identity.permaStatus !== 'disabled') problems.push(`bad perma_status on ${id}`);
    const providerChannel = (PROVIDER_CHANNELS as readonly string[]).includes(identity.channel);
    if (providerChannel) {
      if (typeof identity.idProvider !== 'string' || identity.idProvider === '') problems.push(`missing provider on ${id}`);
      const allowed = ALLOWED_PROVIDERS[identity.channel as keyof typeof ALLOWED_PROVIDERS];
      if (allowed && !allowed.includes(identity.idProvider ?? '')) problems.push(`bad provider ${identity.idProvider} on ${id}`);
    } else if (identity.idProvider !== null) {
      problems.push(`provider on non-provider channel ${id}`);
    }
    if (!allowedTimes.has(identity.updatedAt)) problems.push(`unexpected updatedAt on ${id}`);
  }
  if (!jsonEqual(JSON.parse(JSON.stringify(profile.properties)), profile.properties)) problems.push('properties are not plain JSON');
  return problems;
}

/** Whether a result is exactly one of the two allowed shapes. */
function wellFormedFailure(result: EngineResult): boolean {
  if (result.ok) return false;
  return (
    result.error instanceof EngineValidationError &&
    typeof result.error.message === 'string' &&
    result.error.message.length > 0 &&
    typeof result.error.path === 'string' &&
    (result.error.path === '' || result.error.message.startsWith(result.error.path))
  );
}

function groupByChannel(items: ChannelValue[], transform: (value: Json) => Json = (v) => v): Record<string, Json[]> {
  const grouped: Record<string, Json[]> = {};
  for (const { channel, value } of items) {
    grouped[channel] ??= [];
    grouped[channel].push(transform(value));
  }
  return grouped;
}

t.test('appending new identities then removing them restores the identities exactly', async (t) => {
  const run = checkProperty(
    fc.property(profileArb, fc.array(channelValueArb, { maxLength: 8 }), fc.boolean(), (start, candidates, oneOpEach) => {
      deepFreeze(start);
      const present = new Set(start.identities.map((i) => `${i.channel} ${i.key}`));
      const fresh: ChannelValue[] = [];
      for (const item of candidates) {
        const id = identityId(item);
        if (!present.has(id)) {
          present.add(id);
          fresh.push(item);
        }
      }
      const appendOps = oneOpEach
        ? fresh.map(({ channel, value }) => ({ $append: { [channel]: value } }))
        : [{ $append: groupByChannel(fresh) }];
      const appended = applyOperations(start, appendOps, ctx1);
      if (!appended.ok) return false;
      if (appended.profile.identities.length !== start.identities.length + fresh.length) return false;
      // Remove with object keys in another order: equality is structural.
      const removed = applyOperations(deepFreeze(appended.profile), [{ $remove: groupByChannel(fresh, reverseKeys) }], ctx2);
      if (!removed.ok) return false;
      return jsonEqual(snapshot(removed.profile.identities), snapshot(start.identities));
    }),
  );
  t.equal(run.failed, false, run.report);
  t.equal(run.numRuns, SETTINGS.numRuns, 'ran every case');
});

t.test('$set_once never overwrites an existing key', async (t) => {
  const run = checkProperty(
    fc.property(profileArb, propertiesArb, (start, once) => {
      deepFreeze(start);
      const result = applyOperations(start, [{ $set_once: once }], ctx1);
      if (!result.ok) return false;
      const after = result.profile.properties;
      const has = (o: object, k: string) => Object.hasOwn(o, k);
      for (const key of Object.keys(start.properties)) {
        if (!has(after, key) || !jsonEqual(after[key], start.properties[key])) return false;
      }
      for (const key of Object.keys(once)) {
        if (!has(start.properties, key) && !jsonEqual(after[key], once[key])) return false;
      }
      const expectedKeys = new Set([...Object.keys(start.properties), ...Object.keys(once)]);
      return Object.keys(after).length === expectedKeys.size && jsonEqual(snapshot(result.profile.identities), snapshot(start.identities));
    }),
  );
  t.equal(run.failed, false, run.report);
  t.equal(run.numRuns, SETTINGS.numRuns, 'ran every case');
});

t.test('re-applying the same $set changes nothing but updatedAt', async (t) => {
  const setArb = fc
    .tuple(
      propertiesArb,
      fc.option(fc.constantFrom('UTC', 'Asia/Kolkata', 'US/Eastern'), { nil: undefined }),
      fc.option(fc.constantFrom('en', 'fr', 'hi'), { nil: undefined }),
    )
    .map(([properties, timezone, language]) => {
      const out: Record<string, Json> = { ...properties };
      if (timezone !== undefined) out.$timezone = timezone;
      if (language !== undefined) out.$preferred_language = language;
      return out;
    });
  const run = checkProperty(
    fc.property(profileArb, setArb, (start, set) => {
      const once = applyOperations(deepFreeze(start), [{ $set: set }], ctx1);
      if (!once.ok) return false;
      const twice = applyOperations(deepFreeze(once.profile), [{ $set: set }], ctx2);
      if (!twice.ok) return false;
      return jsonEqual(snapshot(withoutUpdatedAt(twice.profile)), snapshot(withoutUpdatedAt(once.profile)));
    }),
  );
  t.equal(run.failed, false, run.report);
  t.equal(run.numRuns, SETTINGS.numRuns, 'ran every case');
});

t.test('random operation lists never throw and keep the invariants', async (t) => {
  let okCount = 0;
  let failCount = 0;
  const run = checkProperty(
    fc.property(profileArb, operationsArb, (start, operations) => {
      deepFreeze(start);
      const before = snapshot(start);
      const result = applyOperations(start, operations, ctx1);
      if (!jsonEqual(snapshot(start), before)) return false;
      if (!result.ok) {
        failCount++;
        return wellFormedFailure(result);
      }
      okCount++;
      if (Object.keys(result).join() !== 'ok,profile') return false;
      const times = new Set([...start.identities.map((i) => i.updatedAt), T1]);
      const problems = invariantViolations(result.profile, times);
      if (problems.length > 0) throw new Error(problems.join('; '));
      // Deterministic: the same call gives the same answer.
      const again = applyOperations(start, operations, ctx1);
      return again.ok && jsonEqual(snapshot(again.profile), snapshot(result.profile));
    }),
  );
  t.equal(run.failed, false, run.report);
  t.equal(run.numRuns, SETTINGS.numRuns, 'ran every case');
  t.ok(okCount >= 30, `enough successful runs to check invariants (${okCount})`);
  t.ok(failCount >= 30, `enough failing runs to check error shapes (${failCount})`);
});

t.test('random upsert bodies never throw and keep the invariants', async (t) => {
  let okCount = 0;
  let failCount = 0;
  const run = checkProperty(
    fc.property(profileArb, upsertBodyArb, (start, body) => {
      deepFreeze(start);
      const before = snapshot(start);
      const result = applyUpsert(start, body, ctx1);
      if (!jsonEqual(snapshot(start), before)) return false;
      if (!result.ok) {
        failCount++;
        return wellFormedFailure(result);
      }
      okCount++;
      const times = new Set([...start.identities.map((i) => i.updatedAt), T1]);
      const problems = invariantViolations(result.profile, times);
      if (problems.length > 0) throw new Error(problems.join('; '));
      // Upsert never removes an identity.
      const after = new Set(result.profile.identities.map((i) => `${i.channel} ${i.key}`));
      return start.identities.every((i) => after.has(`${i.channel} ${i.key}`));
    }),
  );
  t.equal(run.failed, false, run.report);
  t.equal(run.numRuns, SETTINGS.numRuns, 'ran every case');
  t.ok(okCount >= 30, `enough successful runs (${okCount})`);
  t.ok(failCount >= 30, `enough failing runs (${failCount})`);
});

t.test('merging two valid profiles keeps the invariants and every identity', async (t) => {
  const run = checkProperty(
    fc.property(profileArb, profileArb, (primary, secondary) => {
      const merged = mergeProfiles(deepFreeze(primary), deepFreeze(secondary), ctx1);
      const times = new Set([...primary.identities, ...secondary.identities].map((i) => i.updatedAt).concat(T1));
      if (invariantViolations(merged, times).length > 0) return false;
      const ids = new Set(merged.identities.map((i) => `${i.channel} ${i.key}`));
      const all = [...primary.identities, ...secondary.identities].every((i) => ids.has(`${i.channel} ${i.key}`));
      const props = Object.keys(primary.properties).every((k) => jsonEqual(merged.properties[k], primary.properties[k]));
      return all && props;
    }),
  );
  t.equal(run.failed, false, run.report);
  t.equal(run.numRuns, SETTINGS.numRuns, 'ran every case');
});

t.test('plain keys used by the generators really are plain', async (t) => {
  const sample = fc.sample(plainKeyArb, { seed: 7, numRuns: 200 });
  t.equal(
    sample.some((key) => key.startsWith('$') && key !== '$name'),
    false,
  );
  t.equal(fc.sample(jsonArb, { seed: 7, numRuns: 50 }).length, 50);
});
