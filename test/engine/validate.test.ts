import t from 'tap';
import { ISO_639_1_CODES, isE164, isEmail, isIanaTimezone, isIso6391, validateDistinctId } from '../../src/engine/index.js';

t.test('validateDistinctId', async (t) => {
  t.equal(validateDistinctId('user-1'), null);
  t.equal(validateDistinctId(' x '), null);
  t.equal(validateDistinctId(42), 'distinct_id must be a string');
  t.equal(validateDistinctId(null), 'distinct_id must be a string');
  t.equal(validateDistinctId(''), 'distinct_id must not be empty');
  t.equal(validateDistinctId(' \t\n'), 'distinct_id must not be empty');
  t.equal(validateDistinctId('a'.repeat(255)), null);
  t.equal(validateDistinctId('a'.repeat(256)), 'distinct_id must be at most 255 characters long (got 256)');
});

t.test('validateDistinctId counts Unicode code points, not UTF-16 units', async (t) => {
  const emoji = '😀'; // two UTF-16 code units, one code point
  t.equal(emoji.repeat(255).length, 510);
  t.equal(validateDistinctId(emoji.repeat(255)), null);
  t.equal(validateDistinctId(emoji.repeat(256)), 'distinct_id must be at most 255 characters long (got 256)');
});

t.test('isEmail', async (t) => {
  for (const good of ['a@b.co', 'first.last+tag@sub.example.org', 'x@y.z']) t.equal(isEmail(good), true, good);
  for (const bad of ['', 'a@b', 'ab.co', 'a b@c.d', '@b.co', 'a@.co', 5, null]) t.equal(isEmail(bad), false, String(bad));
});

t.test('isE164', async (t) => {
  for (const good of ['+15555550123', '+12', '+919876543210', '+123456789012345']) t.equal(isE164(good), true, good);
  for (const bad of ['15555550123', '+0123', '+1', '+1234567890123456', '+1 555', '', 15555550123]) {
    t.equal(isE164(bad), false, String(bad));
  }
});

t.test('isIanaTimezone accepts listed zones and anything Intl accepts', async (t) => {
  for (const good of ['America/New_York', 'Asia/Kolkata', 'Europe/London', 'UTC', 'Etc/GMT+5', 'US/Eastern']) {
    t.equal(isIanaTimezone(good), true, good);
    t.equal(isIanaTimezone(good), true, `${good} (cached)`);
  }
  for (const bad of ['Mars/Olympus_Mons', '', 'New York', 'GMT+25', 5, null]) {
    t.equal(isIanaTimezone(bad), false, String(bad));
    t.equal(isIanaTimezone(bad), false, `${String(bad)} (cached)`);
  }
});

t.test('isIso6391 has exactly the 184 lower-case codes', async (t) => {
  t.equal(ISO_639_1_CODES.size, 184);
  t.equal(
    [...ISO_639_1_CODES].every((code) => /^[a-z]{2}$/.test(code)),
    true,
  );
  for (const good of ['en', 'fr', 'hi', 'zh', 'zu', 'aa', 'bh']) t.equal(isIso6391(good), true, good);
  for (const bad of ['EN', 'En', 'en-US', 'eng', 'xx', 'qq', '', 'e', 1, null]) t.equal(isIso6391(bad), false, String(bad));
});
