import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { bearer, build, expectApiError, expectJson, signed, signedHeaders, WS_A, WS_B } from '../helpers/index.js';

type Identity = { value: unknown; status: string; perma_status: string; id_provider?: string };
type User = { distinct_id: string; properties: Record<string, unknown> } & Record<`$${string}`, Identity[] | undefined>;
type Page = { meta: { count: number; has_next: boolean; after: string | null }; results: Array<{ distinct_id: string }> };

const A_KEY = WS_A.api_keys[0]!;
const B_KEY = WS_B.api_keys[0]!;

/** Every distinct_id of a workspace's listing, walking all pages. */
async function listAll(app: FastifyInstance, apiKey: string): Promise<{ count: number; ids: string[] }> {
  const ids: string[] = [];
  let url = '/v1/user/?limit=2';
  let count = -1;
  for (let i = 0; i < 50; i++) {
    const res = await bearer(app, 'GET', url, undefined, apiKey);
    if (res.statusCode !== 200) throw new Error(`listing answered ${res.statusCode}: ${res.body}`);
    const page = JSON.parse(res.body) as Page;
    count = page.meta.count;
    ids.push(...page.results.map((r) => r.distinct_id));
    if (!page.meta.has_next || !page.meta.after) break;
    url = `/v1/user/?limit=2&after=${encodeURIComponent(page.meta.after)}`;
  }
  return { count, ids };
}

async function seedA(t: Test, app: FastifyInstance) {
  for (const [id, body] of [
    ['only-a', { name: 'Only in A', $email: ['only@a.example'] }],
    ['shared-id', { name: 'Alice in A', plan: 'gold', $email: ['alice@a.example'], $sms: ['+15555550100'] }],
    ['a-3', { name: 'third' }],
  ] as const) {
    expectJson(t, await bearer(app, 'POST', `/v1/user/${id}/`, body, A_KEY), 201, `seed ${id} in A`);
  }
}

t.test('workspace B cannot read, change or delete workspace A users', async (t) => {
  const app = await build(t);
  await seedA(t, app);
  const before = await bearer(app, 'GET', '/v1/user/only-a/', undefined, A_KEY);
  t.equal(before.statusCode, 200);

  const notFound = "user [distinct_id: 'only-a'] not found";
  // Bearer and SDK signature, both with B's credentials.
  t.equal(expectApiError(t, await bearer(app, 'GET', '/v1/user/only-a/', undefined, B_KEY), 404, 'B GET (bearer)').message, notFound);
  t.equal(expectApiError(t, await signed(app, 'GET', '/v1/user/only-a/', undefined, WS_B), 404, 'B GET (signed)').message, notFound);
  t.equal(
    expectApiError(
      t,
      await bearer(app, 'PATCH', '/v1/user/only-a/', { operations: [{ $set: { name: 'hacked' } }] }, B_KEY),
      404,
      'B PATCH (bearer)',
    ).message,
    notFound,
  );
  t.equal(
    expectApiError(
      t,
      await signed(app, 'PATCH', '/v1/user/only-a/', { operations: [{ $unset: ['$email'] }] }, WS_B),
      404,
      'B PATCH (signed)',
    ).message,
    notFound,
  );
  t.equal(expectApiError(t, await bearer(app, 'DELETE', '/v1/user/only-a/', undefined, B_KEY), 404, 'B DELETE (bearer)').message, notFound);
  t.equal(expectApiError(t, await signed(app, 'DELETE', '/v1/user/only-a/', undefined, WS_B), 404, 'B DELETE (signed)').message, notFound);

  // B's key with A's secret (or the reverse) is no credential at all.
  const mixed = await app.inject({
    method: 'GET',
    url: '/v1/user/only-a/',
    headers: signedHeaders({ ...WS_B, secret: WS_A.secret }, 'GET', '/v1/user/only-a/', undefined),
  });
  expectApiError(t, mixed, 401, "B's key signed with A's secret");

  const after = await bearer(app, 'GET', '/v1/user/only-a/', undefined, A_KEY);
  t.equal(after.body, before.body, "A's user is byte-for-byte unchanged");

  // B's listing holds none of A's users, and its count excludes them.
  const listB = await listAll(app, B_KEY);
  t.equal(listB.count, 0, "B's count excludes A's users");
  t.same(listB.ids, [], "B's listing is empty");
  const listA = await listAll(app, A_KEY);
  t.equal(listA.count, 3, "A's count");
  t.same([...listA.ids].sort(), ['a-3', 'only-a', 'shared-id'], "A's listing");
});

