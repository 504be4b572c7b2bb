ALTER TABLE `site_coverage` ADD `day_end_at` integer;--> statement-breakpoint
ALTER TABLE `sites` ADD `timezone_setting` text;