CREATE TABLE `app_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `daily_rollups` (
	`database_key` text NOT NULL,
	`site_code` text NOT NULL,
	`local_day` text NOT NULL,
	`transactions` integer NOT NULL,
	`revenue_cents` integer NOT NULL,
	`sales_count` integer NOT NULL,
	`membership_sales` integer NOT NULL,
	`membership_sales_cents` integer NOT NULL,
	`redemptions` integer NOT NULL,
	`redemption_value_cents` integer NOT NULL,
	`refunds` integer NOT NULL,
	`refunds_cents` integer NOT NULL,
	`voided` integer NOT NULL,
	`other_status` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`database_key`, `site_code`, `local_day`)
);
--> statement-breakpoint
CREATE INDEX `daily_rollups_day_idx` ON `daily_rollups` (`local_day`);--> statement-breakpoint
CREATE TABLE `databases` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`api_id` text NOT NULL,
	`default_timezone` text NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rate_limit_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`api_id` text NOT NULL,
	`priority` text NOT NULL,
	`sent_at` integer NOT NULL,
	`responded_at` integer,
	`status` integer,
	`rate_limited` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_limit_requests_api_sent_idx` ON `rate_limit_requests` (`api_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `rate_limit_state` (
	`api_id` text PRIMARY KEY NOT NULL,
	`blocked_until` integer
);
--> statement-breakpoint
CREATE TABLE `rate_limit_waiters` (
	`id` text PRIMARY KEY NOT NULL,
	`api_id` text NOT NULL,
	`priority` text NOT NULL,
	`enqueued_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_limit_waiters_api_idx` ON `rate_limit_waiters` (`api_id`);--> statement-breakpoint
CREATE TABLE `site_coverage` (
	`database_key` text NOT NULL,
	`site_code` text NOT NULL,
	`local_day` text NOT NULL,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`database_key`, `site_code`, `local_day`)
);
--> statement-breakpoint
CREATE TABLE `sites` (
	`database_key` text NOT NULL,
	`code` text NOT NULL,
	`site_id` integer,
	`name` text NOT NULL,
	`timezone` text,
	`effective_timezone` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`removed_at` integer,
	PRIMARY KEY(`database_key`, `code`),
	FOREIGN KEY (`database_key`) REFERENCES `databases`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sync_chunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`database_key` text NOT NULL,
	`site_code` text NOT NULL,
	`start_unix` integer NOT NULL,
	`end_unix` integer NOT NULL,
	`from_day` text NOT NULL,
	`to_day` text NOT NULL,
	`ordinal` integer NOT NULL,
	`next_page` integer DEFAULT 1 NOT NULL,
	`status` text NOT NULL,
	`rows` integer DEFAULT 0 NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `sync_chunks_run_idx` ON `sync_chunks` (`run_id`,`status`,`ordinal`);--> statement-breakpoint
CREATE TABLE `sync_leases` (
	`database_key` text PRIMARY KEY NOT NULL,
	`run_id` integer NOT NULL,
	`owner` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`database_key` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`heartbeat_at` integer NOT NULL,
	`planned_requests` integer DEFAULT 0 NOT NULL,
	`done_requests` integer DEFAULT 0 NOT NULL,
	`rows` integer DEFAULT 0 NOT NULL,
	`eta_at` integer,
	`message` text,
	`from_day` text,
	`to_day` text
);
--> statement-breakpoint
CREATE INDEX `sync_runs_database_started_idx` ON `sync_runs` (`database_key`,`started_at`);--> statement-breakpoint
CREATE TABLE `transactions` (
	`database_key` text NOT NULL,
	`trans_id` text NOT NULL,
	`site_code` text NOT NULL,
	`trans_number` integer,
	`occurred_unix` integer NOT NULL,
	`local_day` text NOT NULL,
	`local_hour` integer NOT NULL,
	`total_cents` integer NOT NULL,
	`status` text NOT NULL,
	`is_plan_sale` integer NOT NULL,
	`is_plan_redemption` integer NOT NULL,
	`customer_id` text,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`database_key`, `trans_id`)
);
--> statement-breakpoint
CREATE INDEX `transactions_site_day_idx` ON `transactions` (`database_key`,`site_code`,`local_day`);--> statement-breakpoint
CREATE INDEX `transactions_site_time_idx` ON `transactions` (`database_key`,`site_code`,`occurred_unix`);