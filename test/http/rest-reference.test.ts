import type { ValidateFunction } from 'ajv';
import t, { type Test } from 'tap';
import { bearer, build, CHANNELS, expectApiError, expectJson, loadFixture, TIMESTAMP, validatorFor } from '../helpers/index.js';

/** SuprSend's published request examples and response schemas (see the file's "source"). */
const fixtures = loadFixture<{
  requests: Record<'upsert_curl' | 'upsert_request_example' | 'edit_curl', { method: string; path: string; body: Record<string, unknown> }>;
  responses: Record<'upsert_201' | 'upsert_400' | 'get_200' | 'edit_202' | 'delete_404' | 'list_200', Record<string, unknown>>;
  response_examples: { delete_404: { code: number; message: string } };
}>('suprsend-user-schemas.json');

const validators = Object.fromEntries(Object.entries(fixtures.responses).map(([k, s]) => [k, validatorFor(s)])) as Record<
  keyof typeof fixtures.responses,
  ValidateFunction
>;

type Identity = { value: unknown; status: string; perma_status: string; id_provider?: string };
type User = { distinct_id: string; properties: Record<string, unknown>; created_at: string; updated_at: string } & Record<string, unknown>;

/** Validates against upstream's schema, plus what its literal `$<channel>` placeholder means for each channel key. */
function checkUser(t: Test, body: unknown, schema: keyof typeof fixtures.responses, what: string) {
  const validate = validators[schema];
  t.ok(validate(body), `${what}: valid against SuprSend's ${schema} schema ${JSON.stringify(validate.errors ?? [])}`);
  const user = body as User;
  t.match(user.created_at, TIMESTAMP, `${what}: created_at format`);
  t.match(user.updated_at, TIMESTAMP, `${what}: updated_at format`);
  for (const key of Object.keys(user)) {
    if (!key.startsWith('$')) continue;
    t.ok(CHANNELS.includes(key), `${what}: top-level ${key} is a channel`);
    const items = user[key];
    t.ok(Array.isArray(items) && items.length > 0, `${what}: ${key} is a non-empty array`);
    for (const [i, item] of (Array.isArray(items) ? (items as Identity[]) : []).entries()) {
      const where = `${what}: ${key}[${i}]`;
      t.ok(item !== null && typeof item === 'object', `${where} is an object`);
      t.ok('value' in item && item.value !== null && item.value !== undefined, `${where} has a value`);
      t.ok(['string', 'object'].includes(typeof item.value), `${where}.value is a string or an object`);
      t.ok(['active', 'inactive'].includes(item.status), `${where}.status is active/inactive (got ${item.status})`);
      t.ok(['active', 'disabled'].includes(item.perma_status), `${where}.perma_status is active/disabled (got ${item.perma_status})`);
    }
  }
}

const values = (user: User, channel: string) => ((user[channel] as Identity[] | undefined) ?? []).map((i) => i.value);

t.test('the REST reference flow for user123, with Bearer auth', async (t) => {
  const app = await build(t);
  const { upsert_curl: upsert, edit_curl: edit } = fixtures.requests;

  // POST: the cURL sample.
  t.equal(upsert.method, 'POST');
  const created = expectJson<User>(t, await bearer(app, upsert.method, upsert.path, upsert.body), 201, 'POST cURL sample');
  checkUser(t, created, 'upsert_201', 'POST 201');
  t.equal(created.distinct_id, 'user123');
  t.same(values(created, '$email'), ['user@example.com']);
  t.same(values(created, '$sms'), ['+1234567890']);
  t.same(values(created, '$slack'), upsert.body.$slack, 'Slack object stored as sent (email_id spelling kept)');
  t.same(values(created, '$ms_teams'), upsert.body.$ms_teams, 'MS Teams object stored as sent');
  t.equal(values(created, '$inbox').length, 1, 'an $inbox identity was added on creation');
  t.equal(created.created_at, created.updated_at, 'new user: created_at = updated_at');

  // GET: the same user.
  const fetched = expectJson<User>(t, await bearer(app, 'GET', '/v1/user/user123/'), 200, 'GET');
  checkUser(t, fetched, 'get_200', 'GET 200');
  t.same(fetched, created, 'GET returns what POST answered');

  // PATCH: the cURL sample.
  t.equal(edit.method, 'PATCH');
  const edited = expectJson<User>(t, await bearer(app, edit.method, edit.path, edit.body), 202, 'PATCH cURL sample');
  checkUser(t, edited, 'edit_202', 'PATCH 202');
  t.same(edited.properties, { name: 'John Doe', $locale: 'en_GB', $timezone: 'America/New_York' });
  t.same([...values(edited, '$email')].sort(), ['john@example.com', 'user@example.com'], '$append added an email');
  t.equal(edited.created_at, created.created_at, 'created_at kept');
  t.ok(edited.updated_at > created.updated_at, 'updated_at moved forward');
  t.same(expectJson(t, await bearer(app, 'GET', '/v1/user/user123/'), 200, 'GET after PATCH'), edited, 'GET shows the edit');

  // DELETE: 204, empty body.
  const del = await bearer(app, 'DELETE', '/v1/user/user123/');
  t.equal(del.statusCode, 204, 'DELETE 204');
  t.equal(del.body, '', 'DELETE body is empty');

  // GET after DELETE: SuprSend's 404.
  const gone = await bearer(app, 'GET', '/v1/user/user123/');
  const err = expectApiError(t, gone, 404, 'GET after DELETE');
  t.same(JSON.parse(gone.body), { code: 404, message: "user [distinct_id: 'user123'] not found" }, 'exact 404 body');
  t.ok(validators.delete_404(JSON.parse(gone.body)), "valid against SuprSend's 404 schema");
  t.equal(err.message, "user [distinct_id: 'user123'] not found");

  // DELETE of an unknown user: the documented 404 (example uses user1).
  const example = fixtures.response_examples.delete_404;
  const del404 = await bearer(app, 'DELETE', '/v1/user/user1/');
  t.same(JSON.parse(del404.body), example, 'DELETE 404 equals the documented example');
  t.equal(del404.statusCode, example.code);
  expectApiError(t, await bearer(app, 'PATCH', '/v1/user/user123/', edit.body), 404, 'PATCH of the deleted user');
});

