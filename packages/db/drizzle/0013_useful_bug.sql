CREATE TABLE `campaign_daily` (
	`site_id` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`persona_id` integer DEFAULT 0 NOT NULL,
	`day` text NOT NULL,
	`leads` integer DEFAULT 0 NOT NULL,
	`mqls` integer DEFAULT 0 NOT NULL,
	`sqls` integer DEFAULT 0 NOT NULL,
	`won` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `campaign_id`, `day`, `persona_id`)
);
--> statement-breakpoint
ALTER TABLE `lead_funnel` ADD `campaign_id` integer DEFAULT 0 NOT NULL;