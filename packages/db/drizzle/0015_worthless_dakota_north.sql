CREATE TABLE `maintenance_tasks` (
	`name` text PRIMARY KEY NOT NULL,
	`done_at` integer NOT NULL,
	`note` text
);
