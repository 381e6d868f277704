CREATE TABLE `identities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`channel` text NOT NULL,
	`value_key` text NOT NULL,
	`value` text NOT NULL,
	`id_provider` text,
	`status` text DEFAULT 'active' NOT NULL,
	`perma_status` text DEFAULT 'active' NOT NULL,
	`meta` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `identities_user_channel_value` ON `identities` (`user_id`,`channel`,`value_key`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`distinct_id` text NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_workspace_distinct_id` ON `users` (`workspace`,`distinct_id`);--> statement-breakpoint
CREATE INDEX `users_workspace_id` ON `users` (`workspace`,`id`);