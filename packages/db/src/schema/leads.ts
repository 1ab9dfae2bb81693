import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { campaigns } from "./campaigns.ts";
import { sites } from "./sites.ts";

/** Funnel stages, in order. `closed_lost` and `nurture` (rejected by sales) leave the main line. */
export const STAGES = ["lead", "mql", "sal", "sql", "won", "lost", "nurture"] as const;
export type Stage = (typeof STAGES)[number];

/** How a lead was acquired (the article's Warmakquise / Kaltakquise). */
export const ACQUISITIONS = ["warm", "cold"] as const;
/** The legal basis for contacting a lead; null means none recorded (@leadtrail/nurture `LEGAL_BASES` is the same list). */
export const LEGAL_BASES = ["consent", "legitimate_interest", "contract"] as const;

/** An account: leads grouped by company domain (or name). */
export const companies = sqliteTable(
  "companies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    domain: text("domain").notNull(),
    name: text("name"),
    industry: text("industry"),
    size: text("size"),
    country: text("country"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("companies_site_domain_uq").on(t.siteId, t.domain)],
);

/** A known person. Scores are stored so that lists sort by an index (see packages/scoring decay). */
export const leads = sqliteTable(
  "leads",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    email: text("email").notNull(),
    name: text("name"),
    companyId: integer("company_id").references(() => companies.id),
    role: text("role"),
    traits: text("traits", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    stage: text("stage", { enum: STAGES }).notNull().default("lead"),
    /** Engagement points as of `scoredAt` (decays with the half-life from there). */
    engagementScore: real("engagement_score").notNull().default(0),
    /** Engagement scaled to the fixed decay epoch: ordering by it equals ordering by current engagement. */
    engagementSortKey: real("engagement_sort_key").notNull().default(0),
    fitScore: real("fit_score").notNull().default(0),
    scoredAt: integer("scored_at"),
    /** The scoring engine's per-lead state (cap counters, …), JSON owned by packages/scoring. */
    scoreState: text("score_state", { mode: "json" }).$type<unknown>(),
    ownerId: integer("owner_id"),
    /** Identified in the browser only, not confirmed by a server-side call. */
    unverified: integer("unverified", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    lastActivityAt: integer("last_activity_at"),
    /** The campaign of the lead's first touch (its visitor's first UTM campaign or tracked link). */
    campaignId: integer("campaign_id").references(() => campaigns.id),
    /** The best-matching persona (see @leadtrail/nurture `matchPersona`), null when none qualifies. */
    personaId: integer("persona_id"),
    personaMatchedAt: integer("persona_matched_at"),
    acquisition: text("acquisition", { enum: ACQUISITIONS }).notNull().default("warm"),
    /** Cold leads without a basis are excluded from exports and outbound webhooks. */
    legalBasis: text("legal_basis", { enum: LEGAL_BASES }),
    legalBasisAt: integer("legal_basis_at"),
    /** The deal value recorded when sales closed the lead (won or lost), in the site's currency. */
    dealValue: real("deal_value"),
    /**
     * When a CSV import created the lead (null: the collector did). Imported leads are contacts, not
     * website conversions: the traffic rollups never count them as new leads (a rebuild neither).
     */
    importedAt: integer("imported_at"),
  },
  (t) => [
    uniqueIndex("leads_site_email_uq").on(t.siteId, t.email),
    // Sales lists sort by score within a site.
    index("leads_site_sort_idx").on(t.siteId, t.engagementSortKey),
    index("leads_site_stage_idx").on(t.siteId, t.stage),
    // The scoring page's threshold preview counts a stage's leads at or above a stored score (the
    // expression it filters on) without reading every lead of the stage.
    index("leads_site_stage_score_idx").on(t.siteId, t.stage, sql`${t.engagementScore} + ${t.fitScore}`),
    // Sales lists read a site's most recently active leads first (the expression they order by),
    // with everything their filters and scoring read, so a search never touches the wide rows.
    index("leads_site_recency_cover_idx").on(
      t.siteId,
      sql`coalesce(${t.lastActivityAt}, ${t.createdAt})`,
      t.stage,
      t.ownerId,
      t.fitScore,
      t.engagementScore,
      t.scoredAt,
      t.companyId,
      t.email,
      t.name,
      t.lastActivityAt,
      t.createdAt,
    ),
    // A rep's own queue (and the pool): straight to their leads, newest activity first.
    index("leads_site_owner_recency_idx").on(t.siteId, t.ownerId, sql`coalesce(${t.lastActivityAt}, ${t.createdAt})`),
    index("leads_owner_idx").on(t.ownerId),
    index("leads_company_idx").on(t.companyId),
    index("leads_campaign_idx").on(t.campaignId),
    index("leads_persona_idx").on(t.personaId),
  ],
);

export type Lead = typeof leads.$inferSelect;
export type Company = typeof companies.$inferSelect;
