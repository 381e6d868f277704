/**
 * The preference computation (src/engine/preferences.ts) on random catalog
 * entries, tenant overrides and stored choices:
 * - an explicit choice wins over every default, except on mandatory channels;
 * - a category the tenant hides or turns off never appears, and never delivers;
 * - no stored choice (what a reset leaves) gives exactly the defaults;
 * - the send-time predicate agrees with the answer's channel entries.
 */
import fc from 'fast-check';
import t from 'tap';
import {
  type CatalogCategory,
  categoryEntry,
  type DefaultPreference,
  PREFERENCE_CHANNELS,
  type StoredChoice,
  type TenantOverride,
  type TenantView,
  wouldDeliver,
} from '../../src/engine/preferences.js';

const SETTINGS = { seed: 20261202, numRuns: 2000 };

const channelsArb = fc.subarray([...PREFERENCE_CHANNELS]);
const nullableChannels = fc.option(channelsArb, { nil: null });
const defaultArb = fc.constantFrom<DefaultPreference>('opt_in', 'opt_out', 'cant_unsubscribe');

const categoryArb: fc.Arbitrary<CatalogCategory> = fc.record({
  category: fc.constant('cat'),
  name: fc.constant('Cat'),
  description: fc.constant(null),
  rootCategory: fc.constantFrom('system', 'transactional', 'promotional'),
  defaultPreference: defaultArb,
  defaultMandatoryChannels: nullableChannels,
  defaultOptInChannels: nullableChannels,
  tags: fc.constant(null),
  effectiveTags: fc.constant(null),
});

const overrideArb: fc.Arbitrary<TenantOverride> = fc.record({
  enabledForTenant: fc.boolean(),
  visibleToSubscriber: fc.boolean(),
  preference: fc.option(defaultArb, { nil: null }),
  mandatoryChannels: nullableChannels,
  optInChannels: nullableChannels,
  blockedChannels: nullableChannels,
});

const viewArb: fc.Arbitrary<TenantView> = fc.record({
  blockedChannels: channelsArb,
  overrides: fc.option(overrideArb, { nil: undefined }).map((o) => new Map(o ? [['cat', o]] : [])),
});

const choiceArb: fc.Arbitrary<StoredChoice> = fc.record({
  preference: fc.constantFrom('opt_in', 'opt_out'),
  optOutChannels: nullableChannels,
  optInChannels: nullableChannels,
});

const workspaceChannelsArb = fc.shuffledSubarray([...PREFERENCE_CHANNELS], { minLength: 1 });
const restrictedArb = fc.dictionary(fc.constantFrom(...PREFERENCE_CHANNELS), fc.boolean());

const visible = (view: TenantView) => {
  const o = view.overrides.get('cat');
  return o === undefined || (o.enabledForTenant && o.visibleToSubscriber);
};
const effectiveDefault = (c: CatalogCategory, view: TenantView) => view.overrides.get('cat')?.preference ?? c.defaultPreference;

t.test('an explicit choice wins over the defaults, except on mandatory channels', async (t) => {
  fc.assert(
    fc.property(categoryArb, viewArb, choiceArb, workspaceChannelsArb, (c, view, choice, channels) => {
      fc.pre(visible(view));
      const entry = categoryEntry(c, channels, view, choice, true)!;
      const def = effectiveDefault(c, view);
      if (def !== 'cant_unsubscribe') t.equal(entry.preference, choice.preference);
      for (const ch of entry.channels) {
        if (!ch.is_editable) {
          t.equal(ch.preference, 'opt_in', 'a mandatory channel is always on');
          t.equal(def, 'cant_unsubscribe', 'only cant_unsubscribe categories have mandatory channels');
          continue;
        }
        const expected =
          entry.preference === 'opt_out'
            ? 'opt_out'
            : choice.optOutChannels
              ? choice.optOutChannels.includes(ch.channel as never)
                ? 'opt_out'
                : 'opt_in'
              : choice.optInChannels
                ? choice.optInChannels.includes(ch.channel as never)
                  ? 'opt_in'
                  : 'opt_out'
                : undefined;
        if (expected !== undefined) t.equal(ch.preference, expected, `${ch.channel} follows the choice`);
      }
      return true;
    }),
    SETTINGS,
  );
});

t.test('a hidden or disabled category never appears and never delivers', async (t) => {
  fc.assert(
    fc.property(
      categoryArb,
      viewArb,
      fc.option(choiceArb, { nil: undefined }),
      workspaceChannelsArb,
      restrictedArb,
      (c, view, choice, channels, restricted) => {
        fc.pre(!visible(view));
        t.equal(categoryEntry(c, channels, view, choice, true), null);
        const catalog = { channels, sections: [], categories: [c], bySlug: new Map([['cat', c]]) };
        for (const ch of channels) t.notOk(wouldDeliver(catalog, 'cat', ch, view, choice, restricted));
        return true;
      },
    ),
    SETTINGS,
  );
});

t.test('no stored choice (what a reset leaves) gives exactly the defaults', async (t) => {
  fc.assert(
    fc.property(categoryArb, viewArb, workspaceChannelsArb, fc.boolean(), (c, view, channels, show) => {
      fc.pre(visible(view));
      const entry = categoryEntry(c, channels, view, undefined, show)!;
      const def = effectiveDefault(c, view);
      const o = view.overrides.get('cat');
      const blocked = new Set([...view.blockedChannels, ...(o?.blockedChannels ?? [])]);
      const shown = channels.filter((ch) => !blocked.has(ch));
      t.equal(entry.original_preference, null);
      t.equal(entry.preference, def === 'opt_out' ? 'opt_out' : 'opt_in');
      t.equal(entry.is_editable, def !== 'cant_unsubscribe');
      if (def === 'opt_out' && !show) {
        t.strictSame(entry.channels, []);
        return true;
      }
      const mandatoryList = o?.mandatoryChannels ?? c.defaultMandatoryChannels;
      const optIn = o?.optInChannels ?? c.defaultOptInChannels;
      t.strictSame(
        entry.channels,
        shown.map((ch) => {
          const mandatory =
            def === 'cant_unsubscribe' && (mandatoryList === null || mandatoryList.length === 0 || mandatoryList.includes(ch));
          if (mandatory) return { channel: ch, preference: 'opt_in', is_editable: false };
          const onByDefault = def !== 'opt_out' && (optIn === null || optIn.includes(ch));
          return { channel: ch, preference: onByDefault ? 'opt_in' : 'opt_out', is_editable: true };
        }),
      );
      return true;
    }),
    SETTINGS,
  );
});

t.test('send-time: a channel gets the category iff it is on in the answer and not restricted (unless mandatory)', async (t) => {
  fc.assert(
    fc.property(
      categoryArb,
      viewArb,
      fc.option(choiceArb, { nil: undefined }),
      workspaceChannelsArb,
      restrictedArb,
      (c, view, choice, channels, restricted) => {
        const catalog = { channels, sections: [], categories: [c], bySlug: new Map([['cat', c]]) };
        const entry = categoryEntry(c, channels, view, choice, true);
        for (const ch of PREFERENCE_CHANNELS) {
          const shown = entry?.channels.find((e) => e.channel === ch);
          const expected = shown !== undefined && shown.preference === 'opt_in' && (!shown.is_editable || restricted[ch] !== true);
          t.equal(wouldDeliver(catalog, 'cat', ch, view, choice, restricted), expected, ch);
        }
        t.ok(wouldDeliver(catalog, 'not-in-catalog', channels[0]!, view, choice, restricted), 'an unknown category is not filtered');
        return true;
      },
    ),
    { ...SETTINGS, numRuns: 500 },
  );
});
