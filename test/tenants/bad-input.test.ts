/**
 * Bad input on the tenant and brand routes: upstream's documented error
 * bodies exactly, a 4xx in SuprSend's long error form for everything else,
 * and nothing changed afterwards (the database digest is the same).
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { bearer, build, databaseDigest, signedHeaders, WS_A } from '../helpers/index.js';
import { expectLong, pythonJson, upsertTenant, upstreamExamples } from './fixtures/helpers.js';

async function seeded(t: Test): Promise<FastifyInstance> {
  const app = await build(t);
  await upsertTenant(t, app, 'acme', { tenant_name: 'Acme', properties: { plan: 'pro' }, social_links: { website: 'https://acme.test' } });
  await upsertTenant(t, app, 'default', { primary_color: '#abcdef' });
  return app;
}

t.test("upstream's documented error bodies, exactly", async (t) => {
  const app = await seeded(t);
  const before = databaseDigest(app);
  const get404 = expectLong(t, await bearer(app, 'GET', '/v1/tenant/tenant/'), 404, 'GET unknown');
  t.strictSame(get404, upstreamExamples.get_404, "GET: upstream's 404 example");
  const delete404 = expectLong(t, await bearer(app, 'DELETE', '/v1/tenant/12/'), 404, 'DELETE unknown');
  t.strictSame(delete404, upstreamExamples.delete_404, "DELETE: upstream's 404 example");
  const html = expectLong(t, await bearer(app, 'POST', '/v1/tenant/acme/', { tenant_name: '<b>Acme</b>' }), 400, 'HTML name');
  t.strictSame(html, upstreamExamples.upsert_400, "POST: upstream's 400 example (non-html text)");
  t.strictSame(
    expectLong(t, await bearer(app, 'GET', '/v1/tenant/acme/', undefined, 'wrong-key'), 401, 'bad API key').type,
    'AuthenticationFailed',
  );
  t.equal(databaseDigest(app), before, 'nothing changed');
});

t.test('the default tenant cannot be deleted (400), as a tenant or a brand', async (t) => {
  const app = await seeded(t);
  const before = databaseDigest(app);
  const body = expectLong(t, await bearer(app, 'DELETE', '/v1/tenant/default/'), 400, 'delete default');
  t.strictSame(body, {
    code: 400,
    error_code: 'error',
    type: 'ValidationError',
    message: 'The default tenant cannot be deleted',
    detail: 'The default tenant cannot be deleted',
  });
  t.equal(databaseDigest(app), before, 'nothing changed');
});

t.test('tenant_id: 1 to 64 characters of a-z, 0-9, _ and -', async (t) => {
  const app = await seeded(t);
  const before = databaseDigest(app);
  const cases: Array<[string, string, RegExp]> = [
    ['65 characters', 'a'.repeat(65), /^Ensure this field has no more than 64 characters\.$/],
    ['upper case', 'Acme', /lower-case letters, digits/],
    ['a dot', 'a.b', /lower-case letters, digits/],
    ['a space', 'a%20b', /lower-case letters, digits/],
    ['an encoded slash', 'a%2Fb', /lower-case letters, digits/],
    ['non-ASCII', 'caf%C3%A9', /lower-case letters, digits/],
    ['a plus', 'a+b', /lower-case letters, digits/],
  ];
  for (const [what, id, message] of cases) {
    for (const [route, field] of [
      ['tenant', 'tenant_id'],
      ['brand', 'brand_id'],
    ] as const) {
      const body = expectLong(t, await bearer(app, 'POST', `/v1/${route}/${id}/`, { [`${route}_name`]: 'X' }), 400, `${route}: ${what}`);
      const detail = body.detail as Record<string, string[]>;
      t.strictSame(Object.keys(detail), [field], `${what}: detail names ${field}`);
      t.match(detail[field]![0], message, `${what}: message`);
      t.equal(body.message, pythonJson(detail), `${what}: message is the detail as JSON`);
    }
    // Such a tenant cannot exist: GET and DELETE answer 404.
    const notFound = expectLong(t, await bearer(app, 'GET', `/v1/tenant/${id}/`), 404, `GET ${what}`);
    t.equal(notFound.message, `No tenant found for tenant_id ${decodeURIComponent(id)}`);
    expectLong(t, await bearer(app, 'DELETE', `/v1/tenant/${id}/`), 404, `DELETE ${what}`);
  }
  // 64 characters is fine.
  await upsertTenant(t, app, 'a'.repeat(64), { tenant_name: 'Long' });
  t.not(databaseDigest(app), before, 'a valid id is stored (the check above can fail)');
});

t.test('every field is checked: 400 naming the field, nothing changed', async (t) => {
  const app = await seeded(t);
  const before = databaseDigest(app);
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['missing name on create', { logo: 'https://x.test/l.png' }, 'tenant_name', /^This field is required\.$/],
    ['null name on create', { tenant_name: null }, 'tenant_name', /^This field may not be null\.$/],
    ['blank name', { tenant_name: '' }, 'tenant_name', /^This field may not be blank\.$/],
    ['name not a string', { tenant_name: 5 }, 'tenant_name', /^Not a valid string\.$/],
    ['name too long', { tenant_name: 'n'.repeat(256) }, 'tenant_name', /no more than 255/],
    ['logo not a URL', { tenant_name: 'X', logo: 'logo.png' }, 'logo', /^Enter a valid URL\.$/],
    ['logo ftp', { tenant_name: 'X', logo: 'ftp://x.test/l.png' }, 'logo', /^Enter a valid URL\.$/],
    ['timezone unknown', { tenant_name: 'X', timezone: 'Mars/Olympus' }, 'timezone', /IANA time zone/],
    ['timezone a number', { tenant_name: 'X', timezone: 5 }, 'timezone', /./],
    ['blocked_channels a string', { tenant_name: 'X', blocked_channels: 'sms' }, 'blocked_channels', /list of channel/],
    ['blocked_channels unknown', { tenant_name: 'X', blocked_channels: ['fax'] }, 'blocked_channels', /"fax" is not a valid choice/],
    ['embedded url', { tenant_name: 'X', embedded_preference_url: 'not a url' }, 'embedded_preference_url', /valid URL/],
    ['domain with scheme', { tenant_name: 'X', hosted_preference_domain: 'https://p.acme.test' }, 'hosted_preference_domain', /domain/],
    ['primary colour', { tenant_name: 'X', primary_color: 'red' }, 'primary_color', /hex colour/],
    ['secondary colour', { tenant_name: 'X', secondary_color: '#12345' }, 'secondary_color', /hex colour/],
    ['tertiary colour', { tenant_name: 'X', tertiary_color: 123 }, 'tertiary_color', /./],
    ['social_links a list', { tenant_name: 'X', social_links: ['https://x.test'] }, 'social_links', /object of links/],
    ['unknown social link', { tenant_name: 'X', social_links: { myspace: 'https://m.test' } }, 'social_links', /Not a social link/],
    ['social link not a URL', { tenant_name: 'X', social_links: { website: 'acme' } }, 'social_links', /website: Enter a valid URL/],
    ['properties a list', { tenant_name: 'X', properties: [1] }, 'properties', /JSON object/],
    ['properties a string', { tenant_name: 'X', properties: 'p' }, 'properties', /JSON object/],
  ];
  for (const [what, body, field, message] of cases) {
    for (const id of ['newone', 'acme']) {
      if (id === 'acme' && field === 'tenant_name' && /create/.test(what)) continue; // required on create only
      const res = await bearer(app, 'POST', `/v1/tenant/${id}/`, body);
      const err = expectLong(t, res, 400, `${id}: ${what}`);
      const detail = err.detail as Record<string, string[]>;
      t.ok(field in detail, `${what}: detail names ${field} (${JSON.stringify(detail)})`);
      t.match(detail[field]?.join(' | '), message, `${what}: message`);
      t.equal(err.message, pythonJson(detail), `${what}: message is the detail as JSON`);
    }
  }
  t.equal(databaseDigest(app), before, 'nothing changed');
});

t.test('bodies that are not an object, bad JSON, bad queries: 4xx in the long form, nothing changed', async (t) => {
  const app = await seeded(t);
  const before = databaseDigest(app);
  const raw = (method: 'POST' | 'GET', url: string, payload: string, contentType = 'application/json') =>
    app.inject({ method, url, headers: { authorization: `Bearer ${WS_A.api_keys[0]}`, 'content-type': contentType }, payload });
  for (const url of ['/v1/tenant/acme/', '/v1/tenant/newone/', '/v1/brand/acme/']) {
    for (const payload of ['null', '[]', '"x"', '5', 'true', '[{"tenant_name": "x"}]']) {
      expectLong(t, await raw('POST', url, payload), 400, `${url} ${payload}`);
    }
    expectLong(t, await raw('POST', url, '{"tenant_name": '), 400, `${url}: broken JSON`);
    expectLong(t, await raw('POST', url, '{"properties": {"n": 12345678901234567890}}'), 400, `${url}: inexact integer`);
    expectLong(t, await raw('POST', url, '{"properties": {"__proto__": {"x": 1}}}'), 400, `${url}: __proto__`);
    expectLong(t, await raw('POST', url, 'tenant_name=x', 'application/x-www-form-urlencoded'), 415, `${url}: not JSON`);
  }
  for (const base of ['/v1/tenant/', '/v1/brand/']) {
    for (const query of ['limit=abc', 'limit=-1', 'limit=1.5', 'offset=-3', 'offset=x', 'limit=1e3']) {
      const err = expectLong(t, await bearer(app, 'GET', `${base}?${query}`), 400, `${base}?${query}`);
      t.ok(
        ['limit', 'offset'].some((k) => k in (err.detail as object)),
        `${query}: detail names the parameter`,
      );
    }
  }
  // Methods a path does not serve: 405 before anything else.
  for (const [method, url] of [
    ['PATCH', '/v1/tenant/acme/'],
    ['PUT', '/v1/tenant/acme/'],
    ['POST', '/v1/tenant/'],
    ['DELETE', '/v1/tenant/'],
    ['DELETE', '/v1/brand/acme/'],
    ['POST', '/v1/brand/'],
  ] as const) {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${WS_A.api_keys[0]}` } });
    t.equal(res.statusCode, 405, `${method} ${url}: 405`);
  }
  // Unsigned, wrongly signed: 401.
  expectLong(t, await app.inject({ method: 'GET', url: '/v1/tenant/' }), 401, 'no credentials');
  const headers = signedHeaders(WS_A, 'POST', '/v1/tenant/acme/', '{"tenant_name":"Evil"}');
  expectLong(
    t,
    await app.inject({ method: 'POST', url: '/v1/tenant/acme/', headers, payload: '{"tenant_name":"Other"}' }),
    401,
    'a signature over another body',
  );
  t.equal(databaseDigest(app), before, 'nothing changed');
});
