/**
 * Nothing a client sends stalls the server: each hostile request (input that
 * used to make a regular expression backtrack, or an engine loop go
 * quadratic) goes to a real listening server while another connection polls
 * `GET /healthz`. No health answer may take a second, and the hostile
 * request itself is answered quickly, with a 4xx (a limit) or a 2xx.
 */
import t, { type Test } from 'tap';
import {
  MAX_EMAIL_LENGTH,
  MAX_IDENTITIES_PER_CHANNEL,
  MAX_OPERATIONS_PER_REQUEST,
  MAX_VALUES_PER_CHANNEL_PER_REQUEST,
} from '../../src/engine/index.js';
import { send, type Reply } from './fixtures/server.js';
import { adminFetch, listening, signedHeaders, WS_A } from '../helpers/index.js';

/** The longest a health answer may take while a hostile request is served. */
const HEALTH_BUDGET_MS = 1000;
/** The longest the hostile request itself may take (it carries up to ~1.2 MB of JSON). */
const HOSTILE_BUDGET_MS = 5000;
const POLL_EVERY_MS = 20;

interface Measured {
  reply: Reply;
  ms: number;
  /** Latency of every health request sent while the hostile one was in flight. */
  health: number[];
}

/**
 * Sends `method path body` on its own connection while `GET /healthz` is
 * polled every POLL_EVERY_MS on fresh connections, until the hostile request
 * is answered and at least three health answers have come back.
 */
async function whilePolled(port: number, method: string, path: string, body: unknown): Promise<Measured> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  let done = false;
  const health: number[] = [];
  const poller = (async () => {
    while (!done || health.length < 3) {
      const started = performance.now();
      const res = await send({ port, method: 'GET', path: '/healthz', timeoutMs: 60_000 });
      health.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
  })();
  // Let the first health request get going first.
  await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  const started = performance.now();
  try {
    const reply = await send({
      port,
      method,
      path,
      headers: signedHeaders(WS_A, method, path, payload),
      ...(payload === undefined ? {} : { body: payload }),
      timeoutMs: 120_000,
    });
    return { reply, ms: performance.now() - started, health };
  } finally {
    done = true;
    await poller;
  }
}

/** The assertions every case makes. */
function assertNoStall(t: Test, m: Measured, expected: number) {
  const worst = Math.max(...m.health);
  t.equal(m.reply.status, expected, `answered ${expected} (${m.reply.body.slice(0, 160)})`);
  t.ok(m.ms < HOSTILE_BUDGET_MS, `answered within ${HOSTILE_BUDGET_MS} ms (took ${Math.round(m.ms)} ms)`);
  t.ok(m.health.length >= 3, `health polled ${m.health.length} times`);
  t.ok(worst < HEALTH_BUDGET_MS, `every health answer within ${HEALTH_BUDGET_MS} ms (worst ${Math.round(worst)} ms)`);
  t.comment(`hostile ${Math.round(m.ms)} ms; health worst ${Math.round(worst)} ms over ${m.health.length} polls`);
}

const message = (reply: Reply) => (JSON.parse(reply.body) as { message: string }).message;

/** `count` distinct valid email addresses. */
const emails = (count: number, prefix = 'u') => Array.from({ length: count }, (_, i) => `${prefix}${i}@example.com`);

t.test('an email value made to backtrack', async (t) => {
  const { port } = await listening(t);
  // "@.@.…" with a trailing space: no "@" is ever followed by a valid domain, in ~10 KB.
  const hostile = `${'@.'.repeat(5 * 1024)} `;

  t.test('in an upsert: 400', async (t) => {
    const m = await whilePolled(port, 'POST', '/v1/user/email-upsert/', { $email: [hostile] });
    assertNoStall(t, m, 400);
    t.match(message(m.reply), `is not a valid email address: it is longer than ${MAX_EMAIL_LENGTH} characters`);
  });

  t.test('in an edit: 400', async (t) => {
    const created = await whilePolled(port, 'POST', '/v1/user/email-edit/', { name: 'A' });
    t.equal(created.reply.status, 201);
    const m = await whilePolled(port, 'PATCH', '/v1/user/email-edit/', { operations: [{ $append: { $email: hostile } }] });
    assertNoStall(t, m, 400);
  });

  t.test('just short enough to be looked at (320 characters): 400', async (t) => {
    const m = await whilePolled(port, 'POST', '/v1/user/email-320/', { $email: [`${'@.'.repeat(MAX_EMAIL_LENGTH / 2 - 1)}@ `] });
    assertNoStall(t, m, 400);
    t.match(message(m.reply), /is not a valid email address$/);
  });

  t.test('in an /event/ identity record: 202, the record failed', async (t) => {
    const record = { $schema: '2', distinct_id: 'email-event', $user_operations: [{ $append: { $email: hostile } }] };
    const m = await whilePolled(port, 'POST', '/event/', record);
    assertNoStall(t, m, 202);
  });
});

