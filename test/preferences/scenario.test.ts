/**
 * A product's preference centre, end to end through HTTP: the catalog has a
 * `cant_unsubscribe` OTP (email mandatory), an opt-in "invoice-ready" and an
 * opt-out "newsletter". Alice turns invoice emails off and the newsletter on,
 * and restricts SMS; tenant Acme hides the newsletter and blocks SMS. Every
 * answer is compared with the JSON a product manager would expect.
 */
import t from 'tap';
import { build, ok } from '../helpers/index.js';
import { defineCatalog, PRODUCT_CATALOG } from './fixtures/catalog.js';

const on = (channel: string, is_editable = true) => ({ channel, preference: 'opt_in', is_editable });
const off = (channel: string) => ({ channel, preference: 'opt_out', is_editable: true });

t.test('a catalog, a user’s choices and a tenant’s overrides, as every GET shows them', async (t) => {
  const app = await build(t);
  await defineCatalog(t, app, PRODUCT_CATALOG);
  await ok(t, app, 'POST', '/v1/user/alice/', { $email: ['alice@example.com'] }, 201);
  await ok(t, app, 'POST', '/v1/user/carol/', {}, 201);
  await ok(t, app, 'POST', '/v1/tenant/acme/', { tenant_name: 'Acme', blocked_channels: ['sms'] }, 201);

  // Alice: no invoice emails, yes to the newsletter, SMS only for what she can't turn off.
  const invoice = await ok(
    t,
    app,
    'PATCH',
    '/v1/user/alice/preference/category/invoice-ready/',
    { preference: 'opt_in', opt_out_channels: ['email'] },
    202,
  );
  t.strictSame(invoice, {
    name: 'Invoice ready',
    category: 'invoice-ready',
    description: 'When an invoice is issued',
    tags: null,
    effective_tags: ['finance'],
    original_preference: 'opt_in',
    preference: 'opt_in',
    is_editable: true,
    channels: [off('email'), on('sms'), on('inbox')],
  });
  await ok(t, app, 'PATCH', '/v1/user/alice/preference/category/newsletter/', { preference: 'opt_in' }, 202);
  t.strictSame(
    await ok(
      t,
      app,
      'PATCH',
      '/v1/user/alice/preference/channel_preference/',
      { channel_preferences: [{ channel: 'sms', is_restricted: true }] },
      202,
    ),
    {
      channel_preferences: [
        { channel: 'email', is_restricted: false },
        { channel: 'sms', is_restricted: true },
        { channel: 'inbox', is_restricted: false },
      ],
    },
  );
  // The same choices in Acme (each tenant has its own preference set), through the full update.
  await ok(
    t,
    app,
    'PATCH',
    '/v1/user/alice/preference/?tenant_id=acme',
    {
      channel_preferences: [{ channel: 'sms', is_restricted: true }],
      categories: [
        { category: 'invoice-ready', preference: 'opt_in', opt_out_channels: ['email'] },
        { category: 'newsletter', preference: 'opt_in' },
      ],
    },
    200,
  );
  // Acme: the newsletter is hidden from its users.
  await ok(t, app, 'PATCH', '/v1/tenant/acme/preference/category/newsletter/', { visible_to_subscriber: false }, 200);

  const otp = {
    name: 'OTP',
    category: 'otp',
    description: null,
    tags: null,
    effective_tags: null,
    original_preference: null,
    preference: 'opt_in',
    is_editable: false,
    channels: [on('email', false), on('sms'), on('inbox')],
  };
  const newsletterOn = {
    name: 'Newsletter',
    category: 'newsletter',
    description: null,
    tags: ['marketing'],
    effective_tags: ['marketing'],
    original_preference: 'opt_out',
    preference: 'opt_in',
    is_editable: true,
    channels: [on('email'), on('sms'), on('inbox')],
  };
  const security = { name: 'Security', slug: 'security', description: null, tags: null };
  const billing = { name: 'Billing', slug: 'billing', description: null, tags: ['finance'] };
  const updates = { name: 'Product Updates', slug: 'product-updates', description: null, tags: null };

  await t.test('alice, default tenant', async (t) => {
    t.strictSame(await ok(t, app, 'GET', '/v1/user/alice/preference/', undefined, 200), {
      sections: [
        { ...security, subcategories: [otp] },
        { ...billing, subcategories: [invoice] },
        { ...updates, subcategories: [newsletterOn] },
      ],
      channel_preferences: [
        { channel: 'email', is_restricted: false },
        { channel: 'sms', is_restricted: true },
        { channel: 'inbox', is_restricted: false },
      ],
    });
    t.strictSame(await ok(t, app, 'GET', '/v1/user/alice/preference/category/otp/', undefined, 200), otp);
    t.strictSame(await ok(t, app, 'GET', '/v1/user/alice/preference/category/newsletter/', undefined, 200), newsletterOn);
    t.strictSame(await ok(t, app, 'GET', '/v1/user/alice/preference/category/?limit=2&offset=1', undefined, 200), {
      meta: { count: 3, limit: 2, offset: 1 },
      results: [invoice, newsletterOn],
    });
  });

  await t.test('alice in Acme: no newsletter, no SMS anywhere', async (t) => {
    const acmeOtp = { ...otp, channels: [on('email', false), on('inbox')] };
    const acmeInvoice = { ...invoice, channels: [off('email'), on('inbox')] };
    t.strictSame(await ok(t, app, 'GET', '/v1/user/alice/preference/?tenant_id=acme', undefined, 200), {
      sections: [
        { ...security, subcategories: [acmeOtp] },
        { ...billing, subcategories: [acmeInvoice] },
      ],
      channel_preferences: [
        { channel: 'email', is_restricted: false },
        { channel: 'inbox', is_restricted: false },
      ],
    });
    t.strictSame(await ok(t, app, 'GET', '/v1/user/alice/preference/category/?tenant_id=acme', undefined, 200), {
      meta: { count: 2, limit: 10, offset: 0 },
      results: [acmeOtp, acmeInvoice],
    });
    t.strictSame(await ok(t, app, 'GET', '/v1/user/alice/preference/category/newsletter/?tenant_id=acme', undefined, 404), {
      code: 404,
      message: "category 'newsletter' not found",
    });
    t.strictSame(await ok(t, app, 'GET', '/v1/user/alice/preference/channel_preference/?tenant_id=acme', undefined, 200), {
      channel_preferences: [
        { channel: 'email', is_restricted: false },
        { channel: 'inbox', is_restricted: false },
      ],
    });
  });

  await t.test('carol never chose: defaults, with and without show_opt_out_channels', async (t) => {
    const newsletterOff = { ...newsletterOn, original_preference: null, preference: 'opt_out', channels: [] };
    const carolInvoice = { ...invoice, original_preference: null, channels: [on('email'), on('sms'), on('inbox')] };
    t.strictSame(await ok(t, app, 'GET', '/v1/user/carol/preference/', undefined, 200), {
      sections: [
        { ...security, subcategories: [otp] },
        { ...billing, subcategories: [carolInvoice] },
        { ...updates, subcategories: [newsletterOff] },
      ],
      channel_preferences: [
        { channel: 'email', is_restricted: false },
        { channel: 'sms', is_restricted: false },
        { channel: 'inbox', is_restricted: false },
      ],
    });
    t.strictSame(await ok(t, app, 'GET', '/v1/user/carol/preference/category/newsletter/?show_opt_out_channels=true', undefined, 200), {
      ...newsletterOff,
      channels: [off('email'), off('sms'), off('inbox')],
    });
    t.strictSame(
      await ok(t, app, 'GET', '/v1/user/carol/preference/category/newsletter/?show_opt_out_channels=false', undefined, 200),
      newsletterOff,
    );
  });

  await t.test('tags filters', async (t) => {
    const sectionsOf = async (tags: string) =>
      (await ok(t, app, 'GET', `/v1/user/carol/preference/?tags=${encodeURIComponent(tags)}`, undefined, 200)).sections.map(
        (s: { subcategories: { category: string }[] }) => s.subcategories.map((c) => c.category),
      );
    t.strictSame(await sectionsOf('finance'), [['invoice-ready']], 'a single tag (a section tag counts)');
    t.strictSame(await sectionsOf('{"not":"finance"}'), [['otp'], ['newsletter']]);
    t.strictSame(await sectionsOf('{"or":["finance","marketing"]}'), [['invoice-ready'], ['newsletter']]);
    t.strictSame(await sectionsOf('{"and":["finance","marketing"]}'), []);
    t.strictSame(await sectionsOf('{"exists":false}'), [['otp']]);
    t.strictSame(await sectionsOf('{"and":[{"exists":true},{"not":{"or":["marketing"]}}]}'), [['invoice-ready']]);
  });

  await t.test("Acme's categories as the tenant sees them", async (t) => {
    const tenantEntry = {
      description: null,
      enabled_for_tenant: true,
      visible_to_subscriber: true,
      preference: null,
      mandatory_channels: null,
      opt_in_channels: null,
      blocked_channels: null,
      updated_at: null,
    };
    const page = await ok(t, app, 'GET', '/v1/tenant/acme/preference/category/', undefined, 200);
    t.match(page.results[2].updated_at, /^\d{4}-\d{2}-\d{2}T/);
    t.strictSame(page, {
      meta: { count: 3, limit: 10, offset: 0 },
      results: [
        {
          name: 'OTP',
          category: 'otp',
          tags: null,
          effective_tags: null,
          root_category: 'system',
          default_preference: 'cant_unsubscribe',
          default_mandatory_channels: ['email'],
          default_opt_in_channels: null,
          ...tenantEntry,
        },
        {
          name: 'Invoice ready',
          category: 'invoice-ready',
          tags: null,
          effective_tags: ['finance'],
          root_category: 'transactional',
          default_preference: 'opt_in',
          default_mandatory_channels: null,
          default_opt_in_channels: null,
          ...tenantEntry,
          description: 'When an invoice is issued',
        },
        {
          name: 'Newsletter',
          category: 'newsletter',
          tags: ['marketing'],
          effective_tags: ['marketing'],
          root_category: 'promotional',
          default_preference: 'opt_out',
          default_mandatory_channels: null,
          default_opt_in_channels: null,
          ...tenantEntry,
          visible_to_subscriber: false,
          updated_at: page.results[2].updated_at,
        },
      ].map((e) => ({
        name: e.name,
        category: e.category,
        description: e.description,
        tags: e.tags,
        effective_tags: e.effective_tags,
        root_category: e.root_category,
        default_preference: e.default_preference,
        default_mandatory_channels: e.default_mandatory_channels,
        default_opt_in_channels: e.default_opt_in_channels,
        enabled_for_tenant: e.enabled_for_tenant,
        visible_to_subscriber: e.visible_to_subscriber,
        preference: e.preference,
        mandatory_channels: e.mandatory_channels,
        opt_in_channels: e.opt_in_channels,
        blocked_channels: e.blocked_channels,
        updated_at: e.updated_at,
      })),
    });
    t.strictSame(await ok(t, app, 'GET', '/v1/tenant/acme/preference/category/newsletter/', undefined, 200), page.results[2]);
    // Turned off for the tenant: gone from the list unless include_disabled.
    await ok(t, app, 'PATCH', '/v1/tenant/acme/preference/category/otp/', { enabled_for_tenant: false }, 200);
    t.strictSame(
      (await ok(t, app, 'GET', '/v1/tenant/acme/preference/category/', undefined, 200)).results.map(
        (e: { category: string }) => e.category,
      ),
      ['invoice-ready', 'newsletter'],
    );
    t.strictSame(
      (await ok(t, app, 'GET', '/v1/tenant/acme/preference/category/?include_disabled=true', undefined, 200)).results.map(
        (e: { category: string }) => e.category,
      ),
      ['otp', 'invoice-ready', 'newsletter'],
    );
    t.strictSame(
      (await ok(t, app, 'GET', '/v1/user/alice/preference/?tenant_id=acme', undefined, 200)).sections.map((s: { name: string }) => s.name),
      ['Billing'],
      'a category turned off for the tenant is gone from its users’ answers too',
    );
  });
});
