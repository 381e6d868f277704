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
  (t) => [
    uniqueIndex('users_workspace_distinct_id').on(t.workspace, t.distinctId),
    index('users_workspace_id').on(t.workspace, t.id),
  ],
);

export const identities = sqliteTable(
  'identities',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `$email`, `$sms`, … */
    channel: text('channel').notNull(),
    /** Canonical text of the value (object keys sorted), for equality and uniqueness. */
    valueKey: text('value_key').notNull(),
    /** The value as JSON: a string, or an object for Slack, Teams and webpush. */
    value: text('value').notNull(),
    idProvider: text('id_provider'),
    status: text('status', { enum: ['active', 'inactive'] }).notNull().default('active'),
    permaStatus: text('perma_status', { enum: ['active', 'disabled'] }).notNull().default('active'),
    /** JSON object of descriptors outside equality (bundle_id, device_id). */
    meta: text('meta').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('identities_user_channel_value').on(t.userId, t.channel, t.valueKey)],
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
