-- Replaces an index of the same name that an unreleased draft of this migration created.
DROP INDEX IF EXISTS `leads_site_recency_cover_idx`;--> statement-breakpoint
CREATE INDEX `leads_site_recency_cover_idx` ON `leads` (`site_id`,coalesce(`last_activity_at`, `created_at`),`stage`,`owner_id`,`fit_score`,`engagement_score`,`scored_at`,`company_id`,`email`,`name`,`last_activity_at`,`created_at`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `leads_site_owner_recency_idx` ON `leads` (`site_id`,`owner_id`,coalesce(`last_activity_at`, `created_at`));--> statement-breakpoint
CREATE INDEX `visitors_site_campaign_lead_idx` ON `visitors` (`site_id`,`utm_campaign`,`lead_id`) WHERE "visitors"."lead_id" IS NOT NULL;