ALTER TABLE `rate_limit_requests` ADD `window_floor` integer;--> statement-breakpoint
ALTER TABLE `rate_limit_state` ADD `sliding_until` integer;