CREATE TABLE `funnel_daily` (
	`site_id` integer NOT NULL,
	`day` text NOT NULL,
	`campaign` text DEFAULT '' NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`persona_id` integer DEFAULT 0 NOT NULL,
	`leads` integer DEFAULT 0 NOT NULL,
	`mql` integer DEFAULT 0 NOT NULL,
	`sal` integer DEFAULT 0 NOT NULL,
	`sql` integer DEFAULT 0 NOT NULL,
	`won` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `day`, `campaign`, `source`, `persona_id`)
);
--> statement-breakpoint
DROP INDEX `lead_funnel_site_created_idx`;