CREATE TABLE `rollup_rebuild_rows` (
	`rebuild_id` integer NOT NULL,
	`day` text NOT NULL,
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`pageviews` integer DEFAULT 0 NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	`bounces` integer DEFAULT 0 NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`engaged_ms` integer DEFAULT 0 NOT NULL,
	`scroll_sum` real DEFAULT 0 NOT NULL,
	`scroll_count` integer DEFAULT 0 NOT NULL,
	`points` real DEFAULT 0 NOT NULL,
	`leads` integer DEFAULT 0 NOT NULL,
	`mqls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`rebuild_id`, `dimension`, `day`, `value`)
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_hourly_stats` (
	`site_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`dimension` text DEFAULT '' NOT NULL,
	`value` text DEFAULT '' NOT NULL,
	`pageviews` integer DEFAULT 0 NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	`engaged_ms` integer DEFAULT 0 NOT NULL,
	`leads` integer DEFAULT 0 NOT NULL,
	`mqls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `dimension`, `value`, `hour`)
);
--> statement-breakpoint
INSERT INTO `__new_hourly_stats`("site_id", "hour", "dimension", "value", "pageviews", "visitors", "visits", "engaged_ms", "leads", "mqls") SELECT "site_id", "hour", '', '', "pageviews", "visitors", "visits", "engaged_ms", "leads", "mqls" FROM `hourly_stats`;--> statement-breakpoint
DROP TABLE `hourly_stats`;--> statement-breakpoint
ALTER TABLE `__new_hourly_stats` RENAME TO `hourly_stats`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `leads` ADD `imported_at` integer;--> statement-breakpoint
ALTER TABLE `rollup_rebuilds` ADD `cursor` text;--> statement-breakpoint
ALTER TABLE `rollup_rebuilds` ADD `event_cutoff` integer;--> statement-breakpoint
ALTER TABLE `rollup_rebuilds` ADD `lead_cutoff` integer;--> statement-breakpoint
ALTER TABLE `rollup_rebuilds` ADD `stage_cutoff` integer;