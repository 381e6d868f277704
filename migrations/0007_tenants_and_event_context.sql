CREATE TABLE `tenants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`tenant_id` text NOT NULL,
	`tenant_name` text NOT NULL,
	`logo` text,
	`timezone` text,
	`blocked_channels` text,
	`embedded_preference_url` text,
	`hosted_preference_domain` text,
	`primary_color` text,
	`secondary_color` text,
	`tertiary_color` text,
	`social_links` text DEFAULT '{}' NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_workspace_tenant_id` ON `tenants` (`workspace`,`tenant_id`);--> statement-breakpoint
CREATE INDEX `tenants_workspace_id` ON `tenants` (`workspace`,`id`);--> statement-breakpoint
CREATE TABLE `user_tenant_identities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`value_key` text NOT NULL,
	`value` text NOT NULL,
	`id_provider` text,
	`status` text DEFAULT 'active' NOT NULL,
	`perma_status` text DEFAULT 'active' NOT NULL,
	`meta` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`profile_id` integer NOT NULL,
	FOREIGN KEY (`profile_id`) REFERENCES `user_tenant_profiles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_tenant_identities_profile_channel_value` ON `user_tenant_identities` (`profile_id`,`channel`,`value_key`);--> statement-breakpoint
CREATE TABLE `user_tenant_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`distinct_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_tenant_profiles_workspace_user_tenant` ON `user_tenant_profiles` (`workspace`,`distinct_id`,`tenant_id`);--> statement-breakpoint
CREATE INDEX `user_tenant_profiles_workspace_tenant_id` ON `user_tenant_profiles` (`workspace`,`tenant_id`,`id`);--> statement-breakpoint
ALTER TABLE `track_events` ADD `tenant_id` text;--> statement-breakpoint
ALTER TABLE `track_events` ADD `brand_id` text;--> statement-breakpoint
ALTER TABLE `track_events` ADD `idempotency_key` text;--> statement-breakpoint
ALTER TABLE `track_events` ADD `user_exists` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `track_events` ADD `message_id` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `user_tenancy_mode` text DEFAULT 'shared' NOT NULL;