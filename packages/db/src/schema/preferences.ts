import { integer, sqliteTable } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";
import { sites } from "./sites.ts";

/**
 * What a dashboard user last chose that should follow them across log-ins: the site every page
 * shows (the header's site switcher; `?site=` overrides it and becomes the new choice).
 */
export const userPreferences = sqliteTable("user_preferences", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  siteId: integer("site_id").references(() => sites.id, { onDelete: "set null" }),
});
