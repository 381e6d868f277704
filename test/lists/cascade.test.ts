/**
 * Memberships follow their users and lists (decision 10): deleting a user
 * removes it from every list and draft, merging moves the secondary's
 * memberships to the primary, deleting a list removes its members and drafts.
 * `subscribers_count` is checked after every step.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { addMembers, allMembers, createList, getList, listsOf, type ListObject, type SubscribedList } from './fixtures/helpers.js';
import { bearer, build, countRows, type CursorPage, expectJson, WS_B } from '../helpers/index.js';

const B_KEY = WS_B.api_keys[0]!;

async function users(t: Test, app: FastifyInstance, ...ids: string[]) {
  for (const id of ids) expectJson(t, await bearer(app, 'POST', `/v1/user/${id}/`, { name: id }), 201, `create user ${id}`);
}

async function counts(t: Test, app: FastifyInstance, ...listIds: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const l of listIds) out.push((await getList(t, app, l)).subscribers_count);
  return out;
}

async function startDraft(t: Test, app: FastifyInstance, listId: string, ids: string[]): Promise<string> {
  const draft = expectJson<ListObject>(
    t,
    await bearer(app, 'POST', `/v1/subscriber_list/${listId}/start_sync/`, {}),
    201,
    `start_sync ${listId}`,
  );
  const add = await bearer(app, 'POST', `/v1/subscriber_list/${listId}/version/${draft.version_id}/subscriber/add/`, { distinct_ids: ids });
  expectJson(t, add, 201, 'add to draft');
  return draft.version_id!;
}

async function draftCount(t: Test, app: FastifyInstance, listId: string, versionId: string): Promise<number> {
  return expectJson<ListObject>(t, await bearer(app, 'GET', `/v1/subscriber_list/${listId}/version/${versionId}/`), 200, 'get draft')
    .subscribers_count;
}

t.test('deleting a user removes its memberships in every list and draft', async (t) => {
  const app = await build(t);
  await users(t, app, 'u1', 'u2', 'u3');
  for (const l of ['a', 'b', 'c']) await createList(t, app, l);
  await addMembers(t, app, 'a', ['u1', 'u2', 'u3']);
  await addMembers(t, app, 'b', ['u2']);
  await addMembers(t, app, 'c', ['u1', 'u3']);
  const draft = await startDraft(t, app, 'b', ['u1', 'u2']);
  t.strictSame(await counts(t, app, 'a', 'b', 'c'), [3, 1, 2], 'counts before');
  t.equal(await draftCount(t, app, 'b', draft), 2);
  t.strictSame(await listsOf(app, 'u1'), ['c', 'a'], 'u1 is in c and a');
  const [aBefore, bBefore] = [await getList(t, app, 'a'), await getList(t, app, 'b')];

  t.equal((await bearer(app, 'DELETE', '/v1/user/u1/')).statusCode, 204, 'delete u1');
  t.strictSame(await counts(t, app, 'a', 'b', 'c'), [2, 1, 1], 'u1 left a and c');
  t.strictSame(await allMembers(app, 'a'), ['u2', 'u3']);
  t.strictSame(await allMembers(app, 'c'), ['u3']);
  t.equal(await draftCount(t, app, 'b', draft), 1, 'u1 left the draft of b too');
  t.equal(countRows(app, 'SELECT count(*) AS n FROM list_members WHERE distinct_id = ?', 'u1'), 0, 'no membership row of u1 is left');
  t.equal(countRows(app, 'SELECT count(*) AS n FROM list_version_members WHERE distinct_id = ?', 'u1'), 0, 'no draft row of u1 is left');
  t.ok((await getList(t, app, 'a')).updated_at > aBefore.updated_at, "a's updated_at moved: its members changed");
  t.equal((await getList(t, app, 'b')).updated_at, bBefore.updated_at, "b's live members did not change, nor did its updated_at");
  t.equal((await bearer(app, 'GET', '/v1/user/u1/subscribed_to/list/')).statusCode, 404, 'the user is gone');

  // Publishing the draft does not bring u1 back.
  expectJson(t, await bearer(app, 'PATCH', `/v1/subscriber_list/b/version/${draft}/finish_sync/`, {}), 201, 'finish_sync');
  t.strictSame(await allMembers(app, 'b'), ['u2']);

  // Bulk delete cascades the same way.
  t.equal((await bearer(app, 'DELETE', '/v1/bulk/user/', { distinct_ids: ['u2', 'u3'] })).statusCode, 204, 'bulk delete u2, u3');
  t.strictSame(await counts(t, app, 'a', 'b', 'c'), [0, 0, 0], 'every list is empty');
  t.equal(countRows(app, 'SELECT count(*) AS n FROM list_members'), 0);
});

t.test("merging moves the secondary's memberships to the primary", async (t) => {
  const app = await build(t);
  await users(t, app, 'p', 's', 'other');
  for (const l of ['both', 'only_s', 'only_p']) await createList(t, app, l);
  await addMembers(t, app, 'both', ['p']);
  await addMembers(t, app, 'only_s', ['other', 's']);
  await addMembers(t, app, 'both', ['s', 'other']);
  await addMembers(t, app, 'only_p', ['p']);
  const draftBoth = await startDraft(t, app, 'only_p', ['s', 'p']);
  const draftS = await startDraft(t, app, 'both', ['s']);
  t.strictSame(await counts(t, app, 'both', 'only_s', 'only_p'), [3, 2, 1], 'counts before');
  const pPage = expectJson<CursorPage<SubscribedList>>(t, await bearer(app, 'GET', '/v1/user/p/subscribed_to/list/'), 200, 'p lists');
  const sPage = expectJson<CursorPage<SubscribedList>>(t, await bearer(app, 'GET', '/v1/user/s/subscribed_to/list/'), 200, 's lists');
  const joined = (page: CursorPage<SubscribedList>, l: string) => page.results.find((r) => r.list.list_id === l)?.created_at;

  expectJson(t, await bearer(app, 'POST', '/v1/user/p/merge/', { from_user_id: 's' }), 201, 'merge s into p');
  t.strictSame(await counts(t, app, 'both', 'only_s', 'only_p'), [2, 2, 1], 'both lost the duplicate; the others keep their counts');
  t.strictSame(await allMembers(app, 'both'), ['p', 'other'], "both: p keeps its own membership, s's is gone");
  t.strictSame(await allMembers(app, 'only_s'), ['other', 'p'], "only_s: p took s's place (and position)");
  // Membership order: p's own in both (1st), s's in only_s (3rd, moved), p's own in only_p (6th).
  t.strictSame(await listsOf(app, 'p'), ['only_p', 'only_s', 'both'], 'p is now in all three lists, moved one in its original place');

  const after = expectJson<CursorPage<SubscribedList>>(t, await bearer(app, 'GET', '/v1/user/p/subscribed_to/list/'), 200, 'p lists after');
  t.equal(joined(after, 'both'), joined(pPage, 'both'), "where both were members, the primary's created_at stays");
  t.equal(joined(after, 'only_s'), joined(sPage, 'only_s'), "a moved membership keeps the secondary's created_at");
  t.equal(after.meta.count, 3);

  t.equal(await draftCount(t, app, 'only_p', draftBoth), 1, 'a draft with both keeps one');
  t.equal(await draftCount(t, app, 'both', draftS), 1, 'a draft with only s now holds p');
  expectJson(t, await bearer(app, 'PATCH', `/v1/subscriber_list/both/version/${draftS}/finish_sync/`, {}), 201, 'publish the draft');
  t.strictSame(await allMembers(app, 'both'), ['p'], 'the published draft holds p');
  t.equal(countRows(app, "SELECT count(*) AS n FROM list_members WHERE distinct_id = 's'"), 0);
  t.equal(countRows(app, "SELECT count(*) AS n FROM list_version_members WHERE distinct_id = 's'"), 0);
  t.equal((await bearer(app, 'GET', '/v1/user/s/subscribed_to/list/')).statusCode, 404, 'the secondary is gone');
});

t.test('deleting a list removes its memberships and drafts; a new list of that id starts empty', async (t) => {
  const app = await build(t);
  await users(t, app, 'u1', 'u2');
  await createList(t, app, 'gone');
  await createList(t, app, 'kept');
  await addMembers(t, app, 'gone', ['u1', 'u2']);
  await addMembers(t, app, 'kept', ['u1']);
  await startDraft(t, app, 'gone', ['u1']);
  t.strictSame(await counts(t, app, 'gone', 'kept'), [2, 1]);
  t.strictSame(await listsOf(app, 'u1'), ['kept', 'gone']);

  t.strictSame(expectJson(t, await bearer(app, 'PATCH', '/v1/subscriber_list/gone/delete/', {}), 200, 'PATCH delete'), { success: true });
  t.strictSame(await listsOf(app, 'u1'), ['kept'], 'u1 is no longer in the deleted list');
  t.strictSame(await listsOf(app, 'u2'), []);
  t.equal((await bearer(app, 'GET', '/v1/subscriber_list/gone/')).statusCode, 404);
  t.strictSame(await counts(t, app, 'kept'), [1], 'the other list is untouched');
  t.equal(countRows(app, 'SELECT count(*) AS n FROM list_members'), 1, 'only the membership of kept remains');
  t.equal(countRows(app, 'SELECT count(*) AS n FROM list_versions'), 0, 'the draft went with its list');
  t.equal(countRows(app, 'SELECT count(*) AS n FROM list_version_members'), 0);

  const again = await createList(t, app, 'gone');
  t.equal(again.subscribers_count, 0, 'a new list with the same id has no members');

  // DELETE (Python SDK >= 0.19.6) does the same.
  await addMembers(t, app, 'kept', ['u2']);
  t.strictSame(expectJson(t, await bearer(app, 'DELETE', '/v1/subscriber_list/kept/'), 200, 'DELETE'), { success: true });
  t.strictSame(await listsOf(app, 'u1'), []);
  t.equal(countRows(app, 'SELECT count(*) AS n FROM list_members'), 0);
});

t.test('workspaces do not share lists or memberships', async (t) => {
  const app = await build(t);
  await users(t, app, 'u1');
  expectJson(t, await bearer(app, 'POST', '/v1/user/u1/', { name: 'B' }, B_KEY), 201, 'u1 in B');
  await createList(t, app, 'same');
  expectJson(t, await bearer(app, 'POST', '/v1/subscriber_list/', { list_id: 'same' }, B_KEY), 201, 'same in B');
  await addMembers(t, app, 'same', ['u1']);
  expectJson(
    t,
    await bearer(app, 'POST', '/v1/subscriber_list/same/subscriber/add/', { distinct_ids: ['u1', 'x'] }, B_KEY),
    201,
    'add in B',
  );
  t.strictSame(await counts(t, app, 'same'), [1], 'A sees its own count');
  const inB = expectJson<ListObject>(t, await bearer(app, 'GET', '/v1/subscriber_list/same/', undefined, B_KEY), 200, 'get in B');
  t.equal(inB.subscribers_count, 2, 'B sees its own count');

  t.equal((await bearer(app, 'DELETE', '/v1/user/u1/')).statusCode, 204, 'delete u1 in A');
  t.strictSame(await counts(t, app, 'same'), [0]);
  const stillB = expectJson<ListObject>(t, await bearer(app, 'GET', '/v1/subscriber_list/same/', undefined, B_KEY), 200, 'get in B');
  t.equal(stillB.subscribers_count, 2, "deleting A's u1 leaves B's membership alone");
  t.equal((await bearer(app, 'GET', '/v1/subscriber_list/?limit=5', undefined, B_KEY)).statusCode, 200);
  const listB = JSON.parse((await bearer(app, 'GET', '/v1/subscriber_list/', undefined, B_KEY)).body) as { meta: { count: number } };
  t.equal(listB.meta.count, 1, 'B lists only its own list');
});
