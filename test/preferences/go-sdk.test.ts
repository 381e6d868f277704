/**
 * The Go SDK's (0.9.0) preference methods — Users.*Preference*, Bulk/Reset,
 * Objects.*Preference*, Tenants.*PreferenceCategory* and the deprecated
 * Tenants.GetAllCategoriesPreference / UpdateCategoryPreference — through
 * their exact wire requests.
 *
 * RECONSTRUCTED FROM SOURCE, NOT RECORDED: Go 1.23 cannot be built on these
 * machines, so test/fixtures/sdk-requests/go-preferences.reconstructed.json
 * was written from the SDK's code (paths, url.Values.Encode queries with
 * sorted keys, encoding/json bodies with nil slices as `null`). Each request
 * is signed by our test helper as the SDK signs, and each answer is checked
 * against what Go's parser needs: a status below 400, and a body that
 * json.Unmarshal accepts into the SDK's response struct (every field the
 * struct declares has the JSON type of its Go type, is null, or is absent —
 * the deprecated tenant routes answer fewer keys, as upstream's examples do).
 */
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { build, ok, signed } from '../helpers/index.js';
import { defineCatalog, PRODUCT_CATALOG } from './fixtures/catalog.js';

interface GoRequest {
  step: string;
  method: string;
  url: string;
  body: string | null;
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sdk-requests/go-preferences.reconstructed.json', import.meta.url), 'utf8'),
) as {
  reconstructed: string;
  requests: GoRequest[];
};

/** A Go type as json.Unmarshal checks it: null is accepted everywhere. */
type GoType = 'string' | 'bool' | 'int' | '[]string' | GoStruct | { slice: GoStruct };
interface GoStruct {
  [field: string]: GoType;
}

const channelEntry: GoStruct = { channel: 'string', preference: 'string', is_editable: 'bool' };
const userCategory: GoStruct = {
  name: 'string',
  category: 'string',
  description: 'string',
  original_preference: 'string',
  preference: 'string',
  is_editable: 'bool',
  channels: { slice: channelEntry },
  tags: '[]string',
  effective_tags: '[]string',
};
const channelPreferences: GoStruct = { channel_preferences: { slice: { channel: 'string', is_restricted: 'bool' } } };
const meta: GoStruct = { count: 'int', limit: 'int', offset: 'int' };
const tenantCategory: GoStruct = {
  name: 'string',
  category: 'string',
  description: 'string',
  root_category: 'string',
  default_preference: 'string',
  default_mandatory_channels: '[]string',
  default_opt_in_channels: '[]string',
  enabled_for_tenant: 'bool',
  visible_to_subscriber: 'bool',
  preference: 'string',
  mandatory_channels: '[]string',
  opt_in_channels: '[]string',
  blocked_channels: '[]string',
  tags: '[]string',
  effective_tags: '[]string',
};

/** The response struct each method unmarshals into (user_pref_types.go, object_pref_types.go, tenant_api.go). */
const RESPONSE: Record<string, GoStruct> = {
  FullPreference: { sections: { slice: { name: 'string', subcategories: { slice: userCategory } } }, ...channelPreferences },
  GlobalChannelsPreference: channelPreferences,
  UpdateGlobalChannelsPreference: channelPreferences,
  AllCategoriesPreference: { meta, results: { slice: userCategory } },
  CategoryPreference: userCategory,
  BulkUpdate: { success: 'bool' },
  TenantCategory: tenantCategory,
  TenantCategories: { meta, results: { slice: tenantCategory } },
};

function structFor(step: string): GoStruct {
  if (step.startsWith('Tenants.GetAllCategoriesPreference') || step.startsWith('Tenants.ListPreferenceCategories'))
    return RESPONSE.TenantCategories!;
  if (step.startsWith('Tenants.')) return RESPONSE.TenantCategory!;
  if (step.includes('BulkUpdate') || step.includes('ResetPreferences')) return RESPONSE.BulkUpdate!;
  if (step.includes('GetFullPreference')) return RESPONSE.FullPreference!;
  if (step.includes('GlobalChannelsPreference')) return RESPONSE.GlobalChannelsPreference!;
  if (step.includes('GetAllCategoriesPreference')) return RESPONSE.AllCategoriesPreference!;
  return RESPONSE.CategoryPreference!;
}

