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
CREATE INDEX `tenants_workspace_id` ON `tenants` (`workspace`,`id`);