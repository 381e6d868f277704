/**
 * Fuzzing every route with fast-check (fixed seed): random methods, path
 * segments, query strings, headers and bodies, mostly correctly signed so they
 * reach the handlers. No answer is a 5xx, every error is in SuprSend's shape,
 * and afterwards the store is consistent.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import t from 'tap';
import { CHANNELS } from '../../src/engine/types.js';
import { requestSignature } from '../../src/http/signature.js';
import { send } from './fixtures/server.js';
import { ADMIN_TOKEN, build, errorShapeProblem, serving, stackFrameIn, TIMESTAMP, WS_A, WS_B } from '../helpers/index.js';

const SEED = 4242;
const NUM_RUNS = 4000;
const BODY_LIMIT = 256 * 1024;

// ---- path segments --------------------------------------------------------------------------------

const enc = encodeURIComponent;
/** Ids that many requests share, so edits, merges and subscriptions meet existing records. */
const ID_POOL = ['alice', 'bob', 'carol', enc('a/b'), enc('ünïcödé'), enc('with space'), 'x', 'ALICE'];
const NASTY_SEGMENTS = [
  '%E0%A4%A', // truncated UTF-8 escape
  '%',
  '%%',
  '%zz',
  '%00',
  '%C0%AF', // overlong "/"
  '%FF%FE',
  '%ED%A0%80', // lone surrogate
  '..',
  '.',
  '%2e%2e',
  '',
  ' ',
  '+',
  '%2F',
  '\u0000',
  'a'.repeat(255),
  'b'.repeat(256),
  'c'.repeat(2100), // beyond the router's maxParamLength
  enc('é'.repeat(300)),
  '__proto__',
  'constructor',
  'null',
  '$email',
];
const segmentArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...ID_POOL) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_SEGMENTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map(enc) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map(enc) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }, // raw: may hold "/", "?", "#", "%"
);
const segmentsArb = fc.record({
  id: segmentArb,
  id2: segmentArb,
  list: fc.oneof(fc.constantFrom('list-1', 'list-2', 'LIST-1', '%20list-1%20'), segmentArb),
  version: fc.oneof(fc.constantFrom('v1', '01ARZ3NDEKTSV4RRFFQ69G5FAV'), segmentArb),
  type: fc.oneof(fc.constantFrom('teams', 'departments'), segmentArb),
  objId: fc.oneof(fc.constantFrom('team-1', 'team-2'), segmentArb),
  ws: fc.oneof(fc.constantFrom('default', 'other', 'fuzz_ws', 'nope'), segmentArb),
  fault: fc.oneof(fc.constant('fault_x'), segmentArb),
  tenant: fc.oneof(fc.constantFrom('default', 'acme', 'beta', 'Acme', 'a'.repeat(65)), segmentArb),
});
type Segments = typeof segmentsArb extends fc.Arbitrary<infer S> ? S : never;

// ---- bodies -------------------------------------------------------------------------------------

const json = (v: unknown) => JSON.stringify(v);
const idValue = fc.oneof(
  fc.constantFrom('alice', 'bob', 'carol', 'a/b', 'ünïcödé', 'with space', '', ' ', 'x'.repeat(256)),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 1 }),
);
const emailValue = fc.constantFrom('a@example.com', 'B@Example.COM', 'not-an-email', '', 'x@y', '@', 'a@b.c'.repeat(60));
const phoneValue = fc.constantFrom('+15555550100', '+4915112345678', '12345', '+0123', `+1${'2'.repeat(20)}`, '');
const channelValue = fc.oneof(
  emailValue,
  phoneValue,
  fc.constantFrom(
    'push-token-1',
    { token: 'tok', provider: 'xiaomi', device_id: 'd1' },
    { user_id: 'U1', access_token: 'xoxb-1' },
    { incoming_webhook: { url: 'https://hooks.example/x' } },
    { endpoint: 'https://push.example/1', keys: { p256dh: 'p', auth: 'a' } },
    { tenant_id: 't', service_url: 'https://s.example', conversation_id: 'c' },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const channelKey = fc.constantFrom(...CHANNELS);
const propKey = fc.oneof(
  fc.constantFrom('name', 'n', 'plan', '$timezone', '$preferred_language', '$locale', '__proto__', 'constructor', '', '$unknown', 'a.b'),
  fc.string({ maxLength: 10 }),
);
const propValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('Europe/Berlin', 'Not/AZone', 'en', 'xx', 1e308, -1e308, Number.MAX_SAFE_INTEGER, 0.1),
);
const upsertBody = fc.oneof(
  fc.dictionary(propKey, propValue, { maxKeys: 5 }),
  fc
    .record(
      { name: fc.string({ maxLength: 10 }), channel: channelKey, values: fc.array(channelValue, { maxLength: 3 }) },
      { requiredKeys: [] },
    )
    .map((r) => ({ name: r.name, ...(r.channel ? { [r.channel]: r.values ?? [] } : {}) })),
);
const OPERATORS = ['$set', '$set_once', '$add', '$increment', '$append', '$remove', '$unset', '$bogus'] as const;
const operationArb = fc
  .array(
    fc.tuple(
      fc.constantFrom(...OPERATORS),
      fc.oneof(
        fc.dictionary(propKey, propValue, { maxKeys: 3 }),
        fc.dictionary(channelKey, channelValue, { maxKeys: 2 }),
        fc.dictionary(propKey, fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e308, -1e308, 'one', null)), { maxKeys: 2 }),
        fc.array(fc.oneof(propKey, channelKey), { maxLength: 3 }), // $unset's form
        fc.jsonValue({ maxDepth: 2 }),
      ),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => Object.fromEntries(pairs));
