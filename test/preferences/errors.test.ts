/**
 * Bad input on every preference route: the documented 4xx body, and nothing
 * in the database changed (digest before = digest after).
 */
import t from 'tap';
import { build, databaseDigest, ok, bearer } from '../helpers/index.js';
import { defineCatalog, PRODUCT_CATALOG } from './fixtures/catalog.js';

/** Upstream's exact 400 for a channel it does not know (its missing comma and brace included). */
const CHANNEL_LIST = 'must be one of ["sms", "email", "androidpush" "iospush", "webpush", "inbox", "whatsapp", "slack", "ms_teams"]';
const badChannel = (path: string) => ({ code: 400, detail: { [path]: CHANNEL_LIST }, message: `{"${path}": ${CHANNEL_LIST}` });
const badPreference = (path: string) => ({
  code: 400,
  detail: { [path]: 'must be one of ["opt_in", "opt_out"]' },
  message: `{"${path}": must be one of ["opt_in", "opt_out"]`,
});
const notFound = (message: string) => ({ code: 404, message });

const USER = '/v1/user/alice/preference/';
const OBJECT = '/v1/object/teams/t1/preference/';

type Case = [what: string, method: string, url: string, body: unknown, status: number, answer: unknown];

const ownerCases = (prefix: string, missingPrefix: string, missing: string): Case[] => [
  ['missing owner: full', 'GET', missingPrefix, undefined, 404, notFound(missing)],
  ['missing owner: full update', 'PATCH', missingPrefix, { channel_preferences: [] }, 404, notFound(missing)],
  ['missing owner: channels', 'GET', `${missingPrefix}channel_preference/`, undefined, 404, notFound(missing)],
  [
    'missing owner: channels update',
    'PATCH',
    `${missingPrefix}channel_preference/`,
    { channel_preferences: [{ channel: 'email', is_restricted: true }] },
    404,
    notFound(missing),
  ],
  ['missing owner: categories', 'GET', `${missingPrefix}category/`, undefined, 404, notFound(missing)],
  ['missing owner: category', 'GET', `${missingPrefix}category/otp/`, undefined, 404, notFound(missing)],
  ['missing owner: category update', 'PATCH', `${missingPrefix}category/otp/`, { preference: 'opt_in' }, 404, notFound(missing)],
  ['unknown category', 'GET', `${prefix}category/nope/`, undefined, 404, notFound("category 'nope' not found")],
  ['unknown category update', 'PATCH', `${prefix}category/nope/`, { preference: 'opt_out' }, 404, notFound("category 'nope' not found")],
  [
    'unknown category in a full update',
    'PATCH',
    prefix,
    { channel_preferences: [{ channel: 'sms', is_restricted: true }], categories: [{ category: 'nope', preference: 'opt_out' }] },
    404,
    notFound("category 'nope' not found"),
  ],
  ['unknown tenant', 'GET', `${prefix}?tenant_id=ghost`, undefined, 404, notFound("tenant 'ghost' not found")],
  ['unknown tenant: channels', 'GET', `${prefix}channel_preference/?tenant_id=ghost`, undefined, 404, notFound("tenant 'ghost' not found")],
  [
    'unknown tenant: category update',
    'PATCH',
    `${prefix}category/otp/?tenant_id=ghost`,
    { preference: 'opt_in' },
    404,
    notFound("tenant 'ghost' not found"),
  ],
  [
    'bad channel name',
    'PATCH',
    `${prefix}channel_preference/`,
    { channel_preferences: [{ channel: 'pigeon', is_restricted: true }] },
    400,
    badChannel('channel_preferences[0].channel'),
  ],
  [
    'bad channel name in opt_out_channels',
    'PATCH',
    `${prefix}category/invoice-ready/`,
    { preference: 'opt_in', opt_out_channels: ['email', 'fax'] },
    400,
    badChannel('opt_out_channels[1]'),
  ],
  ['bad preference value', 'PATCH', `${prefix}category/invoice-ready/`, { preference: 'maybe' }, 400, badPreference('preference')],
  [
    'bad preference value in a full update',
    'PATCH',
    prefix,
    { categories: [{ category: 'otp', preference: 'yes' }] },
    400,
    badPreference('categories[0].preference'),
  ],
  [
    'non-boolean is_restricted',
    'PATCH',
    `${prefix}channel_preference/`,
    { channel_preferences: [{ channel: 'sms', is_restricted: 'yes' }] },
    400,
    {
      code: 400,
      detail: { 'channel_preferences[0].is_restricted': 'must be a boolean' },
      message: '{"channel_preferences[0].is_restricted": must be a boolean',
    },
  ],
  [
    'channels not a list',
    'PATCH',
    `${prefix}category/invoice-ready/`,
    { opt_out_channels: 'email' },
    400,
    { code: 400, detail: { opt_out_channels: 'must be a list of channels' }, message: '{"opt_out_channels": must be a list of channels' },
  ],
  [
    'bad tags expression',
    'GET',
    `${prefix}?tags=${encodeURIComponent('{"xor":["a"]}')}`,
    undefined,
    400,
    {
      code: 400,
      detail: { tags: 'tags: unknown operator "xor" (use and, or, not, exists)' },
      message: '{"tags": tags: unknown operator "xor" (use and, or, not, exists)',
    },
  ],
  [
    'bad show_opt_out_channels',
    'GET',
    `${prefix}category/?show_opt_out_channels=maybe`,
    undefined,
    400,
    { code: 400, detail: { show_opt_out_channels: 'must be true or false' }, message: '{"show_opt_out_channels": must be true or false' },
  ],
];

