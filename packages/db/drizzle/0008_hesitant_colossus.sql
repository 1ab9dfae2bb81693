CREATE TABLE `content_pipeline_daily` (
	`site_id` integer NOT NULL,
	`path` text NOT NULL,
	`day` text NOT NULL,
	`persona_id` integer DEFAULT 0 NOT NULL,
	`leads` integer DEFAULT 0 NOT NULL,
	`mql` integer DEFAULT 0 NOT NULL,
	`sql` integer DEFAULT 0 NOT NULL,
	`won` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `path`, `day`, `persona_id`)
);
--> statement-breakpoint
CREATE TABLE `lead_funnel` (
	`lead_id` integer PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`reached` integer DEFAULT 0 NOT NULL,
	`mql_at` integer,
	`sal_at` integer,
	`sql_at` integer,
	`won_at` integer,
	`campaign` text,
	`source` text,
	`persona_id` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lead_funnel_site_created_idx` ON `lead_funnel` (`site_id`,`created_at`,`reached`,`campaign`,`source`,`persona_id`);--> statement-breakpoint
CREATE INDEX `lead_funnel_site_mql_idx` ON `lead_funnel` (`site_id`,`mql_at`,`persona_id`);--> statement-breakpoint
CREATE INDEX `lead_funnel_site_sql_idx` ON `lead_funnel` (`site_id`,`sql_at`,`persona_id`);--> statement-breakpoint
CREATE INDEX `lead_funnel_site_won_idx` ON `lead_funnel` (`site_id`,`won_at`,`persona_id`);--> statement-breakpoint
CREATE TABLE `lead_touches` (
	`lead_id` integer NOT NULL,
	`path` text NOT NULL,
	`site_id` integer NOT NULL,
	`first_at` integer NOT NULL,
	PRIMARY KEY(`lead_id`, `path`)
);
--> statement-breakpoint
CREATE TABLE `stage_exits` (
	`id` integer PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`lead_id` integer NOT NULL,
	`stage` text NOT NULL,
	`left_at` integer NOT NULL,
	`ms` integer NOT NULL,
	`bucket` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stage_exits_pick_idx` ON `stage_exits` (`site_id`,`stage`,`bucket`,`ms`,`left_at`);--> statement-breakpoint
CREATE INDEX `stage_exits_lead_idx` ON `stage_exits` (`lead_id`);--> statement-breakpoint
CREATE TABLE `stage_time_daily` (
	`site_id` integer NOT NULL,
	`day` text NOT NULL,
	`stage` text NOT NULL,
	`bucket` integer NOT NULL,
	`exits` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `day`, `stage`, `bucket`)
);
--> statement-breakpoint
CREATE INDEX `content_touches_visitor_idx` ON `content_touches` (`site_id`,`visitor_id`);