const editBody = fc.oneof(
  fc.array(operationArb, { maxLength: 4 }).map((operations) => ({ operations })),
  fc.record({ operations: fc.jsonValue({ maxDepth: 2 }) }),
);
const identityRecord = fc.record({
  $schema: fc.constantFrom('2', 2, undefined),
  distinct_id: idValue,
  $insert_id: fc.option(fc.uuid(), { nil: undefined }),
  $user_operations: fc.oneof(fc.array(operationArb, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })),
});
const trackRecord = fc.record({
  event: fc.oneof(fc.constantFrom('$identify', 'clicked', '', '$USER_ENTERED_LIST - x'), fc.jsonValue({ maxDepth: 1 })),
  distinct_id: idValue,
  properties: fc.oneof(fc.dictionary(propKey, propValue, { maxKeys: 3 }), fc.jsonValue({ maxDepth: 1 })),
  $time: fc.oneof(fc.integer(), fc.constantFrom(1e308, -1, 'now')),
});
const legacyRecord = fc.record({
  distinct_id: idValue,
  $set: fc.dictionary(propKey, propValue, { maxKeys: 2 }),
  $append: fc.dictionary(channelKey, channelValue, { maxKeys: 1 }),
});
const eventRecord = fc.oneof(identityRecord, trackRecord, legacyRecord, fc.jsonValue({ maxDepth: 2 }));
const eventBody = fc.oneof(eventRecord, fc.array(eventRecord, { maxLength: 6 }));
const idsBody = (key: string) => fc.record({ [key]: fc.oneof(fc.array(idValue, { maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })) });
const listCreateBody = fc.record(
  {
    list_id: fc.oneof(fc.constantFrom('list-1', 'list-2', 'LIST-1 ', ''), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })),
    list_name: fc.oneof(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 })),
    list_description: fc.string({ maxLength: 10 }),
    track_user_entry: fc.oneof(fc.boolean(), fc.constantFrom('yes', 1)),
    track_user_exit: fc.boolean(),
  },
  { requiredKeys: [] },
);
const tenantBody = fc.record(
  {
    tenant_name: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('<b>x</b>', '', null), fc.jsonValue({ maxDepth: 1 })),
    brand_name: fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)),
    logo: fc.constantFrom('https://x.test/l.png', '', 'nope', null, 5),
    timezone: fc.constantFrom('Europe/Paris', 'Mars/Base', '', null, 5),
    blocked_channels: fc.oneof(
      fc.constant(null),
      fc.constant('sms'),
      fc.array(fc.constantFrom('sms', 'email', 'fax', 3), { maxLength: 4 }),
    ),
    hosted_preference_domain: fc.constantFrom('p.acme.test', 'https://p.acme.test', '', null),
    primary_color: fc.constantFrom('#fff', '#12345', 'red', null, ''),
    social_links: fc.oneof(
      fc.constantFrom(null, [], 'x'),
      fc.dictionary(
        fc.constantFrom('website', 'x', 'Twitter', 'LinkedIn', 'myspace'),
        fc.constantFrom('', null, 'https://a.test', 'nope', 1),
      ),
    ),
    properties: fc.oneof(fc.constantFrom(null, [], 'p'), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }))),
  },
  { requiredKeys: [] },
);
const recipient = fc.oneof(
  idValue,
  fc.record(
    { distinct_id: idValue, $email: fc.array(emailValue, { maxLength: 1 }), name: fc.string({ maxLength: 5 }) },
    { requiredKeys: ['distinct_id'] },
  ),
  fc.record({ id: fc.constantFrom('team-1', 'team-2', 'nope'), object_type: fc.constantFrom('teams', 'departments', '') }),
);
const subscribeBody = fc.record(
  { recipients: fc.oneof(fc.array(recipient, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })), properties: fc.jsonValue({ maxDepth: 2 }) },
  { requiredKeys: [] },
);
const workspaceBody = fc.record(
  {
    name: fc.oneof(fc.constantFrom('fuzz_ws', 'default', 'bad name!'), fc.string({ maxLength: 10 })),
    key: fc.oneof(fc.constantFrom(WS_A.key, 'fuzz_workspace_key_0123456789'), fc.string({ maxLength: 30 })),
    secret: fc.string({ maxLength: 10 }),
    api_keys: fc.array(fc.oneof(fc.constantFrom(WS_B.api_keys[0]!, 'fuzz_api_key_1'), fc.string({ maxLength: 12 })), { maxLength: 2 }),
    inbox: fc.boolean(),
  },
  { requiredKeys: [] },
);
const channelStatusBody = fc.record(
  {
    workspace: fc.constantFrom('default', 'other', 'nope'),
    distinct_id: idValue,
    channel: fc.oneof(channelKey, fc.string({ maxLength: 5 })),
    value: channelValue,
    outcome: fc.constantFrom('hard_bounce', 'soft_bounce', 'inactive', 'reactivate', 'explode'),
  },
  { requiredKeys: [] },
);
const faultBody = fc.record(
  {
    method: fc.constantFrom('GET', 'post', 'PATCH'),
    path: fc.oneof(fc.constantFrom('*', '**', '/v1/user/*/', '/event/**', '[', '('), fc.string({ maxLength: 10 })),
    status: fc.integer({ min: 0, max: 700 }),
    delay_ms: fc.integer({ min: -1, max: 20 }),
    probability: fc.double({ min: -1, max: 2, noNaN: true }),
    count: fc.integer({ min: -1, max: 3 }),
    body: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
const clockBody = fc.oneof(
  fc.record({
    action: fc.constant('advance'),
    ms: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom(1e15, -1e15, 1e20, 2 ** 53)),
  }),
  fc.record(
    {
      action: fc.constantFrom('freeze', 'set'),
      at: fc.oneof(
        fc.constantFrom('2025-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z'),
        fc.string({ maxLength: 25 }),
      ),
    },
    { requiredKeys: ['action'] },
  ),
  fc.constant({ action: 'resume' }),
  fc.jsonValue({ maxDepth: 1 }),
);

/** Raw JSON texts an object or number parser must survive. */
const HUGE = ['1e400', '-1e400', '123456789012345678901234567890', '1e-400', '-0', '1E+2', '0.1e1', '9007199254740993'];
const hugeBody = fc
  .constantFrom(...HUGE)
  .chain((n) =>
    fc.constantFrom(
      `{"operations":[{"$add":{"n":${n}}}]}`,
      `{"operations":[{"$set":{"n":${n}}}]}`,
      `{"n":${n},"$email":["h@example.com"]}`,
      `{"$schema":"2","distinct_id":"alice","$user_operations":[{"$add":{"n":${n}}}]}`,
      `[{"event":"e","distinct_id":"alice","$time":${n}}]`,
      `{"action":"advance","ms":${n}}`,
      `{"limit":${n}}`,
      n,
    ),
  );
const deepBody = fc
  .tuple(fc.constantFrom(10, 500, 5_000, 50_000), fc.constantFrom('array', 'object', 'operations', 'property'))
  .map(([depth, kind]) => {
    if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth);
    const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    if (kind === 'object') return nested;
    if (kind === 'operations') return `{"operations":[{"$set":{"deep":${nested}}}]}`;
    return `{"deep":${nested},"$email":["d@example.com"]}`;
  });
