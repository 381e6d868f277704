import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The drizzle schema. Migrations in migrations/ are generated from this file
 * with `npm run db:generate`; never edit a generated migration by hand.
 *
 * Data rows carry their workspace's name: workspaces themselves come from
 * configuration, and a workspace keeps its data across restarts as long as
 * its name stays the same.
 */

export const users = sqliteTable(
  'users',
  {
    /** Internal row id; increases with creation and orders the cursor listing. */
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    distinctId: text('distinct_id').notNull(),
    /** JSON object of custom and reserved properties. */
    properties: text('properties').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_workspace_distinct_id').on(t.workspace, t.distinctId), index('users_workspace_id').on(t.workspace, t.id)],
);

/** The columns of a channel identity, shared by `identities` (users) and `object_identities`. */
const identityColumns = () => ({
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** `$email`, `$sms`, … */
  channel: text('channel').notNull(),
  /** Canonical text of the value (object keys sorted), for equality and uniqueness. */
  valueKey: text('value_key').notNull(),
  /** The value as JSON: a string, or an object for Slack, Teams and webpush. */
  value: text('value').notNull(),
  idProvider: text('id_provider'),
  status: text('status', { enum: ['active', 'inactive'] })
    .notNull()
    .default('active'),
  permaStatus: text('perma_status', { enum: ['active', 'disabled'] })
    .notNull()
    .default('active'),
  /** JSON object of descriptors outside equality (bundle_id, device_id). */
  meta: text('meta').notNull().default('{}'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const identities = sqliteTable(
  'identities',
  {
    ...identityColumns(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('identities_user_channel_value').on(t.userId, t.channel, t.valueKey)],
);

/**
 * A user's profile in one tenant (tenant-scoped user profiles): properties and
 * identities that override the global profile's, key by key, for that tenant.
 */
export const userTenantProfiles = sqliteTable(
  'user_tenant_profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    distinctId: text('distinct_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    properties: text('properties').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('user_tenant_profiles_workspace_user_tenant').on(t.workspace, t.distinctId, t.tenantId),
    index('user_tenant_profiles_workspace_tenant_id').on(t.workspace, t.tenantId, t.id),
  ],
);

/** Channel identities of tenant-scoped user profiles; same shape as `identities`. */
export const userTenantIdentities = sqliteTable(
  'user_tenant_identities',
  {
    ...identityColumns(),
    profileId: integer('profile_id')
      .notNull()
      .references(() => userTenantProfiles.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('user_tenant_identities_profile_channel_value').on(t.profileId, t.channel, t.valueKey)],
);

/** Track events received on `/event/` and `/v2/event/`, kept so a tester can see what the app sent. */
export const trackEvents = sqliteTable(
  'track_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    distinctId: text('distinct_id'),
    event: text('event').notNull(),
    /** JSON object. */
    properties: text('properties').notNull().default('{}'),
    insertId: text('insert_id'),
    /** `$time` as sent (epoch milliseconds), when it was a number. */
    eventTime: integer('event_time'),
    tenantId: text('tenant_id'),
    brandId: text('brand_id'),
    /** `$idempotency_key` as sent. */
    idempotencyKey: text('idempotency_key'),
    /** Whether the distinct_id had a profile when the event arrived (upstream discards events of unknown users). */
    userExists: integer('user_exists', { mode: 'boolean' }).notNull().default(false),
    /** The `message_id` answered on `/v2/event/` and `/v2/bulk/event/`; null on `/event/`, which answers `OK`. */
    messageId: text('message_id'),
    receivedAt: text('received_at').notNull(),
    /** The whole record as received, as JSON. */
    record: text('record').notNull(),
  },
  (t) => [index('track_events_workspace_id').on(t.workspace, t.id)],
);

/** Records of an `/event/` batch that could not be applied, with the reason. */
export const eventFailures = sqliteTable(
  'event_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    /** Position of the record in its batch (0 for a single object). */
    recordIndex: integer('record_index').notNull(),
    distinctId: text('distinct_id'),
    /** The record as received, as JSON. */
    record: text('record').notNull(),
    reason: text('reason').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [index('event_failures_workspace_id').on(t.workspace, t.id)],
);

/** Subscriber lists. Members are distinct_ids, which need not be users yet (as with CSV imports). */
export const lists = sqliteTable(
  'lists',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    listId: text('list_id').notNull(),
    listName: text('list_name').notNull().default(''),
    listDescription: text('list_description').notNull().default(''),
    trackUserEntry: integer('track_user_entry', { mode: 'boolean' }).notNull().default(false),
    trackUserExit: integer('track_user_exit', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('lists_workspace_list_id').on(t.workspace, t.listId), index('lists_workspace_id').on(t.workspace, t.id)],
);

export const listMembers = sqliteTable(
  'list_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listPk: integer('list_pk')
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    workspace: text('workspace').notNull(),
    distinctId: text('distinct_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('list_members_list_distinct_id').on(t.listPk, t.distinctId),
    index('list_members_list_id').on(t.listPk, t.id),
    index('list_members_workspace_distinct_id').on(t.workspace, t.distinctId, t.id),
  ],
);

/** Draft versions of a list (the replace-all-members sync flow). */
export const listVersions = sqliteTable(
  'list_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listPk: integer('list_pk')
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    versionId: text('version_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  // Unique per list, not globally: an imported snapshot holds the same ids as the data it replaces.
  (t) => [uniqueIndex('list_versions_list_version').on(t.listPk, t.versionId)],
);

export const listVersionMembers = sqliteTable(
  'list_version_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    versionPk: integer('version_pk')
      .notNull()
      .references(() => listVersions.id, { onDelete: 'cascade' }),
    distinctId: text('distinct_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('list_version_members_version_distinct_id').on(t.versionPk, t.distinctId)],
);

/** Objects: profiles like users, keyed by (object_type, id). */
export const objects = sqliteTable(
  'objects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    properties: text('properties').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('objects_workspace_type_id').on(t.workspace, t.objectType, t.objectId),
    index('objects_workspace_type_pk').on(t.workspace, t.objectType, t.id),
  ],
);

/** Channel identities of objects; same shape as `identities`. */
export const objectIdentities = sqliteTable(
  'object_identities',
  {
    ...identityColumns(),
    objectPk: integer('object_pk')
      .notNull()
      .references(() => objects.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('object_identities_object_channel_value').on(t.objectPk, t.channel, t.valueKey)],
);

/**
 * Subscriptions to an object: either a user (by distinct_id) or a child
 * object. Deleting either object removes the subscription.
 */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    objectPk: integer('object_pk')
      .notNull()
      .references(() => objects.id, { onDelete: 'cascade' }),
    /** Set for a user subscriber. */
    distinctId: text('distinct_id'),
    /** Set for a child-object subscriber. */
    childObjectPk: integer('child_object_pk').references(() => objects.id, { onDelete: 'cascade' }),
    properties: text('properties').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('subscriptions_object_user').on(t.objectPk, t.distinctId).where(sql`${t.distinctId} is not null`),
    uniqueIndex('subscriptions_object_child').on(t.objectPk, t.childObjectPk).where(sql`${t.childObjectPk} is not null`),
    index('subscriptions_object_id').on(t.objectPk, t.id),
    index('subscriptions_workspace_user').on(t.workspace, t.distinctId, t.id),
    index('subscriptions_child').on(t.childObjectPk, t.id),
  ],
);

/**
 * Tenants (formerly brands). Only tenants created or changed through the API
 * are stored: a workspace's `default` tenant is computed until it is first
 * changed, so a new, reset or dropped workspace needs no row for it.
 */
export const tenants = sqliteTable(
  'tenants',
  {
    /** Internal row id; increases with creation and orders the listing. */
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    tenantId: text('tenant_id').notNull(),
    tenantName: text('tenant_name').notNull(),
    logo: text('logo'),
    timezone: text('timezone'),
    /** JSON array of channel names, or null. */
    blockedChannels: text('blocked_channels'),
    embeddedPreferenceUrl: text('embedded_preference_url'),
    hostedPreferenceDomain: text('hosted_preference_domain'),
    primaryColor: text('primary_color'),
    secondaryColor: text('secondary_color'),
    tertiaryColor: text('tertiary_color'),
    /** JSON object of the social links set (name to URL); unset ones are absent. */
    socialLinks: text('social_links').notNull().default('{}'),
    /** JSON object of custom properties. */
    properties: text('properties').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('tenants_workspace_tenant_id').on(t.workspace, t.tenantId), index('tenants_workspace_id').on(t.workspace, t.id)],
);

/**
 * Stored preference choices of one owner (a user, or an object) in one tenant
 * scope (`default` or a tenant id): the channels restricted and the category
 * choices. Categories the owner never set are absent and follow the defaults.
 */
export const preferenceSets = sqliteTable(
  'preference_sets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    /** '' for a user, else the object type. */
    objectType: text('object_type').notNull(),
    /** The user's distinct_id or the object's id. */
    ownerId: text('owner_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    /** JSON object: channel → is_restricted (only channels ever set). */
    channels: text('channels').notNull().default('{}'),
    /** JSON object: category slug → {preference, opt_out_channels, opt_in_channels, digest_schedule?, properties?, updated_at}. */
    categories: text('categories').notNull().default('{}'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('preference_sets_owner_tenant').on(t.workspace, t.objectType, t.ownerId, t.tenantId),
    index('preference_sets_workspace_tenant').on(t.workspace, t.tenantId),
  ],
);

/** A tenant's override of one catalog category (null fields follow the catalog). */
export const tenantPreferenceCategories = sqliteTable(
  'tenant_preference_categories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    tenantId: text('tenant_id').notNull(),
    category: text('category').notNull(),
    enabledForTenant: integer('enabled_for_tenant', { mode: 'boolean' }).notNull().default(true),
    visibleToSubscriber: integer('visible_to_subscriber', { mode: 'boolean' }).notNull().default(true),
    preference: text('preference', { enum: ['opt_in', 'opt_out', 'cant_unsubscribe'] }),
    /** JSON arrays of channel names, or null. */
    mandatoryChannels: text('mandatory_channels'),
    optInChannels: text('opt_in_channels'),
    blockedChannels: text('blocked_channels'),
    /** JSON, as sent (Python SDK's tenant category body); null when never sent. */
    digestSchedule: text('digest_schedule'),
    properties: text('properties'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('tenant_preference_categories_tenant_category').on(t.workspace, t.tenantId, t.category)],
);

/**
 * Workspaces: those from configuration (refreshed at every start) and those
 * created through the control plane. `data_key` is what the `workspace`
 * column of every data row holds; a reset gives the workspace a new one, so
 * the reset is instant and the old rows are deleted in the background.
 */
export const workspaces = sqliteTable('workspaces', {
  name: text('name').primaryKey(),
  key: text('key').notNull().unique(),
  secret: text('secret').notNull(),
  /** JSON array of API keys. */
  apiKeys: text('api_keys').notNull().default('[]'),
  inboxSecret: text('inbox_secret').notNull(),
  inbox: integer('inbox', { mode: 'boolean' }).notNull().default(true),
  userTenancyMode: text('user_tenancy_mode', { enum: ['shared', 'exclusive'] })
    .notNull()
    .default('shared'),
  /** The workspace's notification categories and channels (normalized catalog document as JSON), or null when none is defined. */
  preferenceCategories: text('preference_categories'),
  dataKey: text('data_key').notNull().unique(),
  origin: text('origin', { enum: ['config', 'runtime'] }).notNull(),
  createdAt: text('created_at').notNull(),
});

/** Data keys of reset or dropped workspaces whose rows are still being deleted. */
export const retiredData = sqliteTable('retired_data', {
  dataKey: text('data_key').primaryKey(),
  retiredAt: text('retired_at').notNull(),
});

/**
 * Users per data key, kept by triggers on `users` (see the migration
 * "user_counts"), so a listing's meta.count costs the same at any size.
 */
export const userCounts = sqliteTable('user_counts', {
  workspace: text('workspace').primaryKey(),
  n: integer('n').notNull().default(0),
});
