ALTER TABLE `sync_chunks` ADD `first_fetched_at` integer;--> statement-breakpoint
ALTER TABLE `sync_chunks` ADD `estimated_pages` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `priority` text DEFAULT 'background' NOT NULL;