const protoBody = fc.constantFrom(
  '{"__proto__":{"polluted":true}}',
  '{"__proto__":{"polluted":true},"$email":["p@example.com"]}',
  '{"operations":[{"$set":{"__proto__":{"polluted":true}}},{"__proto__":{"$set":{"x":1}}}]}',
  '{"operations":[{"$set":{"constructor":{"prototype":{"polluted":true}}}}]}',
  '{"$schema":"2","distinct_id":"alice","$user_operations":[{"$set":{"__proto__":{"polluted":1}}}]}',
  '{"distinct_ids":["__proto__","constructor"]}',
  '{"list_id":"__proto__"}',
  '{"recipients":["__proto__"],"properties":{"__proto__":{"polluted":true}}}',
  '{"action":"freeze","__proto__":{"action":"resume"}}',
);
const invalidJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '[1,2',
    '{"a":1}}',
    "{'a':1}",
    'undefined',
    'NaN',
    '{"a":NaN}',
    '\uFEFF{"a":1}',
    '{"a":"\\ud800"}',
    '"\\x"',
    ',',
    ' ',
  ),
  fc.string({ maxLength: 40 }),
);
const binaryBody = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
const bigBody = fc.constantFrom(BODY_LIMIT - 200, BODY_LIMIT + 1, BODY_LIMIT * 2).map((n) => `{"pad":"${'x'.repeat(n)}"}`);

const SEMI_VALID: fc.Arbitrary<unknown>[] = [
  upsertBody,
  editBody,
  eventBody,
  idsBody('distinct_ids'),
  idsBody('object_ids'),
  fc.record({ from_user_id: idValue }),
  listCreateBody,
  tenantBody,
  subscribeBody,
  workspaceBody,
  channelStatusBody,
  faultBody,
  clockBody,
];

/** Preference bodies, valid and not: channel and category choices, bulk ids, tenant overrides, catalogs. */
const junk = fc.oneof(fc.constant(null), fc.constant(7), fc.constant('x'), fc.constant([]), fc.constant({}));
const preferenceBody: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      channel_preferences: fc.array(
        fc.record({ channel: fc.oneof(fc.constantFrom('email', 'sms', 'fax'), junk), is_restricted: fc.oneof(fc.boolean(), junk) }),
        {
          maxLength: 3,
        },
      ),
      categories: fc.array(
        fc.record({
          category: fc.oneof(fc.constantFrom('otp', 'news'), junk),
          preference: fc.oneof(fc.constantFrom('opt_in', 'opt_out', ''), junk),
        }),
        {
          maxLength: 2,
        },
      ),
      distinct_ids: fc.oneof(fc.array(idValue, { maxLength: 3 }), junk),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      preference: fc.oneof(fc.constantFrom('opt_in', 'opt_out', 'cant_unsubscribe', ''), junk),
      opt_out_channels: fc.oneof(fc.constant(null), fc.array(fc.constantFrom('email', 'inbox', 'x')), junk),
      blocked_channels: fc.oneof(fc.constant(null), fc.array(fc.constantFrom('sms', 'y')), junk),
      enabled_for_tenant: fc.oneof(fc.boolean(), junk),
      root_categories: fc.oneof(
        fc.constant([{ root_category: 'system', categories: [{ category: 'otp', name: 'OTP', default_preference: 'cant_unsubscribe' }] }]),
        junk,
      ),
    },
    { requiredKeys: [] },
  ),
  junk,
);

// ---- routes -------------------------------------------------------------------------------------

