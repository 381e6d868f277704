CREATE TABLE `list_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`list_pk` integer NOT NULL,
	`workspace` text NOT NULL,
	`distinct_id` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`list_pk`) REFERENCES `lists`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `list_members_list_distinct_id` ON `list_members` (`list_pk`,`distinct_id`);--> statement-breakpoint
CREATE INDEX `list_members_list_id` ON `list_members` (`list_pk`,`id`);--> statement-breakpoint
CREATE INDEX `list_members_workspace_distinct_id` ON `list_members` (`workspace`,`distinct_id`,`id`);--> statement-breakpoint
CREATE TABLE `list_version_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version_pk` integer NOT NULL,
	`distinct_id` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`version_pk`) REFERENCES `list_versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `list_version_members_version_distinct_id` ON `list_version_members` (`version_pk`,`distinct_id`);--> statement-breakpoint
CREATE TABLE `list_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`list_pk` integer NOT NULL,
	`version_id` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`list_pk`) REFERENCES `lists`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `list_versions_version_id_unique` ON `list_versions` (`version_id`);--> statement-breakpoint
CREATE INDEX `list_versions_list` ON `list_versions` (`list_pk`);--> statement-breakpoint
CREATE TABLE `lists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`list_id` text NOT NULL,
	`list_name` text DEFAULT '' NOT NULL,
	`list_description` text DEFAULT '' NOT NULL,
	`track_user_entry` integer DEFAULT false NOT NULL,
	`track_user_exit` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lists_workspace_list_id` ON `lists` (`workspace`,`list_id`);--> statement-breakpoint
CREATE INDEX `lists_workspace_id` ON `lists` (`workspace`,`id`);--> statement-breakpoint
CREATE TABLE `object_identities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_pk` integer NOT NULL,
	`channel` text NOT NULL,
	`value_key` text NOT NULL,
	`value` text NOT NULL,
	`id_provider` text,
	`status` text DEFAULT 'active' NOT NULL,
	`perma_status` text DEFAULT 'active' NOT NULL,
	`meta` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`object_pk`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `object_identities_object_channel_value` ON `object_identities` (`object_pk`,`channel`,`value_key`);--> statement-breakpoint
CREATE TABLE `objects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objects_workspace_type_id` ON `objects` (`workspace`,`object_type`,`object_id`);--> statement-breakpoint
CREATE INDEX `objects_workspace_type_pk` ON `objects` (`workspace`,`object_type`,`id`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`object_pk` integer NOT NULL,
	`distinct_id` text,
	`child_object_pk` integer,
	`properties` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`object_pk`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`child_object_pk`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_object_user` ON `subscriptions` (`object_pk`,`distinct_id`) WHERE "subscriptions"."distinct_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_object_child` ON `subscriptions` (`object_pk`,`child_object_pk`) WHERE "subscriptions"."child_object_pk" is not null;--> statement-breakpoint
CREATE INDEX `subscriptions_object_id` ON `subscriptions` (`object_pk`,`id`);--> statement-breakpoint
CREATE INDEX `subscriptions_workspace_user` ON `subscriptions` (`workspace`,`distinct_id`,`id`);--> statement-breakpoint
CREATE INDEX `subscriptions_child` ON `subscriptions` (`child_object_pk`,`id`);