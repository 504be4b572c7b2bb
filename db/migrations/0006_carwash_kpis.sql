CREATE TABLE `clock_entries` (
	`database_key` text NOT NULL,
	`employee_id` integer NOT NULL,
	`clock_in_unix` integer NOT NULL,
	`site_code` text NOT NULL,
	`local_day` text NOT NULL,
	`clock_out_unix` integer,
	`regular_hundredths` integer NOT NULL,
	`overtime_hundredths` integer NOT NULL,
	`regular_rate_cents` integer NOT NULL,
	`overtime_rate_cents` integer NOT NULL,
	`cost_cents` integer NOT NULL,
	`was_modified` integer NOT NULL,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`database_key`, `employee_id`, `clock_in_unix`)
);
--> statement-breakpoint
CREATE INDEX `clock_entries_site_day_idx` ON `clock_entries` (`database_key`,`site_code`,`local_day`);--> statement-breakpoint
CREATE TABLE `employees` (
	`database_key` text NOT NULL,
	`employee_id` integer NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`last_seen_at` integer NOT NULL,
	PRIMARY KEY(`database_key`, `employee_id`)
);
--> statement-breakpoint
CREATE TABLE `labor_coverage` (
	`database_key` text NOT NULL,
	`local_day` text NOT NULL,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`database_key`, `local_day`)
);
--> statement-breakpoint
DROP INDEX `daily_rollups_site_day_totals_idx`;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `plan_sale_washes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `retail_washes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `free_washes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `new_memberships` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `unclassified_washes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `unverified_plan_sales` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `labor_entries` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `labor_hundredths` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `labor_cost_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_rollups` ADD `open_shifts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `daily_rollups_site_day_totals_idx` ON `daily_rollups` (`database_key`,`site_code`,`local_day`,`transactions`,`revenue_cents`,`sales_count`,`membership_sales`,`membership_sales_cents`,`redemptions`,`redemption_value_cents`,`refunds`,`refunds_cents`,`voided`,`other_status`,`plan_sale_washes`,`retail_washes`,`free_washes`,`new_memberships`,`unclassified_washes`,`unverified_plan_sales`,`labor_entries`,`labor_hundredths`,`labor_cost_cents`,`open_shifts`);--> statement-breakpoint
ALTER TABLE `site_coverage` ADD `labor_synced_at` integer;--> statement-breakpoint
ALTER TABLE `sync_chunks` ADD `kind` text DEFAULT 'transactions' NOT NULL;--> statement-breakpoint
ALTER TABLE `transactions` ADD `is_wash` integer;--> statement-breakpoint
ALTER TABLE `transactions` ADD `is_new_membership` integer;