t.test('a fault rule path made to backtrack, against a long id', async (t) => {
  const { port, baseUrl } = await listening(t);
  const rule = await adminFetch(baseUrl, 'POST', '/_emulator/faults', { path: '/v1/user/*a*a*a*a*a*a*b/', status: 503 });
  t.equal(rule.status, 201, 'rule added');
  // 255 "a"s, no "b": every split of the id between the stars is tried by a backtracking matcher.
  const m = await whilePolled(port, 'GET', `/v1/user/${'a'.repeat(255)}/`, undefined);
  assertNoStall(t, m, 404);

  const hit = await whilePolled(port, 'GET', `/v1/user/${'a'.repeat(250)}b/`, undefined);
  assertNoStall(t, hit, 503);
});

t.test('40,000 emails in one upsert: 400, over the per-request limit', async (t) => {
  const { port } = await listening(t);
  const m = await whilePolled(port, 'POST', '/v1/user/many-emails/', { $email: emails(40_000) });
  assertNoStall(t, m, 400);
  t.match(message(m.reply), `$email: at most ${MAX_VALUES_PER_CHANNEL_PER_REQUEST} $email values are accepted in one request, got 40000`);
});

t.test('30,000 $append operations in one edit: 400, over the per-request limit', async (t) => {
  const { port } = await listening(t);
  t.equal((await whilePolled(port, 'POST', '/v1/user/many-ops/', { name: 'A' })).reply.status, 201);
  const operations = emails(30_000).map((email) => ({ $append: { $email: email } }));
  const m = await whilePolled(port, 'PATCH', '/v1/user/many-ops/', { operations });
  assertNoStall(t, m, 400);
  t.match(message(m.reply), `operations: at most ${MAX_OPERATIONS_PER_REQUEST} operations are accepted in one request, got 30000`);
});

t.test('the largest accepted requests are served quickly too', async (t) => {
  const { port } = await listening(t);

  t.test(`an upsert of ${MAX_VALUES_PER_CHANNEL_PER_REQUEST} emails: 201`, async (t) => {
    const m = await whilePolled(port, 'POST', '/v1/user/full/', { $email: emails(MAX_VALUES_PER_CHANNEL_PER_REQUEST) });
    assertNoStall(t, m, 201);
    t.equal((JSON.parse(m.reply.body) as { $email: unknown[] }).$email.length, MAX_VALUES_PER_CHANNEL_PER_REQUEST);
  });

  t.test(`${MAX_OPERATIONS_PER_REQUEST} operations on a list of 20,000 elements: 202`, async (t) => {
    const big = Array.from({ length: 20_000 }, (_, i) => `tag${i}`);
    t.equal((await whilePolled(port, 'POST', '/v1/user/long-list/', { tags: big })).reply.status, 201);
    // Every operation appends a new tag, removes an old one and re-appends a present one.
    const operations = Array.from({ length: MAX_OPERATIONS_PER_REQUEST }, (_, i) => ({
      $append: { tags: `new${i}` },
      $remove: { tags: `tag${i}` },
    }));
    operations.push({ $append: { tags: 'tag19999' }, $remove: { tags: 'none' } });
    operations.shift();
    const m = await whilePolled(port, 'PATCH', '/v1/user/long-list/', { operations });
    assertNoStall(t, m, 202);
    const tags = (JSON.parse(m.reply.body) as { properties: { tags: string[] } }).properties.tags;
    t.equal(tags.length, 20_000, '999 removed, 999 added');
    t.equal(tags[0], 'tag0', 'the first operation was the one dropped');
    t.equal(tags.at(-1), 'new999');
  });

  t.test(`a profile with ${MAX_IDENTITIES_PER_CHANNEL} emails takes no more: 400`, async (t) => {
    const m = await whilePolled(port, 'POST', '/v1/user/full/', { $email: ['one-more@example.com'] });
    assertNoStall(t, m, 400);
    t.match(message(m.reply), `a profile can hold at most ${MAX_IDENTITIES_PER_CHANNEL} $email identities`);
  });
});
