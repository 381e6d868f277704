/** JSON Schema checks: the captured upstream schemas of test/fixtures/, one ajv, and the strict channel shapes. */
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { TIMESTAMP } from './formats.js';

/** A JSON data fixture of test/fixtures/ (upstream's captured requests, responses and schemas), parsed. */
export function loadFixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const compiled = new Map<object, ValidateFunction>();

/** ajv's validator of `schema`, compiled once. */
export function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** ajv's errors for `body` against `schema`, as strings starting with `label`; [] when valid. */
export function schemaErrors(schema: object, body: unknown, label = ''): string[] {
  const validate = validatorFor(schema);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${label}${e.instancePath || '/'} ${e.message}`);
}

/** JSON Schema of one channel identity as the user/object answers carry it: nothing but these keys. */
const STRICT_IDENTITY = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'status', 'perma_status'],
  properties: {
    value: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] },
    id_provider: { type: 'string', minLength: 1 },
    status: { enum: ['active', 'inactive'] },
    perma_status: { enum: ['active', 'disabled'] },
  },
};

/** The channel keys, in the order the API writes them. */
export const CHANNELS = ['$email', '$sms', '$whatsapp', '$inbox', '$webpush', '$androidpush', '$iospush', '$slack', '$ms_teams'];

/** `$email` … `$ms_teams` as JSON Schema properties: each a non-empty array of strict identities. */
export const STRICT_CHANNEL_PROPERTIES = Object.fromEntries(
  CHANNELS.map((c) => [c, { type: 'array', minItems: 1, items: STRICT_IDENTITY }]),
);

/** A SuprSend timestamp as a JSON Schema. */
export const TIMESTAMP_SCHEMA = { type: 'string', pattern: TIMESTAMP.source };
