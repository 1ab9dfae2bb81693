import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One-time data repairs that `migrate` has run on this database (the schema migrations are in
 * `__drizzle_migrations`): a task listed here is never run again, so a scan of a large table is
 * paid once.
 */
export const maintenanceTasks = sqliteTable("maintenance_tasks", {
  name: text("name").primaryKey(),
  doneAt: integer("done_at").notNull(),
  /** What the task did, for the log (e.g. how many rows it rewrote). */
  note: text("note"),
});
