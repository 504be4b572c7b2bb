CREATE TABLE `hourly_rollups` (
	`database_key` text NOT NULL,
	`site_code` text NOT NULL,
	`local_day` text NOT NULL,
	`local_hour` integer NOT NULL,
	`transactions` integer NOT NULL,
	`revenue_cents` integer NOT NULL,
	PRIMARY KEY(`database_key`, `site_code`, `local_day`, `local_hour`)
);