/** Where json.Unmarshal would fail on `value` for Go type `type`, or undefined. */
function unmarshalProblem(value: unknown, type: GoType, path: string): string | undefined {
  // A missing field keeps Go's zero value; null is accepted for any type.
  if (value === null || value === undefined) return undefined;
  if (type === 'string') return typeof value === 'string' ? undefined : `${path}: not a string`;
  if (type === 'bool') return typeof value === 'boolean' ? undefined : `${path}: not a bool`;
  if (type === 'int') return Number.isInteger(value) ? undefined : `${path}: not an int`;
  if (type === '[]string') {
    if (!Array.isArray(value)) return `${path}: not an array`;
    return value.every((v) => typeof v === 'string') ? undefined : `${path}: not an array of strings`;
  }
  if ('slice' in type && typeof type.slice === 'object') {
    if (!Array.isArray(value)) return `${path}: not an array`;
    for (const [i, v] of value.entries()) {
      const p = unmarshalProblem(v, type.slice as GoStruct, `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return `${path}: not an object`;
  for (const [field, fieldType] of Object.entries(type as GoStruct)) {
    const p = unmarshalProblem((value as Record<string, unknown>)[field], fieldType, `${path}.${field}`);
    if (p) return p;
  }
  return undefined;
}

async function send(t: Test, app: Awaited<ReturnType<typeof build>>, step: string) {
  const r = fixture.requests.find((x) => x.step === step);
  if (!r) throw new Error(`no reconstructed request ${step}`);
  const res = await signed(app, r.method as 'GET', r.url, r.body ?? undefined);
  t.ok(res.statusCode < 400, `${step}: ${r.method} ${r.url} succeeds (got ${res.statusCode} ${res.body.slice(0, 200)})`);
  const body = JSON.parse(res.body) as unknown;
  t.equal(unmarshalProblem(body, structFor(step), step), undefined, `${step}: json.Unmarshal into the SDK's struct accepts the answer`);
  return body as any;
}

t.test('the fixture says it is reconstructed', async (t) => {
  t.match(fixture.reconstructed, /not recorded/);
  t.equal(new Set(fixture.requests.map((r) => r.step)).size, fixture.requests.length, 'steps are unique');
});

t.test('the Go SDK preference methods, reconstructed from its source, in order', async (t) => {
  const app = await build(t);
  await defineCatalog(t, app, PRODUCT_CATALOG);
  await ok(t, app, 'POST', '/v1/user/go-user/', {}, 201);
  await ok(t, app, 'POST', '/v1/user/go-bob/', {}, 201);
  await ok(t, app, 'POST', '/v1/object/teams/go-team/', {}, 201);
  await ok(t, app, 'POST', '/v1/tenant/go-acme/', { tenant_name: 'Acme' }, 201);

  const full = await send(t, app, 'Users.GetFullPreference');
  t.strictSame(
    full.sections.map((s: { subcategories: { category: string }[] }) => s.subcategories.map((c) => c.category)),
    [['invoice-ready']],
    'tags=finance',
  );
  t.strictSame((await send(t, app, 'Users.GetGlobalChannelsPreference')).channel_preferences.length, 3);
  t.strictSame((await send(t, app, 'Users.UpdateGlobalChannelsPreference')).channel_preferences[1], {
    channel: 'sms',
    is_restricted: true,
  });
  const page = await send(t, app, 'Users.GetAllCategoriesPreference');
  t.strictSame(page.meta, { count: 3, limit: 2, offset: 1 });
  t.strictSame(
    page.results.map((c: { category: string }) => c.category),
    ['invoice-ready', 'newsletter'],
  );
  const news = await send(t, app, 'Users.UpdateCategoryPreference nil channels');
  t.equal(news.preference, 'opt_in', 'opt_out_channels: null means no channel opted out');
  t.ok(news.channels.every((c: { preference: string }) => c.preference === 'opt_in'));
  const invoice = await send(t, app, 'Users.UpdateCategoryPreference empty preference');
  t.equal(invoice.preference, 'opt_in', '"preference": "" is the documented default opt_in');
  t.equal(invoice.channels[0].preference, 'opt_out');
  t.strictSame(await send(t, app, 'Users.GetCategoryPreference'), invoice);

  t.strictSame(await send(t, app, 'Users.BulkUpdatePreferences'), { success: true });
  const bob = await ok(t, app, 'GET', '/v1/user/go-bob/preference/category/newsletter/', undefined, 200);
  t.equal(bob.preference, 'opt_out', 'bulk applied to go-bob (go-ghost, unknown, skipped)');
  t.equal(bob.original_preference, 'opt_out', 'as an explicit choice');
  t.strictSame(await send(t, app, 'Users.ResetPreferences'), { success: true });
  t.equal((await ok(t, app, 'GET', '/v1/user/go-bob/preference/category/newsletter/', undefined, 200)).original_preference, null, 'reset');
  t.strictSame(await send(t, app, 'Users.ResetPreferences categories only'), { success: true });

  t.equal((await send(t, app, 'Objects.GetFullPreference')).sections.length, 3);
  t.equal((await send(t, app, 'Objects.GetGlobalChannelsPreference')).channel_preferences.length, 3);
  t.strictSame((await send(t, app, 'Objects.UpdateGlobalChannelsPreference')).channel_preferences[2], {
    channel: 'inbox',
    is_restricted: true,
  });
  const tagged = await send(t, app, 'Objects.GetAllCategoriesPreference');
  t.strictSame(
    tagged.results.map((c: { category: string }) => c.category),
    ['invoice-ready', 'newsletter'],
    'tags={"exists":true}',
  );
  const otp = await send(t, app, 'Objects.UpdateCategoryPreference');
  t.equal(otp.preference, 'opt_in', 'opting out of a cant_unsubscribe category is stored but shows as opt_in');
  t.equal(otp.is_editable, false);
  t.strictSame(await send(t, app, 'Objects.GetCategoryPreference'), otp);

  const tc = await send(t, app, 'Tenants.UpdatePreferenceCategory');
  t.match(tc, { category: 'invoice-ready', preference: 'opt_out', enabled_for_tenant: true, blocked_channels: null });
  t.strictSame(await send(t, app, 'Tenants.GetPreferenceCategory'), tc);
  t.equal((await send(t, app, 'Tenants.ListPreferenceCategories')).meta.count, 3);
  const legacy = await send(t, app, 'Tenants.UpdateCategoryPreference (deprecated)');
  t.match(legacy, { category: 'newsletter', preference: 'opt_in', visible_to_subscriber: false, blocked_channels: ['sms'] });
  const legacyList = await send(t, app, 'Tenants.GetAllCategoriesPreference (deprecated)');
  t.strictSame(legacyList.results[2], legacy);
  t.equal(legacyList.results[1].preference, 'opt_out', "the tenant's default, from its override");
});
