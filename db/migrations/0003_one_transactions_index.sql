DROP INDEX `transactions_site_day_idx`;--> statement-breakpoint
DROP INDEX `transactions_site_time_idx`;--> statement-breakpoint
CREATE INDEX `transactions_site_day_time_idx` ON `transactions` (`database_key`,`site_code`,`local_day`,`occurred_unix`);