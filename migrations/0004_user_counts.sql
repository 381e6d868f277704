CREATE TABLE `user_counts` (
	`workspace` text PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