t.test('an upsert by B creates B’s own user and leaves A’s alone', async (t) => {
  const app = await build(t);
  await seedA(t, app);
  const aBefore = await bearer(app, 'GET', '/v1/user/only-a/', undefined, A_KEY);

  const created = expectJson<User>(t, await bearer(app, 'POST', '/v1/user/only-a/', { name: 'B copy' }, B_KEY), 201, 'B upsert');
  t.same(created.properties, { name: 'B copy' }, "B's user starts from nothing: no property of A's");
  t.equal(created.$email, undefined, "B's user has none of A's identities");

  t.equal((await bearer(app, 'GET', '/v1/user/only-a/', undefined, A_KEY)).body, aBefore.body, "A's user unchanged");
  expectJson(t, await bearer(app, 'DELETE', '/v1/user/only-a/', undefined, B_KEY), 204, 'B deletes its own copy');
  t.equal((await bearer(app, 'GET', '/v1/user/only-a/', undefined, A_KEY)).body, aBefore.body, "A's user survives B's delete");
  expectApiError(t, await bearer(app, 'GET', '/v1/user/only-a/', undefined, B_KEY), 404, "B's copy is gone");
});

t.test('the same distinct_id lives independently in both workspaces', async (t) => {
  const app = await build(t);
  await seedA(t, app);

  const b = expectJson<User>(
    t,
    await signed(app, 'POST', '/v1/user/shared-id/', { name: 'Bob in B', tier: 2, $email: ['bob@b.example'] }, WS_B),
    201,
    'create shared-id in B',
  );
  t.same(b.properties, { name: 'Bob in B', tier: 2 });

  const a = expectJson<User>(t, await bearer(app, 'GET', '/v1/user/shared-id/', undefined, A_KEY), 200, 'A reads shared-id');
  const b2 = expectJson<User>(t, await bearer(app, 'GET', '/v1/user/shared-id/', undefined, B_KEY), 200, 'B reads shared-id');
  t.same(a.properties, { name: 'Alice in A', plan: 'gold' }, "A's properties");
  t.same(b2.properties, { name: 'Bob in B', tier: 2 }, "B's properties");
  t.same(
    a.$email?.map((i) => i.value),
    ['alice@a.example'],
    "A's emails",
  );
  t.same(
    b2.$email?.map((i) => i.value),
    ['bob@b.example'],
    "B's emails",
  );
  t.same(
    a.$sms?.map((i) => i.value),
    ['+15555550100'],
  );
  t.equal(b2.$sms, undefined, 'B has no sms');
  t.ok(a.$inbox?.[0] && b2.$inbox?.[0], 'both got an $inbox identity');
  t.not(a.$inbox?.[0]?.value, b2.$inbox?.[0]?.value, 'inbox values come from each workspace’s own inbox secret');

  // An edit in one workspace does not reach the other.
  const edited = expectJson<User>(
    t,
    await bearer(
      app,
      'PATCH',
      '/v1/user/shared-id/',
      { operations: [{ $set: { name: 'Bob 2' } }, { $append: { $email: 'bob2@b.example' } }] },
      B_KEY,
    ),
    202,
    'B edits shared-id',
  );
  t.equal(edited.properties.name, 'Bob 2');
  const aAgain = await bearer(app, 'GET', '/v1/user/shared-id/', undefined, A_KEY);
  t.same(JSON.parse(aAgain.body), a, "A's shared-id untouched by B's edit");

  // Counts per workspace.
  t.equal((await listAll(app, A_KEY)).count, 3, 'A still counts 3');
  const listB = await listAll(app, B_KEY);
  t.equal(listB.count, 1, 'B counts 1');
  t.same(listB.ids, ['shared-id']);

  // Deleting in A leaves B's.
  expectJson(t, await bearer(app, 'DELETE', '/v1/user/shared-id/', undefined, A_KEY), 204, 'A deletes shared-id');
  expectApiError(t, await bearer(app, 'GET', '/v1/user/shared-id/', undefined, A_KEY), 404, 'gone in A');
  const bAfter = expectJson<User>(t, await bearer(app, 'GET', '/v1/user/shared-id/', undefined, B_KEY), 200, 'still in B');
  t.equal(bAfter.properties.name, 'Bob 2');
  t.same(bAfter.$email?.map((i) => i.value).sort(), ['bob2@b.example', 'bob@b.example']);
});
