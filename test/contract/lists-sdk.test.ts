/**
 * Contract tests: the real `@suprsend/node-sdk` (1.15.1) `subscriber_lists`
 * API against a real, listening emulator. Every request is built, signed and
 * sent by the SDK itself (axios over HTTP on 127.0.0.1), including
 * `get_all`'s `GET v1/subscriber_list?limit=&offset=` without a trailing slash.
 *
 * Expected values come from the shared spec (the list object of
 * suprsend-user-api §9.1, the SDK wire notes §7.1, the project's decisions);
 * only timestamps and version ids are taken from the server, after their
 * format is checked.
 */

import t, { type Test } from 'tap';
import { expectedList, matchesUpstream, type ListObject, type SubscribedList } from '../lists/fixtures/helpers.js';
import { type CursorPage, listening, TIMESTAMP, ULID } from '../helpers/index.js';
import { rejectionOf, sdkFor, type Suprsend } from '../helpers/sdk.js';

type Client = InstanceType<typeof Suprsend>;

async function startServer(t: Test): Promise<Client> {
  return sdkFor((await listening(t)).baseUrl);
}

t.test('every subscriber_lists method of the Node SDK, ending with users.get_lists_subscribed_to', async (t) => {
  const sdk = await startServer(t);
  const lists = sdk.subscriber_lists;

  // ---- create (list_id is stored lower-cased) ----
  const created = (await lists.create({
    list_id: 'Product_Updates',
    list_name: 'Product Update',
    list_description: 'Users subscribed to the newsletter',
  })) as ListObject;
  t.match(created.created_at, TIMESTAMP, 'created_at: microseconds and +00:00');
  t.equal(created.updated_at, created.created_at, 'a new list is created and updated at the same instant');
  t.strictSame(
    created,
    expectedList({
      list_id: 'product_updates',
      list_name: 'Product Update',
      list_description: 'Users subscribed to the newsletter',
      subscribers_count: 0,
      created_at: created.created_at,
      updated_at: created.created_at,
    }),
    'create answers the whole list object',
  );
  matchesUpstream(t, 'create_201', created);

  const news = (await lists.create({ list_id: 'newsletter', list_name: 'News', track_user_entry: true })) as ListObject;
  t.equal(news.list_id, 'newsletter');
  t.equal(news.track_user_entry, true, 'track_user_entry is kept');
  t.equal(news.track_user_exit, false);

  // ---- get_all: no trailing slash before the query; newest first ----
  const all = (await lists.get_all()) as { meta: unknown; results: ListObject[] };
  t.strictSame(all.meta, { count: 2, limit: 20, offset: 0 }, 'get_all() sends limit=20&offset=0');
  t.strictSame(all.results, [news, created], 'newest list first, each the full list object');
  matchesUpstream(t, 'get_all_200', all);
  const second = (await lists.get_all({ limit: 1, offset: 1 })) as { meta: unknown; results: ListObject[] };
  t.strictSame(second, { meta: { count: 2, limit: 1, offset: 1 }, results: [created] }, 'limit and offset are applied');

  // ---- get ----
  t.strictSame(await lists.get('product_updates'), created, 'get returns what create answered');
  t.strictSame(await lists.get('PRODUCT_UPDATES'), created, 'list_id in the path is matched case-insensitively');
  t.equal((await rejectionOf(lists.get('no_such_list')))?.message, '404: list_id: no_such_list not found');

  // ---- add / remove (members need not be users; u4 is not one) ----
  for (const id of ['u1', 'u2', 'u3']) await sdk.users.upsert(id, { name: id });
  t.strictSame(await lists.add('product_updates', ['u1', 'u2', 'u3']), { success: true, affected_count: 3 });
  const afterAdd = (await lists.get('product_updates')) as ListObject;
  t.equal(afterAdd.subscribers_count, 3);
  t.ok(afterAdd.updated_at > created.updated_at, 'adding members moves updated_at');
  const joinedAt = afterAdd.updated_at; // the members were added in that same transaction

  t.strictSame(await lists.add('product_updates', ['u1', 'u4']), { success: true, affected_count: 1 }, 'u1 was a member already');
  t.strictSame(await lists.remove('product_updates', ['u4', 'nobody']), { success: true, affected_count: 1 }, 'only u4 was a member');
  t.equal(((await lists.get('product_updates')) as ListObject).subscribers_count, 3);
  t.equal((await rejectionOf(lists.add('no_such_list', ['u1'])))?.message, '404: list_id: no_such_list not found');

  // ---- start_sync / get_version / add_to_version / remove_from_version / finish_sync ----
  const draft = (await lists.start_sync('product_updates')) as ListObject;
  t.match(draft.version_id, ULID, 'start_sync answers a new ULID version_id');
  const before = (await lists.get('product_updates')) as ListObject;
  t.strictSame(draft, { ...before, status: 'draft', subscribers_count: 0, version_id: draft.version_id }, 'the list as a new, empty draft');
  matchesUpstream(t, 'start_sync_201', draft);
  const versionId = draft.version_id!;

  t.strictSame(await lists.add_to_version('product_updates', versionId, ['u2', 'u3', 'u5']), { success: true, affected_count: 3 });
  t.strictSame(await lists.remove_from_version('product_updates', versionId, ['u5', 'u1']), { success: true, affected_count: 1 });
  t.strictSame(
    await lists.get_version('product_updates', versionId),
    { ...before, status: 'draft', subscribers_count: 2, version_id: versionId },
    'get_version shows the draft with its own member count',
  );
  t.equal(((await lists.get('product_updates')) as ListObject).subscribers_count, 3, 'the live list is untouched by the draft');

  const published = (await lists.finish_sync('product_updates', versionId)) as ListObject;
  t.match(published.updated_at, TIMESTAMP);
  t.ok(published.updated_at > before.updated_at, 'publishing a different member set moves updated_at');
  t.strictSame(
    published,
    { ...before, subscribers_count: 2, updated_at: published.updated_at },
    'finish_sync answers the live list: status active, version_id null, the draft members',
  );
  matchesUpstream(t, 'finish_sync_201', published);
  t.strictSame(await lists.get('product_updates'), published);
  t.equal(
    (await rejectionOf(lists.get_version('product_updates', versionId)))?.message,
    `404: version_id ${versionId} not found for list_id product_updates`,
    'a published draft is gone',
  );

  // ---- delete_version ----
  const discarded = (await lists.start_sync('product_updates')) as ListObject;
  t.match(discarded.version_id, ULID);
  t.not(discarded.version_id, versionId, 'each draft has its own version_id');
  t.strictSame(await lists.add_to_version('product_updates', discarded.version_id!, ['u9']), { success: true, affected_count: 1 });
  t.strictSame(await lists.delete_version('product_updates', discarded.version_id!), { success: true });
  t.equal(
    (await rejectionOf(lists.finish_sync('product_updates', discarded.version_id!)))?.message,
    `404: version_id ${discarded.version_id} not found for list_id product_updates`,
  );
  t.equal(((await lists.get('product_updates')) as ListObject).subscribers_count, 2, 'a discarded draft changes nothing');

  // ---- delete ----
  t.strictSame(await lists.add('newsletter', ['u2']), { success: true, affected_count: 1 });
  t.strictSame(await lists.delete('newsletter'), { success: true });
  t.equal((await rejectionOf(lists.get('newsletter')))?.message, '404: list_id: newsletter not found');
  t.equal((await rejectionOf(lists.delete('newsletter')))?.message, '404: list_id: newsletter not found', 'deleting twice is a 404');

  // ---- users.get_lists_subscribed_to ----
  await lists.create({ list_id: 'weekly', list_name: 'Weekly digest' });
  t.strictSame(await lists.add('weekly', ['u2']), { success: true, affected_count: 1 });
  const weekly = (await lists.get('weekly')) as ListObject;
  const productUpdates = (await lists.get('product_updates')) as ListObject;

  const u2 = (await sdk.users.get_lists_subscribed_to('u2')) as CursorPage<SubscribedList>;
  t.strictSame(
    u2,
    {
      meta: { count: 2, limit: 10, has_prev: false, before: null, has_next: false, after: null },
      results: [
        {
          list: {
            list_id: 'weekly',
            list_name: 'Weekly digest',
            list_description: '',
            list_type: 'static_list',
            source: null,
            subscribers_count: 1,
            updated_at: weekly.updated_at,
          },
          created_at: weekly.updated_at, // added in the transaction that last touched the list
        },
        {
          list: {
            list_id: 'product_updates',
            list_name: 'Product Update',
            list_description: 'Users subscribed to the newsletter',
            list_type: 'static_list',
            source: null,
            subscribers_count: 2,
            updated_at: productUpdates.updated_at,
          },
          created_at: joinedAt, // kept through finish_sync: u2 was in the list before and after
        },
      ],
    },
    'u2 belongs to weekly and product_updates (newest membership first); the deleted newsletter is gone',
  );
  matchesUpstream(t, 'subscribed_to_list_200', u2);

  const u1 = (await sdk.users.get_lists_subscribed_to('u1', { limit: 5 })) as CursorPage<SubscribedList>;
  t.strictSame(
    u1,
    { meta: { count: 0, limit: 5, has_prev: false, before: null, has_next: false, after: null }, results: [] },
    'u1 left product_updates when the draft without it was published',
  );
  t.equal(
    (await rejectionOf(sdk.users.get_lists_subscribed_to('u4')))?.message,
    "404: user [distinct_id: 'u4'] not found",
    'a distinct_id that is not a user: 404 in the short form',
  );
});

t.test('the SDK reads the long-form error message of a list 400', async (t) => {
  const sdk = await startServer(t);
  const err = await rejectionOf(sdk.subscriber_lists.create({ list_id: 'has space' }));
  t.match(err?.message, /^400: \{"list_id": \[".+"\]\}$/, 'message is the JSON of the field errors');
  const tooLong = await rejectionOf(sdk.subscriber_lists.create({ list_id: 'x'.repeat(65) }));
  t.equal(tooLong?.message, '400: {"list_id": ["Ensure this field has no more than 64 characters."]}');
  t.strictSame(
    (await sdk.subscriber_lists.get_all()) as object,
    { meta: { count: 0, limit: 20, offset: 0 }, results: [] },
    'nothing was created',
  );
});
