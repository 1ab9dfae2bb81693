CREATE TABLE `lead_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`lead_id` integer NOT NULL,
	`rep_id` integer,
	`queue_id` text,
	`pool_id` integer,
	`rule_id` integer,
	`trigger` text NOT NULL,
	`candidates` text NOT NULL,
	`decision` text NOT NULL,
	`at` integer NOT NULL,
	`accepted_at` integer,
	`closed_at` integer,
	`sla_due_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lead_assignments_lead_idx` ON `lead_assignments` (`lead_id`,`at`);--> statement-breakpoint
CREATE INDEX `lead_assignments_rep_open_idx` ON `lead_assignments` (`rep_id`) WHERE "lead_assignments"."closed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `lead_assignments_sla_idx` ON `lead_assignments` (`sla_due_at`) WHERE "lead_assignments"."closed_at" IS NULL AND "lead_assignments"."accepted_at" IS NULL AND "lead_assignments"."sla_due_at" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `routing_pool_members` (
	`pool_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`pool_id`, `user_id`),
	FOREIGN KEY (`pool_id`) REFERENCES `routing_pools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `routing_pool_state` (
	`pool_id` integer PRIMARY KEY NOT NULL,
	`credits` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `routing_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `routing_pools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`name` text NOT NULL,
	`sla_minutes` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `routing_pools_site_idx` ON `routing_pools` (`site_id`);--> statement-breakpoint
CREATE TABLE `routing_reps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`weight` real DEFAULT 1 NOT NULL,
	`capacity` integer DEFAULT 50 NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`working_hours` text,
	`out_of_office` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `routing_reps_site_user_uq` ON `routing_reps` (`site_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `routing_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`position` integer NOT NULL,
	`name` text,
	`pool_id` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`conditions` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pool_id`) REFERENCES `routing_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `routing_rules_site_position_idx` ON `routing_rules` (`site_id`,`position`);--> statement-breakpoint
CREATE TABLE `routing_settings` (
	`site_id` integer PRIMARY KEY NOT NULL,
	`fallback_queue_id` text DEFAULT 'unassigned' NOT NULL,
	`regions` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sla_misses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`lead_id` integer NOT NULL,
	`assignment_id` integer NOT NULL,
	`rep_id` integer NOT NULL,
	`pool_id` integer,
	`rule_id` integer,
	`assigned_at` integer NOT NULL,
	`sla_due_at` integer NOT NULL,
	`detected_at` integer NOT NULL,
	`overdue_ms` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sla_misses_lead_idx` ON `sla_misses` (`lead_id`);--> statement-breakpoint
CREATE INDEX `sla_misses_rep_idx` ON `sla_misses` (`rep_id`,`detected_at`);--> statement-breakpoint
CREATE TABLE `api_key_grants` (
	`api_key_id` integer PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`scopes` text NOT NULL,
	FOREIGN KEY (`api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`lead_id` integer,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`dispatched_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outbox_pending_idx` ON `outbox` (`id`) WHERE "outbox"."dispatched_at" IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_lead_idx` ON `outbox` (`lead_id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbox_id` integer NOT NULL,
	`endpoint_id` integer NOT NULL,
	`event_type` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`response_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`next_attempt_at`) WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_idx` ON `webhook_deliveries` (`endpoint_id`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_outbox_idx` ON `webhook_deliveries` (`outbox_id`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`events` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_site_idx` ON `webhook_endpoints` (`site_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`lead_id` integer,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_lead_idx` ON `notifications` (`lead_id`);--> statement-breakpoint
CREATE TABLE `privacy_tombstones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`kind` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `privacy_tombstones_uq` ON `privacy_tombstones` (`site_id`,`kind`,`hash`);