const CASES: Case[] = [
  ...ownerCases(USER, '/v1/user/nobody/preference/', "user [distinct_id: 'nobody'] not found"),
  ...ownerCases(OBJECT, '/v1/object/teams/none/preference/', "object 'teams/none' not found"),
  [
    'bulk: empty distinct_ids',
    'PATCH',
    '/v1/bulk/user/preference/',
    { distinct_ids: [], channel_preferences: [{ channel: 'sms', is_restricted: true }] },
    400,
    {
      code: 400,
      detail: { distinct_ids: 'must list at least one distinct_id' },
      message: '{"distinct_ids": must list at least one distinct_id',
    },
  ],
  [
    'bulk: no distinct_ids',
    'PATCH',
    '/v1/bulk/user/preference/',
    { channel_preferences: [] },
    400,
    { code: 400, detail: { distinct_ids: 'must be a list of distinct_ids' }, message: '{"distinct_ids": must be a list of distinct_ids' },
  ],
  [
    'bulk: unknown tenant',
    'PATCH',
    '/v1/bulk/user/preference/?tenant_id=ghost',
    { distinct_ids: ['alice'], channel_preferences: [{ channel: 'sms', is_restricted: true }] },
    404,
    notFound("tenant 'ghost' not found"),
  ],
  [
    'bulk: unknown category (all or nothing)',
    'PATCH',
    '/v1/bulk/user/preference/',
    {
      distinct_ids: ['alice'],
      channel_preferences: [{ channel: 'sms', is_restricted: true }],
      categories: [{ category: 'nope', preference: 'opt_out' }],
    },
    404,
    notFound("category 'nope' not found"),
  ],
  [
    'bulk: bad channel',
    'PATCH',
    '/v1/bulk/user/preference/',
    {
      distinct_ids: ['alice'],
      channel_preferences: [
        { channel: 'email', is_restricted: true },
        { channel: 'telex', is_restricted: true },
      ],
    },
    400,
    badChannel('channel_preferences[1].channel'),
  ],
  [
    'reset: empty distinct_ids',
    'PATCH',
    '/v1/bulk/user/preference/reset/',
    { distinct_ids: [] },
    400,
    {
      code: 400,
      detail: { distinct_ids: 'must list at least one distinct_id' },
      message: '{"distinct_ids": must list at least one distinct_id',
    },
  ],
  [
    'reset: unknown tenant',
    'PATCH',
    '/v1/bulk/user/preference/reset/?tenant_id=ghost',
    { distinct_ids: ['alice'] },
    404,
    notFound("tenant 'ghost' not found"),
  ],
  ['tenant: unknown tenant', 'GET', '/v1/tenant/ghost/preference/category/', undefined, 404, notFound("tenant 'ghost' not found")],
  ['tenant: full, unknown tenant', 'GET', '/v1/tenant/ghost/preference/', undefined, 404, notFound("tenant 'ghost' not found")],
  [
    'tenant: unknown category',
    'GET',
    '/v1/tenant/acme/preference/category/nope/',
    undefined,
    404,
    notFound("tenant 'acme' not found or category 'nope' not found"),
  ],
  [
    'tenant: update, unknown tenant',
    'PATCH',
    '/v1/tenant/ghost/preference/category/otp/',
    { visible_to_subscriber: false },
    404,
    notFound("tenant 'ghost' not found or category 'otp' not found"),
  ],
  [
    'tenant: update, bad channel',
    'PATCH',
    '/v1/tenant/acme/preference/category/otp/',
    { blocked_channels: ['sms', 'carrier-pigeon'] },
    400,
    badChannel('blocked_channels[1]'),
  ],
  [
    'tenant: update, bad preference',
    'PATCH',
    '/v1/tenant/acme/preference/category/otp/',
    { preference: 'always' },
    400,
    {
      code: 400,
      detail: { preference: 'must be one of ["opt_in", "opt_out", "cant_unsubscribe"]' },
      message: '{"preference": must be one of ["opt_in", "opt_out", "cant_unsubscribe"]',
    },
  ],
  ['deprecated: unknown tenant', 'GET', '/v1/tenant/ghost/category/', undefined, 404, notFound("tenant 'ghost' not found")],
  [
    'deprecated update: unknown tenant',
    'PATCH',
    '/v1/tenant/ghost/category/otp/',
    { preference: 'opt_in' },
    404,
    notFound("tenant 'ghost' not found"),
  ],
  [
    'deprecated update: unknown category',
    'PATCH',
    '/v1/tenant/acme/category/nope/',
    { preference: 'opt_in' },
    404,
    notFound("category 'nope' not found"),
  ],
];

