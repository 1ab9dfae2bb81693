CREATE TABLE `hourly_stats` (
	`site_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`pageviews` integer DEFAULT 0 NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	`engaged_ms` integer DEFAULT 0 NOT NULL,
	`leads` integer DEFAULT 0 NOT NULL,
	`mqls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `rollup_rebuilds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`time_zone` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `rollup_rebuilds_site_idx` ON `rollup_rebuilds` (`site_id`,`id`);--> statement-breakpoint
CREATE TABLE `site_tz_offsets` (
	`site_id` integer NOT NULL,
	`from_ms` integer NOT NULL,
	`offset_minutes` integer NOT NULL,
	PRIMARY KEY(`site_id`, `from_ms`)
);
--> statement-breakpoint
ALTER TABLE `sites` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;