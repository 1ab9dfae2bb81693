DROP INDEX `events_lead_idx`;--> statement-breakpoint
CREATE INDEX `events_lead_idx` ON `events` (`lead_id`,`received_at`) WHERE "events"."lead_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `version` integer DEFAULT 0 NOT NULL;