t.test('bad input on every preference route: the documented 4xx, nothing changed', async (t) => {
  const app = await build(t);
  await defineCatalog(t, app, PRODUCT_CATALOG);
  await ok(t, app, 'POST', '/v1/user/alice/', {}, 201);
  await ok(t, app, 'POST', '/v1/object/teams/t1/', {}, 201);
  await ok(t, app, 'POST', '/v1/tenant/acme/', { tenant_name: 'Acme' }, 201);
  await ok(t, app, 'PATCH', `${USER}category/invoice-ready/`, { preference: 'opt_out' }, 202);
  await ok(t, app, 'PATCH', '/v1/tenant/acme/preference/category/otp/', { blocked_channels: ['sms'] }, 200);
  const before = databaseDigest(app);
  for (const [what, method, url, body, status, answer] of CASES) {
    const res = await bearer(app, method as 'GET', url, body);
    t.equal(res.statusCode, status, `${what}: ${method} ${url} → ${status} (got ${res.body.slice(0, 300)})`);
    t.strictSame(JSON.parse(res.body), answer, `${what}: body`);
    t.equal(databaseDigest(app), before, `${what}: nothing changed`);
  }
});

t.test('no catalog defined: no sections, every category 404', async (t) => {
  const app = await build(t);
  await ok(t, app, 'POST', '/v1/user/alice/', {}, 201);
  t.strictSame(await ok(t, app, 'GET', USER, undefined, 200), {
    sections: [],
    channel_preferences: ['email', 'sms', 'whatsapp', 'androidpush', 'iospush', 'webpush', 'inbox', 'slack', 'ms_teams'].map((channel) => ({
      channel,
      is_restricted: false,
    })),
  });
  t.strictSame(await ok(t, app, 'PATCH', `${USER}category/otp/`, { preference: 'opt_in' }, 404), notFound("category 'otp' not found"));
});

t.test('a bad catalog document is refused with the field named, and the catalog stays', async (t) => {
  const app = await build(t);
  await defineCatalog(t, app, PRODUCT_CATALOG);
  const bad = async (doc: unknown, pattern: RegExp) => {
    const res = await (await import('../helpers/index.js')).admin(app, 'PUT', '/_emulator/workspaces/default/preference-categories', doc);
    t.equal(res.statusCode, 400, res.body);
    t.match(JSON.parse(res.body).message, pattern);
  };
  await bad(
    {
      root_categories: [
        {
          root_category: 'system',
          sections: [{ name: 'S', categories: [{ category: 'Bad Slug', name: 'x', default_preference: 'opt_in' }] }],
        },
      ],
    },
    /category.*pattern/,
  );
  await bad({ root_categories: [{ root_category: 'marketing' }] }, /root_category: must be one of system, transactional, promotional/);
  await bad(
    { root_categories: [{ root_category: 'system', categories: [{ category: 'a', name: 'A', default_preference: 'sometimes' }] }] },
    /default_preference: must be one of opt_in, opt_out, cant_unsubscribe/,
  );
  await bad(
    {
      root_categories: [
        {
          root_category: 'system',
          categories: [{ category: 'a', name: 'A', default_preference: 'opt_in', default_opt_in_channels: ['fax'] }],
        },
      ],
    },
    /default_opt_in_channels.0: must be one of/,
  );
  await bad(
    {
      root_categories: [
        { root_category: 'system', categories: [{ category: 'a', name: 'A', default_preference: 'opt_in' }] },
        { root_category: 'promotional', categories: [{ category: 'a', name: 'A again', default_preference: 'opt_in' }] },
      ],
    },
    /category "a" is defined twice/,
  );
  await bad({ channels: ['email', 'email'], root_categories: [] }, /listed twice/);
  const res = await (await import('../helpers/index.js')).admin(app, 'GET', '/_emulator/workspaces/default/preference-categories');
  t.equal(JSON.parse(res.body).root_categories[0].sections[0].categories[0].category, 'otp', 'the catalog is unchanged');
});
