CREATE TABLE `daily_salts` (
	`day` text PRIMARY KEY NOT NULL,
	`salt` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `daily_salts_created_idx` ON `daily_salts` (`created_at`);--> statement-breakpoint
ALTER TABLE `events` ADD `campaign` text;--> statement-breakpoint
ALTER TABLE `score_ledger` ADD `reason` text DEFAULT 'event' NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `click_id` text;