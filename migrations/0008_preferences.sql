CREATE TABLE `preference_sets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`object_type` text NOT NULL,
	`owner_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`channels` text DEFAULT '{}' NOT NULL,
	`categories` text DEFAULT '{}' NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `preference_sets_owner_tenant` ON `preference_sets` (`workspace`,`object_type`,`owner_id`,`tenant_id`);--> statement-breakpoint
CREATE INDEX `preference_sets_workspace_tenant` ON `preference_sets` (`workspace`,`tenant_id`);--> statement-breakpoint
CREATE TABLE `tenant_preference_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`tenant_id` text NOT NULL,
	`category` text NOT NULL,
	`enabled_for_tenant` integer DEFAULT true NOT NULL,
	`visible_to_subscriber` integer DEFAULT true NOT NULL,
	`preference` text,
	`mandatory_channels` text,
	`opt_in_channels` text,
	`blocked_channels` text,
	`digest_schedule` text,
	`properties` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenant_preference_categories_tenant_category` ON `tenant_preference_categories` (`workspace`,`tenant_id`,`category`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `preference_categories` text;