interface Route {
  method: string;
  path: (s: Segments) => string;
  body?: fc.Arbitrary<unknown>;
  admin?: boolean;
}
const L = (s: Segments) => `/v1/subscriber_list/${s.list}`;
const V = (s: Segments) => `${L(s)}/version/${s.version}`;
const O = (s: Segments) => `/v1/object/${s.type}/${s.objId}`;
const ROUTES: Route[] = [
  { method: 'GET', path: () => '/v1/user/' },
  { method: 'POST', path: (s) => `/v1/user/${s.id}/`, body: upsertBody },
  { method: 'GET', path: (s) => `/v1/user/${s.id}/` },
  { method: 'PATCH', path: (s) => `/v1/user/${s.id}/`, body: editBody },
  { method: 'DELETE', path: (s) => `/v1/user/${s.id}/` },
  { method: 'POST', path: (s) => `/v1/user/${s.id}/merge/`, body: fc.record({ from_user_id: idValue }) },
  { method: 'DELETE', path: () => '/v1/bulk/user/', body: idsBody('distinct_ids') },
  { method: 'GET', path: (s) => `/v1/user/${s.id}/subscribed_to/list/` },
  { method: 'GET', path: (s) => `/v1/user/${s.id}/subscribed_to/object/` },
  { method: 'POST', path: (s) => `/v1/user/${s.id}/tenant/${s.tenant}/`, body: upsertBody },
  { method: 'GET', path: (s) => `/v1/user/${s.id}/tenant/${s.tenant}/` },
  { method: 'PATCH', path: (s) => `/v1/user/${s.id}/tenant/${s.tenant}/`, body: editBody },
  { method: 'DELETE', path: (s) => `/v1/user/${s.id}/tenant/${s.tenant}/` },
  { method: 'GET', path: (s) => `/v1/user/${s.id}/associated_tenant/` },
  { method: 'GET', path: (s) => `/v1/user/${s.id}/tenant/` },
  { method: 'GET', path: (s) => `/v1/user/?tenant_id=${s.tenant}` },
  { method: 'POST', path: () => '/event/', body: eventBody },
  { method: 'POST', path: () => '/v2/event/', body: eventBody },
  { method: 'POST', path: () => '/v2/bulk/event/', body: eventBody },
  { method: 'POST', path: () => '/v1/subscriber_list/', body: listCreateBody },
  { method: 'GET', path: () => '/v1/subscriber_list/' },
  { method: 'GET', path: (s) => `${L(s)}/` },
  { method: 'DELETE', path: (s) => `${L(s)}/` },
  { method: 'PATCH', path: (s) => `${L(s)}/delete/` },
  { method: 'POST', path: (s) => `${L(s)}/subscriber/add/`, body: idsBody('distinct_ids') },
  { method: 'POST', path: (s) => `${L(s)}/subscriber/remove/`, body: idsBody('distinct_ids') },
  { method: 'GET', path: (s) => `${L(s)}/subscriber/` },
  { method: 'POST', path: (s) => `${L(s)}/start_sync/` },
  { method: 'GET', path: (s) => `${V(s)}/` },
  { method: 'DELETE', path: (s) => `${V(s)}/` },
  { method: 'POST', path: (s) => `${V(s)}/subscriber/add/`, body: idsBody('distinct_ids') },
  { method: 'POST', path: (s) => `${V(s)}/subscriber/remove/`, body: idsBody('distinct_ids') },
  { method: 'PATCH', path: (s) => `${V(s)}/finish_sync/` },
  { method: 'PATCH', path: (s) => `${V(s)}/delete/` },
  { method: 'GET', path: (s) => `/v1/object/${s.type}/` },
  { method: 'POST', path: (s) => `${O(s)}/`, body: upsertBody },
  { method: 'GET', path: (s) => `${O(s)}/` },
  { method: 'PATCH', path: (s) => `${O(s)}/`, body: editBody },
  { method: 'DELETE', path: (s) => `${O(s)}/` },
  { method: 'DELETE', path: (s) => `/v1/bulk/object/${s.type}/`, body: idsBody('object_ids') },
  { method: 'POST', path: (s) => `${O(s)}/subscription/`, body: subscribeBody },
  { method: 'GET', path: (s) => `${O(s)}/subscription/` },
  { method: 'DELETE', path: (s) => `${O(s)}/subscription/`, body: subscribeBody },
  { method: 'GET', path: (s) => `${O(s)}/subscribed_to/object/` },
  { method: 'GET', path: () => '/v1/tenant/' },
  { method: 'GET', path: (s) => `/v1/tenant/${s.tenant}/` },
  { method: 'POST', path: (s) => `/v1/tenant/${s.tenant}/`, body: tenantBody },
  { method: 'DELETE', path: (s) => `/v1/tenant/${s.tenant}/` },
  { method: 'GET', path: () => '/v1/brand/' },
  { method: 'GET', path: (s) => `/v1/brand/${s.tenant}/` },
  { method: 'POST', path: (s) => `/v1/brand/${s.tenant}/`, body: tenantBody },
  ...['/v1/user/ID/preference/', '/v1/object/TYPE/OBJ/preference/'].flatMap((p): Route[] => {
    const P = (s: Segments) => p.replace('ID', s.id).replace('TYPE', s.type).replace('OBJ', s.objId);
    return [
      { method: 'GET', path: (s) => `${P(s)}?tenant_id=${s.tenant}&tags=${encodeURIComponent(s.id2)}` },
      { method: 'PATCH', path: (s) => P(s), body: preferenceBody },
      { method: 'GET', path: (s) => `${P(s)}channel_preference/` },
      { method: 'PATCH', path: (s) => `${P(s)}channel_preference/`, body: preferenceBody },
      { method: 'GET', path: (s) => `${P(s)}category/?show_opt_out_channels=${s.id2}` },
      { method: 'GET', path: (s) => `${P(s)}category/${s.id2}/` },
      { method: 'PATCH', path: (s) => `${P(s)}category/${s.id2}/`, body: preferenceBody },
    ];
  }),
  { method: 'PATCH', path: () => '/v1/bulk/user/preference/', body: preferenceBody },
  { method: 'PATCH', path: () => '/v1/bulk/user/preference/reset/', body: preferenceBody },
  { method: 'GET', path: (s) => `/v1/tenant/${s.tenant}/preference/` },
  { method: 'GET', path: (s) => `/v1/tenant/${s.tenant}/preference/category/?include_disabled=${s.id2}` },
  { method: 'GET', path: (s) => `/v1/tenant/${s.tenant}/preference/category/${s.id2}/` },
  { method: 'PATCH', path: (s) => `/v1/tenant/${s.tenant}/preference/category/${s.id2}/`, body: preferenceBody },
  { method: 'GET', path: (s) => `/v1/tenant/${s.tenant}/category/` },
  { method: 'PATCH', path: (s) => `/v1/tenant/${s.tenant}/category/${s.id2}/`, body: preferenceBody },
  { method: 'GET', path: (s) => `/_emulator/workspaces/${s.ws}/preference-categories`, admin: true },
  { method: 'PUT', path: (s) => `/_emulator/workspaces/${s.ws}/preference-categories`, body: preferenceBody, admin: true },
  { method: 'GET', path: () => '/_emulator/workspaces', admin: true },
  { method: 'POST', path: () => '/_emulator/workspaces', body: workspaceBody, admin: true },
  { method: 'GET', path: (s) => `/_emulator/workspaces/${s.ws}`, admin: true },
  { method: 'DELETE', path: (s) => `/_emulator/workspaces/${s.ws}`, admin: true },
  { method: 'POST', path: (s) => `/_emulator/workspaces/${s.ws}/reset`, admin: true },
  { method: 'POST', path: () => '/_emulator/reset', admin: true },
  { method: 'GET', path: () => '/_emulator/snapshot', admin: true },
  {
    method: 'POST',
    path: () => '/_emulator/snapshot',
    admin: true,
    body: fc.constantFrom('echo', 'duplicate', 'rename', 'drop-keys').map((snapshot) => ({ snapshot })),
  },
  { method: 'GET', path: () => '/_emulator/journal', admin: true },
  { method: 'DELETE', path: () => '/_emulator/journal', admin: true },
  { method: 'POST', path: () => '/_emulator/channel-status', body: channelStatusBody, admin: true },
  { method: 'GET', path: () => '/_emulator/faults', admin: true },
  { method: 'POST', path: () => '/_emulator/faults', body: faultBody, admin: true },
  { method: 'DELETE', path: (s) => `/_emulator/faults/${s.fault}`, admin: true },
  { method: 'GET', path: () => '/_emulator/clock', admin: true },
  { method: 'POST', path: () => '/_emulator/clock', body: clockBody, admin: true },
  { method: 'GET', path: () => '/_emulator/status', admin: true },
  { method: 'GET', path: () => '/healthz' },
  // Unknown paths.
  { method: 'GET', path: (s) => `/v1/${s.id}/${s.id2}` },
  { method: 'POST', path: (s) => `/v3/user/${s.id}/` },
  { method: 'GET', path: (s) => `/v1/user/${s.id}/${s.id2}/${s.id}/` },
  { method: 'GET', path: () => '//v1//user//' },
  { method: 'GET', path: (s) => `/_emulator/${s.id}`, admin: true },
  { method: 'GET', path: (s) => `/${s.id}` },
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

const queryArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '?limit=1',
      '?limit=1000',
      '?limit=0',
      '?limit=-1',
      '?limit=1.5',
      '?limit=99999999999999999999',
      '?limit=abc',
      '?after=abc',
      `?before=${Buffer.from('user:1').toString('base64url')}`,
      `?after=${Buffer.from('user:999999999999999').toString('base64url')}`,
      '?after=x&before=y',
      '?offset=-1',
      '?offset=99999999999999999',
      '?sort=-id',
      '?sort=sideways',
      '?recipients=alice,bob',
      '?kind=failures',
      '?kind=events&since=2025-01-01T00:00:00Z',
      '?kind=bogus',
      '?status=abc',
      '?workspace=nope',
      '?limit=1&limit=2',
      '?%E0%A4%A=1',
      '?a=%',
      '?',
      '?&&&=&',
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .dictionary(fc.constantFrom('limit', 'after', 'before', 'offset', 'sort', 'x', 'workspace'), fc.string({ maxLength: 12 }), {
        maxKeys: 3,
      })
      .map(
        (d) =>
          '?' +
          Object.entries(d)
            .map(([k, v]) => `${k}=${enc(v)}`)
            .join('&'),
      ),
  },
);

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/json; charset=latin1',
  'application/json;;;',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
  'junk',
] as const;

