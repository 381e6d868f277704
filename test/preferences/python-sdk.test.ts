/**
 * What the Python SDK (0.19.7) really sends for its preference methods —
 * users.get_full_preference, update_global_channels_preference,
 * get_category_preference, update_category_preference, the same four on
 * objects, and tenants.list/get/update_preference_category — recorded by
 * scripts/sdk-capture/python/preferences.py into
 * test/fixtures/sdk-requests/python-preferences.json, replayed byte for byte
 * against a fresh emulator (the catalog is set up by the recorded control-plane
 * call). The SDK returns `resp.json()` below 400 and raises
 * SuprsendAPIException(message or detail) otherwise.
 */
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { build, type CapturedRequest, loadCapture, replay, stepRequests } from '../helpers/index.js';

const capture = loadCapture('python-preferences');

function only(step: string): CapturedRequest {
  const [request, ...more] = stepRequests(capture, step);
  if (more.length > 0) throw new Error(`step ${step} sent ${more.length + 1} requests`);
  return request!;
}

function parsed<T = any>(t: Test, step: string, res: LightMyRequestResponse): T {
  t.equal(res.statusCode, only(step).status, `${step}: the status recorded (${only(step).status})`);
  t.ok(res.statusCode < 400, `${step}: a success, so the SDK returns resp.json()`);
  t.match(String(res.headers['content-type']), /^application\/json/, `${step}: JSON`);
  return JSON.parse(res.body) as T;
}

function exceptionMessage(t: Test, step: string, res: LightMyRequestResponse): string {
  t.equal(res.statusCode, only(step).status, `${step}: the status recorded`);
  t.ok(res.statusCode >= 400, `${step}: an error, so the SDK raises`);
  const body = JSON.parse(res.body) as { message?: string; detail?: unknown };
  return body.message || String(body.detail);
}

const categories = (full: { sections: { subcategories: { category: string }[] }[] }) =>
  full.sections.map((s) => s.subcategories.map((c) => c.category));

t.test('the Python SDK preference calls, replayed in order', async (t) => {
  const app = await build(t);
  const send = (step: string) => replay(app, only(step));
  for (const step of ['setup catalog', 'users.upsert', 'objects.upsert', 'tenants.upsert']) {
    t.ok((await send(step)).statusCode < 300, `${step} (setup)`);
  }

  // Wire details the SDK decides.
  t.equal(only('users.get_category_preference').url.split('?')[1], 'show_opt_out_channels=true', 'booleans lowercased');
  t.match(only('users.update_category_preference').body, /"digest_schedule": null, "properties": null/, 'the SDK sends its nulls');

  const full = parsed(t, 'users.get_full_preference', await send('users.get_full_preference'));
  t.strictSame(categories(full), [['otp'], ['invoice-ready'], ['newsletter']]);
  t.strictSame(full.sections[2].subcategories[0].channels, [], 'an opted-out category lists no channels by default');

  const invoice = parsed(t, 'users.update_category_preference', await send('users.update_category_preference'));
  t.strictSame(
    { original_preference: invoice.original_preference, preference: invoice.preference, channels: invoice.channels },
    {
      original_preference: 'opt_in',
      preference: 'opt_in',
      channels: [
        { channel: 'email', preference: 'opt_out', is_editable: true },
        { channel: 'sms', preference: 'opt_in', is_editable: true },
        { channel: 'inbox', preference: 'opt_in', is_editable: true },
      ],
    },
  );
  t.notOk('digest_schedule' in invoice, 'null digest_schedule and properties are not stored');
  t.equal(
    parsed(t, 'users.update_category_preference newsletter', await send('users.update_category_preference newsletter')).preference,
    'opt_in',
  );
  t.strictSame(parsed(t, 'users.update_global_channels_preference', await send('users.update_global_channels_preference')), {
    channel_preferences: [
      { channel: 'email', is_restricted: false },
      { channel: 'sms', is_restricted: true },
      { channel: 'inbox', is_restricted: false },
    ],
  });
  t.strictSame(parsed(t, 'users.get_category_preference', await send('users.get_category_preference')), invoice);
  t.strictSame(
    categories(parsed(t, 'users.get_full_preference options', await send('users.get_full_preference options'))),
    [['invoice-ready'], ['newsletter']],
    'tags filter',
  );
  const inAcme = parsed(t, 'users.get_full_preference tenant', await send('users.get_full_preference tenant'));
  t.strictSame(
    inAcme.channel_preferences.map((c: { channel: string }) => c.channel),
    ['email', 'inbox'],
    'the tenant blocks sms',
  );
  t.equal(inAcme.sections[1].subcategories[0].original_preference, null, "the tenant's preference set is separate");

  t.equal(
    exceptionMessage(
      t,
      'users.update_category_preference unknown category',
      await send('users.update_category_preference unknown category'),
    ),
    "category 'nope' not found",
  );
  t.equal(
    exceptionMessage(
      t,
      'users.update_global_channels_preference bad channel',
      await send('users.update_global_channels_preference bad channel'),
    ),
    '{"channel_preferences[0].channel": must be one of ["sms", "email", "androidpush" "iospush", "webpush", "inbox", "whatsapp", "slack", "ms_teams"]',
  );
  t.equal(
    exceptionMessage(t, 'users.get_full_preference missing user', await send('users.get_full_preference missing user')),
    "user [distinct_id: 'py-nobody'] not found",
  );

  t.strictSame(categories(parsed(t, 'objects.get_full_preference', await send('objects.get_full_preference'))), [
    ['otp'],
    ['invoice-ready'],
    ['newsletter'],
  ]);
  const objNews = parsed(t, 'objects.update_category_preference', await send('objects.update_category_preference'));
  t.strictSame(
    objNews.channels.map((c: { preference: string }) => c.preference),
    ['opt_in', 'opt_in', 'opt_out'],
  );
  t.strictSame(parsed(t, 'objects.update_global_channels_preference', await send('objects.update_global_channels_preference')), {
    channel_preferences: [
      { channel: 'email', is_restricted: true },
      { channel: 'inbox', is_restricted: false },
    ],
  });
  t.strictSame(parsed(t, 'objects.get_category_preference', await send('objects.get_category_preference')), objNews);
  t.equal(
    exceptionMessage(t, 'objects.get_full_preference missing object', await send('objects.get_full_preference missing object')),
    "object 'teams/py-none' not found",
  );

  const updated = parsed(t, 'tenants.update_preference_category', await send('tenants.update_preference_category'));
  t.match(updated, { visible_to_subscriber: false, preference: 'opt_in', blocked_channels: ['inbox'], enabled_for_tenant: true });
  t.match(updated.updated_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
  t.strictSame(parsed(t, 'tenants.get_preference_category', await send('tenants.get_preference_category')), updated);
  const list = parsed(t, 'tenants.list_preference_categories', await send('tenants.list_preference_categories'));
  t.strictSame(list.meta, { count: 3, limit: 2, offset: 0 });
  t.strictSame(
    list.results.map((e: { category: string }) => e.category),
    ['otp', 'invoice-ready'],
  );
  t.equal(
    exceptionMessage(t, 'tenants.get_preference_category unknown', await send('tenants.get_preference_category unknown')),
    "tenant 'py-acme' not found or category 'nope' not found",
  );
});
