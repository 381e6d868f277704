CREATE TABLE `retired_data` (
	`data_key` text PRIMARY KEY NOT NULL,
	`retired_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `workspaces` (
	`name` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`secret` text NOT NULL,
	`api_keys` text DEFAULT '[]' NOT NULL,
	`inbox_secret` text NOT NULL,
	`inbox` integer DEFAULT true NOT NULL,
	`data_key` text NOT NULL,
	`origin` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_key_unique` ON `workspaces` (`key`);--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_data_key_unique` ON `workspaces` (`data_key`);