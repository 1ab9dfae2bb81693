CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`name` text NOT NULL,
	`channel` text,
	`utm_campaign` text,
	`starts_at` integer,
	`ends_at` integer,
	`budget` real,
	`owner_id` integer,
	`goals` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaigns_site_utm_idx` ON `campaigns` (`site_id`,`utm_campaign`);--> statement-breakpoint
CREATE TABLE `links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`campaign_id` integer,
	`utm` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `links_code_uq` ON `links` (`code`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`client_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`lead_id` integer,
	`type` text NOT NULL,
	`name` text,
	`url` text,
	`path` text,
	`title` text,
	`referrer` text,
	`props` text,
	`client_time` integer,
	`received_at` integer NOT NULL,
	`flags` integer DEFAULT 0 NOT NULL,
	`engaged_ms` integer,
	`scroll_depth` real,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_site_client_id_uq` ON `events` (`site_id`,`client_id`);--> statement-breakpoint
CREATE INDEX `events_site_visitor_idx` ON `events` (`site_id`,`visitor_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `events_lead_idx` ON `events` (`lead_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `events_site_received_idx` ON `events` (`site_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`domain` text NOT NULL,
	`name` text,
	`industry` text,
	`size` text,
	`country` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_site_domain_uq` ON `companies` (`site_id`,`domain`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`company_id` integer,
	`role` text,
	`traits` text DEFAULT '{}' NOT NULL,
	`stage` text DEFAULT 'lead' NOT NULL,
	`engagement_score` real DEFAULT 0 NOT NULL,
	`engagement_sort_key` real DEFAULT 0 NOT NULL,
	`fit_score` real DEFAULT 0 NOT NULL,
	`scored_at` integer,
	`score_state` text,
	`owner_id` integer,
	`unverified` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`last_activity_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leads_site_email_uq` ON `leads` (`site_id`,`email`);--> statement-breakpoint
CREATE INDEX `leads_site_sort_idx` ON `leads` (`site_id`,`engagement_sort_key`);--> statement-breakpoint
CREATE INDEX `leads_site_stage_idx` ON `leads` (`site_id`,`stage`);--> statement-breakpoint
CREATE INDEX `leads_owner_idx` ON `leads` (`owner_id`);--> statement-breakpoint
CREATE INDEX `leads_company_idx` ON `leads` (`company_id`);--> statement-breakpoint
CREATE TABLE `content_touches` (
	`site_id` integer NOT NULL,
	`path` text NOT NULL,
	`visitor_id` text NOT NULL,
	`first_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `path`, `visitor_id`)
);
--> statement-breakpoint
CREATE TABLE `daily_stats` (
	`site_id` integer NOT NULL,
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
	PRIMARY KEY(`site_id`, `dimension`, `day`, `value`)
);
--> statement-breakpoint
CREATE INDEX `daily_stats_site_day_idx` ON `daily_stats` (`site_id`,`day`);--> statement-breakpoint
CREATE TABLE `score_ledger` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`lead_id` integer,
	`visitor_id` text,
	`event_id` integer,
	`rule_id` text NOT NULL,
	`rule_version` integer NOT NULL,
	`kind` text NOT NULL,
	`delta` real NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `score_ledger_lead_idx` ON `score_ledger` (`lead_id`,`at`);--> statement-breakpoint
CREATE INDEX `score_ledger_visitor_idx` ON `score_ledger` (`site_id`,`visitor_id`);--> statement-breakpoint
CREATE TABLE `stage_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`lead_id` integer NOT NULL,
	`from_stage` text,
	`to_stage` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL,
	`score` real,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stage_changes_lead_idx` ON `stage_changes` (`lead_id`,`at`);--> statement-breakpoint
CREATE INDEX `stage_changes_site_at_idx` ON `stage_changes` (`site_id`,`at`);--> statement-breakpoint
CREATE TABLE `sites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_key` text NOT NULL,
	`name` text NOT NULL,
	`domains` text NOT NULL,
	`secret_key_hash` text,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`first_event_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sites_public_key_unique` ON `sites` (`public_key`);--> statement-breakpoint
CREATE TABLE `visitors` (
	`site_id` integer NOT NULL,
	`id` text NOT NULL,
	`lead_id` integer,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`referrer_domain` text,
	`channel` text,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`landing_path` text,
	`browser` text,
	`os` text,
	`device` text,
	`country` text,
	`event_count` integer DEFAULT 0 NOT NULL,
	`visit_started_at` integer,
	`visit_pageviews` integer DEFAULT 0 NOT NULL,
	`last_path` text,
	`engagement_score` real DEFAULT 0 NOT NULL,
	`score_state` text,
	PRIMARY KEY(`site_id`, `id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visitors_site_last_seen_idx` ON `visitors` (`site_id`,`last_seen_at`);--> statement-breakpoint
CREATE INDEX `visitors_lead_idx` ON `visitors` (`lead_id`);