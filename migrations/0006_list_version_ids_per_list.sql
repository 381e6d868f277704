DROP INDEX `list_versions_version_id_unique`;--> statement-breakpoint
DROP INDEX `list_versions_list`;--> statement-breakpoint
CREATE UNIQUE INDEX `list_versions_list_version` ON `list_versions` (`list_pk`,`version_id`);