const caseArb = fc
  .record({
    route: fc.nat(ROUTES.length - 1),
    segments: segmentsArb,
    otherMethod: fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
    dropSlash: fc.boolean(),
    query: queryArb,
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constant(CONTENT_TYPES[0]) },
      { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    ),
    sendContentType: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    auth: fc.oneof(
      { weight: 14, arbitrary: fc.constant('signed-a' as const) },
      { weight: 2, arbitrary: fc.constant('signed-b' as const) },
      { weight: 2, arbitrary: fc.constant('bearer' as const) },
      { weight: 1, arbitrary: fc.constant('junk' as const) },
      { weight: 1, arbitrary: fc.constant('none' as const) },
    ),
    junkAuth: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('Bearer', 'Bearer ', ':', `${WS_A.key}:`, 'Basic dXNlcjpwYXNz', `Bearer ${ADMIN_TOKEN}`),
    ),
    date: fc.oneof(fc.constant(new Date(0).toUTCString()), fc.constantFrom('', 'Fri, 3 Apr 2026 09:05:07 UTC', 'garbage')),
    extraHeaders: fc.dictionary(
      fc.constantFrom('accept', 'x-emulator-fault', 'x-forwarded-for', 'accept-encoding', 'content-encoding', 'expect'),
      fc.string({ maxLength: 20 }),
      { maxKeys: 2 },
    ),
  })
  .chain((c) => {
    const route = ROUTES[c.route]!;
    const body: fc.Arbitrary<unknown> = fc.oneof(
      { weight: 8, arbitrary: route.body ?? fc.constant(undefined) },
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.oneof(...SEMI_VALID) },
      { weight: 2, arbitrary: fc.jsonValue() },
      { weight: 1, arbitrary: fc.json() },
      { weight: 1, arbitrary: invalidJson },
      { weight: 1, arbitrary: binaryBody },
      { weight: 1, arbitrary: hugeBody },
      { weight: 1, arbitrary: deepBody },
      { weight: 1, arbitrary: protoBody },
      { weight: 1, arbitrary: bigBody },
    );
    return fc.record({ c: fc.constant(c), body });
  });

