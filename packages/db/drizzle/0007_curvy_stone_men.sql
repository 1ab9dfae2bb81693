CREATE TABLE `lead_merges` (
	`merged_lead_id` integer PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`kept_lead_id` integer NOT NULL,
	`merged_email` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lead_merges_email_idx` ON `lead_merges` (`site_id`,`merged_email`);--> statement-breakpoint
CREATE INDEX `lead_merges_kept_idx` ON `lead_merges` (`kept_lead_id`);--> statement-breakpoint
CREATE TABLE `rescore_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`version` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`total` integer NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`stage_changes` integer DEFAULT 0 NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rescore_runs_open_idx` ON `rescore_runs` (`id`) WHERE "rescore_runs"."status" IN ('pending', 'running');--> statement-breakpoint
CREATE INDEX `rescore_runs_site_idx` ON `rescore_runs` (`site_id`,`id`);