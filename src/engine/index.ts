/** The operation engine: pure functions from a profile and a request to a new profile. */
export * from './types.js';
export { canonicalKey, jsonEqual, stableStringify } from './canonical.js';
export {
  validateDistinctId,
  isEmail,
  isE164,
  isIanaTimezone,
  isIso6391,
  ISO_639_1_CODES,
  MAX_DISTINCT_ID_LENGTH,
  MAX_EMAIL_LENGTH,
} from './validate.js';
export {
  ALLOWED_PROVIDERS,
  CHANNEL_EXAMPLES,
  isChannel,
  isProviderChannel,
  isPushModifier,
  parseIdentity,
  parseIdentityItems,
  parsePushModifiers,
  resolveProvider,
  findIdentity,
  addIdentity,
  removeIdentity,
  clearChannel,
  IdentityDraft,
  type IdentityInput,
  type PushModifiers,
  type ProviderChannel,
} from './identities.js';
export {
  RESERVED_PROPERTIES,
  isReservedProperty,
  validateReservedProperty,
  setProperties,
  addToProperties,
  appendToProperty,
  removeFromProperty,
  unsetProperty,
  PropertiesDraft,
} from './properties.js';
export {
  MAX_OPERATIONS_PER_REQUEST,
  MAX_VALUES_PER_CHANNEL_PER_REQUEST,
  MAX_IDENTITIES_PER_CHANNEL,
} from './limits.js';
export { newProfile } from './profile.js';
export { applyOperations, OPERATORS, type Operator } from './operations.js';
export { applyUpsert } from './upsert.js';
export { mergeProfiles, overlayProfile, overlayProperties } from './merge.js';
export { setIdentityStatus } from './status.js';
export { channelsToWire, type WireIdentity } from './wire.js';
export { type Outcome, childPath } from './errors.js';
export { MAX_JSON_DEPTH, toJson } from './json.js';