async function postExample(t: Test, body: Record<string, unknown>, what: string) {
  const app = await build(t);
  const ex = fixtures.requests.upsert_request_example;
  const path = ex.path.replace('{distinct_id}', 'jsmith');
  const res = await bearer(app, ex.method, path, body);
  const user = expectJson<User>(t, res, 201, what);
  if (res.statusCode !== 201) return;
  checkUser(t, user, 'upsert_201', `${what} 201`);
  t.same(user.properties, { $timezone: 'America/New_York', $locale: 'en_GB', custom_key: 'custom_value' });
  for (const channel of ['$email', '$sms', '$whatsapp', '$androidpush', '$iospush', '$webpush', '$slack', '$ms_teams']) {
    t.same(values(user, channel), body[channel] ?? [], `${channel} holds what was sent`);
  }
  t.ok(values(user, '$inbox').includes('4nlPk4XXLcDxxxHQ70xx2Cx24'), 'the given $inbox value is kept');
  checkUser(t, expectJson(t, await bearer(app, 'GET', path), 200, 'GET jsmith'), 'get_200', 'GET jsmith');
}

// SuprSend's own request example: its $ms_teams item has user_id + tenant_id + conversation_id but no
// service_url, so it matches none of the three Teams shapes of the same spec. An emulator should still
// take the documented example (the project accepts the other spelling slips of the examples too).
t.test('the POST request-body example of the reference, as published', async (t) => {
  await postExample(t, fixtures.requests.upsert_request_example.body, 'POST request example');
});

t.test('the POST request-body example without its $ms_teams item', async (t) => {
  const { $ms_teams: _teams, ...rest } = fixtures.requests.upsert_request_example.body;
  await postExample(t, rest, 'POST request example minus $ms_teams');
});

t.test('GET /v1/user/ validates against the list schema', async (t) => {
  const app = await build(t);
  for (const id of ['list-1', 'list-2', 'list-3']) {
    expectJson(t, await bearer(app, 'POST', `/v1/user/${id}/`, { name: id, $email: [`${id}@example.com`] }), 201, `create ${id}`);
  }
  type Page = {
    meta: { count: number; limit: number; has_prev: boolean; before: string | null; has_next: boolean; after: string | null };
    results: User[];
  };

  const page1 = expectJson<Page>(t, await bearer(app, 'GET', '/v1/user/?limit=2'), 200, 'page 1');
  t.ok(validators.list_200(page1), `page 1 valid against SuprSend's list schema ${JSON.stringify(validators.list_200.errors ?? [])}`);
  t.match(page1.meta, { count: 3, limit: 2, has_prev: false, before: null, has_next: true });
  t.type(page1.meta.after, 'string');
  t.equal(page1.results.length, 2);
  for (const r of page1.results) {
    t.same(
      Object.keys(r).sort(),
      ['created_at', 'distinct_id', 'properties', 'updated_at'],
      `${r.distinct_id}: no channels in list results`,
    );
    t.equal(r.properties.name, r.distinct_id);
  }

  // The last page: upstream types `after` as a string, but with no next page this project (like its
  // examples' `before`) answers null (spec decision 9 / §5.9), so `after` is checked as string-or-null here.
  const page2 = expectJson<Page>(
    t,
    await bearer(app, 'GET', `/v1/user/?limit=2&after=${encodeURIComponent(page1.meta.after ?? '')}`),
    200,
    'page 2',
  );
  const lastPageSchema = structuredClone(fixtures.responses.list_200) as { properties: { meta: { properties: Record<string, unknown> } } };
  lastPageSchema.properties.meta.properties.after = { type: ['string', 'null'] };
  const validateLast = validatorFor(lastPageSchema);
  t.ok(validateLast(page2), `page 2 valid (after nullable) ${JSON.stringify(validateLast.errors ?? [])}`);
  t.match(page2.meta, { count: 3, limit: 2, has_prev: true, has_next: false, after: null });
  t.type(page2.meta.before, 'string');
  t.equal(page2.results.length, 1);
  const seen = [...page1.results, ...page2.results].map((r) => r.distinct_id).sort();
  t.same(seen, ['list-1', 'list-2', 'list-3'], 'the two pages hold every user once');

  const defaults = expectJson<Page>(t, await bearer(app, 'GET', '/v1/user/'), 200, 'no query');
  t.equal(defaults.meta.limit, 10, 'default limit 10');
  t.equal(defaults.results.length, 3);
});

t.test('a 400 on the reference routes matches the documented 400 schema', async (t) => {
  const app = await build(t);
  const res = await bearer(app, 'POST', '/v1/user/user123/', { $email: ['not-an-email'] });
  expectApiError(t, res, 400, 'bad email');
  t.ok(validators.upsert_400(JSON.parse(res.body)), "valid against SuprSend's 400 schema");
});
