import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sites } from "./sites.ts";

export interface CampaignGoal {
  metric: "leads" | "mqls" | "sqls" | "won";
  target: number;
  per: "month" | "period";
}

/** A marketing campaign with goals (the article's phase 1) and the UTM value that attributes traffic to it. */
export const campaigns = sqliteTable(
  "campaigns",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    name: text("name").notNull(),
    channel: text("channel"),
    utmCampaign: text("utm_campaign"),
    startsAt: integer("starts_at"),
    endsAt: integer("ends_at"),
    budget: real("budget"),
    ownerId: integer("owner_id"),
    goals: text("goals", { mode: "json" }).$type<CampaignGoal[]>().notNull().default([]),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("campaigns_site_utm_idx").on(t.siteId, t.utmCampaign)],
);

/** A tracked link or QR code served by the collector at /r/:code. */
export const links = sqliteTable(
  "links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    code: text("code").notNull(),
    kind: text("kind", { enum: ["link", "qr"] }).notNull(),
    /** Absolute URL or a path on the collector's host. */
    target: text("target").notNull(),
    campaignId: integer("campaign_id").references(() => campaigns.id),
    utm: text("utm", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    createdAt: integer("created_at").notNull(),
  },
  // Redirects look codes up globally: the code is the whole URL path.
  (t) => [uniqueIndex("links_code_uq").on(t.code)],
);

export type Campaign = typeof campaigns.$inferSelect;
export type Link = typeof links.$inferSelect;

/**
 * Link tokens (`lt_s`, added by `GET /r/:code`) already used to move a scan to the browser that
 * opened the landing page: a token works once. Rows are deleted once their token has expired.
 */
export const linkTokenUses = sqliteTable(
  "link_token_uses",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** The scan event's client id, which the token names. */
    tokenId: text("token_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("link_token_uses_uq").on(t.siteId, t.tokenId),
    // Pruning deletes expired rows by time.
    index("link_token_uses_expires_idx").on(t.expiresAt),
  ],
);
