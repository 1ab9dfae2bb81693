ALTER TABLE `lead_nurture` ADD `next_due_at` integer;--> statement-breakpoint
CREATE INDEX `lead_nurture_due_idx` ON `lead_nurture` (`next_due_at`);