ALTER TABLE `track_events` ADD `tenant_id` text;--> statement-breakpoint
ALTER TABLE `track_events` ADD `brand_id` text;--> statement-breakpoint
ALTER TABLE `track_events` ADD `idempotency_key` text;--> statement-breakpoint
ALTER TABLE `track_events` ADD `user_exists` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `track_events` ADD `message_id` text;