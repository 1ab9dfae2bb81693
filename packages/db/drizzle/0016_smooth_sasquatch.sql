CREATE TABLE `link_token_uses` (
	`site_id` integer NOT NULL,
	`token_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_token_uses_uq` ON `link_token_uses` (`site_id`,`token_id`);--> statement-breakpoint
CREATE INDEX `link_token_uses_expires_idx` ON `link_token_uses` (`expires_at`);--> statement-breakpoint
CREATE TABLE `user_preferences` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`site_id` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `site_refusals` (
	`site_id` integer PRIMARY KEY NOT NULL,
	`host` text,
	`reason` text NOT NULL,
	`at` integer NOT NULL,
	`count` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