// ---- running one case ---------------------------------------------------------------------------

/** What light-my-request sends for a URL (it normalises through WHATWG URL, as a client library would). */
function normalise(url: string): string {
  const u = new URL(url.startsWith('//') ? `http://localhost${url}` : url, 'http://localhost');
  return u.pathname + u.search;
}

interface Built {
  options: InjectOptions;
  describe: string;
  path: string;
  method: string;
}

interface CaseFields {
  route: number;
  segments: Segments;
  otherMethod?: string;
  dropSlash: boolean;
  query: string;
  contentType: string;
  sendContentType: boolean;
  auth: 'signed-a' | 'signed-b' | 'bearer' | 'junk' | 'none';
  junkAuth: string;
  date: string;
  extraHeaders: Record<string, string>;
}

async function buildRequest(app: FastifyInstance, raw: { c: CaseFields; body: unknown }): Promise<Built> {
  const c = raw.c;
  const route = ROUTES[c.route]!;
  const method = c.otherMethod ?? route.method;
  let path = route.path(c.segments);
  if (c.dropSlash && path.endsWith('/') && path.length > 1) path = path.slice(0, -1);
  const url = normalise(path + c.query);

  let payload: string | Buffer | undefined;
  const body = raw.body;
  if (body === undefined) payload = undefined;
  else if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
  else if (typeof body === 'object' && body !== null && 'snapshot' in body && Object.keys(body).length === 1) {
    payload = await snapshotBody(app, (body as { snapshot: string }).snapshot);
  } else payload = json(body);
  if (method === 'GET' || method === 'HEAD') {
    // Bodies on GET are legal but rare; keep some.
    if (payload !== undefined && typeof payload === 'string' && payload.length % 3 !== 0) payload = undefined;
  }

  const headers: Record<string, string> = { ...c.extraHeaders };
  delete headers['content-encoding']; // light-my-request would not encode
  const contentType = c.sendContentType ? c.contentType : '';
  if (c.sendContentType) headers['content-type'] = c.contentType;
  if (c.date) headers.date = c.date;
  const isAdmin = url.startsWith('/_emulator');
  const signWith = (ws: typeof WS_A) =>
    `${ws.key}:${requestSignature(ws.secret, {
      method,
      body: payload === undefined ? undefined : Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8'),
      contentType,
      date: c.date,
      target: url,
    })}`;
  if (c.auth === 'junk') headers.authorization = c.junkAuth;
  else if (c.auth === 'none') delete headers.authorization;
  else if (isAdmin || route.admin) headers.authorization = `Bearer ${ADMIN_TOKEN}`;
  else if (c.auth === 'bearer') headers.authorization = `Bearer ${WS_B.api_keys[0]}`;
  else headers.authorization = signWith(c.auth === 'signed-b' ? WS_B : WS_A);

  const shown =
    payload === undefined
      ? '(none)'
      : Buffer.isBuffer(payload)
        ? `<binary ${payload.toString('hex').slice(0, 200)}>`
        : payload.length > 400
          ? `${payload.slice(0, 300)}… (${payload.length} chars)`
          : payload;
  return {
    method,
    path: url.split('?')[0]!,
    options: { method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) },
    describe: `${method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url}\nheaders: ${JSON.stringify(headers)}\nbody: ${shown}`,
  };
}

/** A snapshot document of the current state, sometimes broken on purpose. */
async function snapshotBody(app: FastifyInstance, how: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/_emulator/snapshot', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const doc = JSON.parse(res.body) as { workspaces?: Array<Record<string, unknown> & { users?: Array<Record<string, unknown>> }> };
  const ws = doc.workspaces?.[0];
  if (ws && how === 'duplicate' && ws.users?.length) ws.users.push({ ...ws.users[0]! });
  if (ws && how === 'rename') ws.name = 'fuzz_imported';
  if (ws && how === 'drop-keys') for (const u of ws.users ?? []) delete u.created_at;
  return JSON.stringify(doc);
}

const TIME_KEYS = new Set(['created_at', 'updated_at', 'now']);
/** The tenant and brand routes answer upstream's tenant form, microseconds and `Z` (README, tenants). */
const TENANT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const timestampFormOf = (path: string) => (/^\/v1\/(tenant|brand)(\/|$)/.test(path) ? TENANT_TIMESTAMP : TIMESTAMP);

