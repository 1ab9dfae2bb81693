CREATE TABLE `content_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`key` text NOT NULL,
	`title` text,
	`kind` text DEFAULT 'other' NOT NULL,
	`topics` text DEFAULT '[]' NOT NULL,
	`match` text DEFAULT '[]' NOT NULL,
	`href` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `content_items_site_key_uq` ON `content_items` (`site_id`,`key`);--> statement-breakpoint
CREATE TABLE `lead_nurture` (
	`lead_id` integer PRIMARY KEY NOT NULL,
	`progress` text NOT NULL,
	`next_track_id` integer,
	`next_step_id` text,
	`next_content_key` text,
	`notified_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lead_nurture_next_idx` ON `lead_nurture` (`next_content_key`);--> statement-breakpoint
CREATE TABLE `nurture_tracks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`name` text NOT NULL,
	`purpose` text DEFAULT 'nurture' NOT NULL,
	`persona_id` integer,
	`stages` text DEFAULT '[]' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`steps` text DEFAULT '[]' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`persona_id`) REFERENCES `personas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `nurture_tracks_site_idx` ON `nurture_tracks` (`site_id`);--> statement-breakpoint
CREATE TABLE `personas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`criteria` text DEFAULT '{}' NOT NULL,
	`weights` text DEFAULT '{}' NOT NULL,
	`min_match` real DEFAULT 1 NOT NULL,
	`default_content_key` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `personas_site_idx` ON `personas` (`site_id`);--> statement-breakpoint
ALTER TABLE `leads` ADD `campaign_id` integer REFERENCES campaigns(id);--> statement-breakpoint
ALTER TABLE `leads` ADD `persona_id` integer;--> statement-breakpoint
ALTER TABLE `leads` ADD `persona_matched_at` integer;--> statement-breakpoint
ALTER TABLE `leads` ADD `acquisition` text DEFAULT 'warm' NOT NULL;--> statement-breakpoint
ALTER TABLE `leads` ADD `legal_basis` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `legal_basis_at` integer;--> statement-breakpoint
CREATE INDEX `leads_campaign_idx` ON `leads` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `leads_persona_idx` ON `leads` (`persona_id`);