CREATE TABLE `event_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`record_index` integer NOT NULL,
	`distinct_id` text,
	`record` text NOT NULL,
	`reason` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `event_failures_workspace_id` ON `event_failures` (`workspace`,`id`);--> statement-breakpoint
CREATE TABLE `track_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`distinct_id` text,
	`event` text NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	`insert_id` text,
	`event_time` integer,
	`received_at` text NOT NULL,
	`record` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `track_events_workspace_id` ON `track_events` (`workspace`,`id`);