/** The first created_at/updated_at/now value anywhere in `value` that is not a SuprSend timestamp. */
function findBadTimestamp(value: unknown, form: RegExp, depth = 0): string | undefined {
  if (depth > 20 || value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (TIME_KEYS.has(k) && typeof v === 'string' && !form.test(v)) return `${k}: ${v}`;
    const inner = findBadTimestamp(v, form, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/** Why a response breaks the contract, or undefined. */
function problemWith(built: Built, res: { statusCode: number; body: string; headers: Record<string, unknown> }): string | undefined {
  const { statusCode: status, body } = res;
  if (status >= 500) return `status ${status}: ${body.slice(0, 500)}`;
  if (built.method === 'HEAD') return undefined;
  if (status >= 400) {
    const problem = errorShapeProblem(status, body);
    if (problem) return `error ${status}: ${problem}`;
    if (!/^application\/json/.test(String(res.headers['content-type'])))
      return `error ${status} with content type ${String(res.headers['content-type'])}`;
    return undefined;
  }
  if (status === 204) return body === '' ? undefined : `204 with a body: ${body.slice(0, 200)}`;
  if (status === 202 && body === 'OK') return undefined;
  try {
    JSON.parse(body);
  } catch {
    return `${status} with a body that is not JSON: ${body.slice(0, 200)}`;
  }
  const badTime = findBadTimestamp(JSON.parse(body), timestampFormOf(built.path));
  if (badTime) return `${status} with a timestamp not in the documented form (decision 11): ${badTime}`;
  if (!/^\/_emulator\/(journal|snapshot)/.test(built.path)) {
    const frame = stackFrameIn(body);
    if (frame) return `${status} body with stack trace text: ${body.slice(0, 300)}`;
  }
  return undefined;
}

t.test(`fuzzing every route (${NUM_RUNS} requests, seed ${SEED})`, async (t) => {
  // Error logs are kept, to show the cause of a 500 next to its request.
  const logged: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(chunk.toString('utf8'));
      if (logged.length > 50) logged.shift();
      done();
    },
  });
  const app = await build(t, { bodyLimit: BODY_LIMIT, journalSize: 200, logLevel: 'error' }, { logStream });
  // Some shared records, so that many requests find something.
  for (const [method, url, body] of [
    ['POST', '/v1/user/alice/', { name: 'Alice', $email: ['alice@example.com'] }],
    ['POST', '/v1/user/bob/', { name: 'Bob' }],
    ['POST', '/v1/subscriber_list/', { list_id: 'list-1' }],
    ['POST', '/v1/object/teams/team-1/', { name: 'Team 1' }],
    ['POST', '/v1/tenant/acme/', { tenant_name: 'Acme' }],
  ] as const) {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${WS_A.api_keys[0]}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    t.ok(res.statusCode < 300, `seed ${method} ${url}: ${res.statusCode}`);
  }

  const statuses = new Map<number, number>();
  /** One example request per kind of problem (the run goes on, to find every kind). */
  const problems = new Map<string, { count: number; example: string }>();
  const routeHits = ROUTES.map(() => 0);
  let cases = 0;
  const started = Date.now();
  const result = await fc.check(
    fc.asyncProperty(caseArb, async (raw) => {
      cases++;
      // A clock moved by the control plane stays moved for a while (later requests stamp with it), then is reset.
      if (cases % 25 === 0) {
        app.emulator.clock.resume();
        app.emulator.clock.set(Date.now() * 1000);
      }
      const built = await buildRequest(app, raw);
      routeHits[raw.c.route]!++;
      let res: Awaited<ReturnType<typeof app.inject>>;
      try {
        res = await app.inject(built.options);
      } catch (err) {
        throw new Error(`inject threw ${(err as Error).message}\n${built.describe}`);
      } finally {
        // A fault rule added by this request must not fail the next ones on purpose.
        app.emulator.faults.clear();
      }
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      let problem = problemWith(built, res);
      if (problem && res.statusCode >= 500) {
        const last = logged.at(-1);
        const err = last ? (JSON.parse(last) as { err?: { type?: string; message?: string; stack?: string } }).err : undefined;
        if (err) problem += `\n--- server log: ${err.type}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
      }
      logged.length = 0;
      if (problem) {
        const kind = problem
          .split('\n')[0]!
          .replace(/'[^']*'/g, "'…'")
          .replace(/\d+/g, 'N')
          .slice(0, 90);
        const seen = problems.get(kind);
        if (seen) seen.count++;
        else problems.set(kind, { count: 1, example: `${problem}\n--- request:\n${built.describe}` });
      }
    }),
    { seed: SEED, numRuns: NUM_RUNS, interruptAfterTimeLimit: 45_000, markInterruptAsFailure: true },
  );
  const ms = Date.now() - started;
  const summary = [...statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}:${n}`)
    .join(' ');
  t.comment(`${cases} requests in ${ms} ms; statuses ${summary}`);
  t.notOk(result.failed, result.failed ? String(fc.defaultReportMessage(result)) : 'the run completed');
  for (const [kind, { count, example }] of problems) {
    t.fail(`${count} request(s) broke the contract: ${kind}`, { diagnostic: true, example: example.split('\n') });
  }
  t.equal(problems.size, 0, 'no 5xx, every error in the error shape, no stack trace');
  t.ok(cases >= 2000, `${cases} cases run (at least 2,000)`);
  t.ok(
    Math.min(...routeHits) >= 20,
    `every one of the ${ROUTES.length} routes was fuzzed at least 20 times (fewest ${Math.min(...routeHits)})`,
  );
  const ok2xx = [...statuses.entries()].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
  t.ok(ok2xx >= cases * 0.1, `a good share of requests got past auth and validation (${ok2xx} 2xx)`);

  // ---- the store is consistent afterwards ----
  const db = app.emulator.db.$client;
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'integrity_check is ok');
  t.same(db.pragma('foreign_key_check'), [], 'foreign_key_check is empty');
  const orphanIdentities = db
    .prepare('select count(*) as n from identities i where not exists (select 1 from users u where u.id = i.user_id)')
    .get() as { n: number };
  t.equal(orphanIdentities.n, 0, "every identity's user exists");
  const duplicateUsers = db
    .prepare('select count(*) as n from (select workspace, distinct_id from users group by 1, 2 having count(*) > 1)')
    .get() as { n: number };
  t.equal(duplicateUsers.n, 0, 'no distinct_id twice in a workspace');
  for (const ws of app.emulator.workspaces.list()) {
    const headers = ws.apiKeys.length ? { authorization: `Bearer ${ws.apiKeys[0]}` } : undefined;
    if (!headers) continue;
    const res = await app.inject({ method: 'GET', url: '/v1/user/?limit=1', headers });
    t.equal(res.statusCode, 200, `list users of ${ws.name}`);
    const reported = (JSON.parse(res.body) as { meta: { count: number } }).meta.count;
    const stored = (db.prepare('select count(*) as n from users where workspace = ?').get(ws.dataKey) as { n: number }).n;
    t.equal(reported, stored, `${ws.name}: meta.count ${reported} equals the ${stored} users stored`);
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted');
});

/** Sequences the random run meets only by luck: each on a fresh app, every answer checked as above. */
t.test('edge sequences', async (t) => {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const api = { authorization: `Bearer ${WS_A.api_keys[0]}`, 'content-type': 'application/json' };
  type Step = [method: string, url: string, body?: unknown];
  const followUps: Step[] = [
    ['POST', '/v1/user/u1/', { a: 1, $email: ['u1@example.com'] }],
    ['PATCH', '/v1/user/u1/', { operations: [{ $set: { b: 2 } }] }],
    ['POST', '/v1/subscriber_list/', { list_id: 'l1' }],
    ['POST', '/v1/subscriber_list/l1/start_sync/'],
    ['POST', '/v1/object/teams/t1/', { name: 'T' }],
    ['POST', '/event/', { event: 'e', distinct_id: 'u1' }],
    ['GET', '/_emulator/status'],
    ['GET', '/_emulator/clock'],
  ];
  const sequences: Array<[string, Step[]]> = [
    ['clock set before 1970', [['POST', '/_emulator/clock', { action: 'set', at: '0000-01-01T00:00:00Z' }], ...followUps]],
    ['clock advanced 1e15 ms back', [['POST', '/_emulator/clock', { action: 'advance', ms: -1e15 }], ...followUps]],
    [
      'clock set to the last instant JavaScript dates know',
      [['POST', '/_emulator/clock', { action: 'freeze', at: '+275760-09-13T00:00:00Z' }], ...followUps],
    ],
    ['clock set past the year 9999', [['POST', '/_emulator/clock', { action: 'set', at: '9999-12-31T23:59:59.999999Z' }], ...followUps]],
    [
      'a fault rule naming a method',
      [
        ['POST', '/_emulator/faults', { method: 'patch', path: '/nothing/', status: 503 }],
        ['GET', '/_emulator/faults'],
      ],
    ],
    [
      'an invalid percent-escape in a path',
      [
        ['GET', '/v1/user/%E0%A4%A/'],
        ['POST', '/v1/object/teams/%ED%A0%80/', {}],
        ['GET', '/_emulator/workspaces/%FF'],
      ],
    ],
    ['a path parameter of 2,100 characters', [['GET', `/v1/user/${'c'.repeat(2100)}/`]]],
  ];
  for (const [what, steps] of sequences) {
    const app = await build(t, { logLevel: 'silent' });
    const seen: string[] = [];
    for (const [method, url, body] of steps) {
      const headers = url.startsWith('/_emulator') ? admin : api;
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const res = await app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
      const built: Built = { method, path: url.split('?')[0]!, options: {}, describe: `${method} ${url} ${payload ?? ''}` };
      const problem = problemWith(built, res);
      if (problem) seen.push(`${built.describe.slice(0, 120)} -> ${problem.slice(0, 300)}`);
    }
    t.same(seen, [], `${what}: no 5xx, errors in the error shape, timestamps in the documented form`);
  }
});

/** Raw request targets that a URL-normalising client (and so app.inject) never sends, over a real socket. */
t.test('raw request targets: dot segments, traversal towards the control plane, odd forms', async (t) => {
  const { port } = await serving(t);
  const targets = [
    '/v1/user/../user/alice/',
    '/v1/user/alice/../bob/',
    '/v1/user/./alice/',
    '/v1/user/%2e%2e/',
    '/v1/user/..%2f_emulator%2fworkspaces/',
    '/v1/user/../../_emulator/workspaces',
    '/v1/../_emulator/workspaces',
    '/_emulator/../v1/user/',
    '/_emulator/workspaces/../../v1/user/',
    '/v1/user//',
    '//v1/user/alice/',
    '/v1/user/%E0%A4%A/',
    '/v1/user/a%00b/',
    '/v1/user/%/',
    `/v1/user/${'a'.repeat(5000)}/`,
    `/v1/user/alice/?${'q'.repeat(10_000)}`,
    'http://127.0.0.1/v1/user/alice/',
    '*',
  ];
  const seen: string[] = [];
  let answered = 0;
  for (const target of targets) {
    for (const auth of ['api', 'signed', 'admin'] as const) {
      const headers =
        auth === 'api'
          ? { authorization: `Bearer ${WS_A.api_keys[0]}` }
          : auth === 'admin'
            ? { authorization: `Bearer ${ADMIN_TOKEN}` }
            : {
                authorization: `${WS_A.key}:${requestSignature(WS_A.secret, { method: 'GET', body: undefined, contentType: '', date: '', target })}`,
              };
      const res = await send({ port, method: 'GET', path: target, headers, timeoutMs: 5_000 });
      answered++;
      const built: Built = { method: 'GET', path: target.split('?')[0]!, options: {}, describe: `GET ${target.slice(0, 80)} (${auth})` };
      const problem = problemWith(
        built,
        res.status === 0 ? { statusCode: 0, body: '', headers: {} } : { statusCode: res.status, body: res.body, headers: res.headers },
      );
      if (problem) seen.push(`${built.describe} -> ${problem.slice(0, 300)}`);
      // The control plane's secrets never leak to SuprSend credentials, whatever the path.
      if (auth !== 'admin' && res.status === 200 && res.body.includes(WS_A.secret))
        seen.push(`${built.describe} -> 200 with workspace secrets`);
      // And the admin token never opens the API.
      if (auth === 'admin' && res.status === 200 && !target.includes('_emulator'))
        seen.push(`${built.describe} -> the admin token opened the API`);
    }
  }
  t.equal(answered, targets.length * 3, `${answered} raw requests answered`);
  t.same(seen, [], 'no 5xx, every error in the error shape, no traversal into the control plane');
});
