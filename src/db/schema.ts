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

