import type { Database } from "../../client.ts";
import { sqlJson } from "../../json-text.ts";
import type { SiteRefusalRow } from "../site-refusals.ts";
import { type LeadViewer, visibleLeadsCondition } from "../visibility.ts";
import { selectRows } from "./filters.ts";

/** A site as the settings page shows it, with its install check. */
export interface SiteStatus {
  id: number;
  publicKey: string;
  name: string;
  domains: string[];
  /** IANA time zone whose days the site's rollups count. */
  timeZone: string;
  createdAt: number;
  /** Time of the first stored event, or null while the snippet has not reported in. */
  firstEventAt: number | null;
  /** The last refused request the collector noted (install check), or null. */
  refusal: SiteRefusalRow | null;
}

/**
 * Every site with its install state. A site counts as installed once it has stored an event,
 * whether or not the collector has stamped `first_event_at` yet (one indexed probe per site).
 */
export async function listSiteStatus(db: Database): Promise<SiteStatus[]> {
  type Row = Omit<SiteStatus, "domains" | "refusal"> & {
    domains: string;
    refusedHost: string | null;
    refusedReason: SiteRefusalRow["reason"] | null;
    refusedAt: number | null;
    refusedCount: number | null;
  };
  const rows = await selectRows<Row>(
    db,
    `SELECT s.id, s.public_key AS publicKey, s.name, s.domains, s.time_zone AS timeZone, s.created_at AS createdAt,
            coalesce(s.first_event_at,
                     (SELECT min(received_at) FROM (SELECT received_at FROM events e
                       WHERE e.site_id = s.id ORDER BY received_at LIMIT 1))) AS firstEventAt,
            r.host AS refusedHost, r.reason AS refusedReason, r.at AS refusedAt, r.count AS refusedCount
       FROM sites s LEFT JOIN site_refusals r ON r.site_id = s.id ORDER BY s.id`,
    [],
  );
  return rows.map(({ refusedHost, refusedReason, refusedAt, refusedCount, ...r }) => ({
    ...r,
    domains: parseList(r.domains),
    refusal:
      refusedReason === null
        ? null
        : { host: refusedHost, reason: refusedReason, at: Number(refusedAt), count: Number(refusedCount) },
  }));
}

function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Replaces a site's allowed domains and name; false when the site does not exist. */
export async function updateSite(
  db: Database,
  id: number,
  change: { name: string; domains: string[] },
): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "UPDATE sites SET name = ?, domains = ? WHERE id = ?",
    args: [change.name, sqlJson(change.domains), id],
  });
  return result.rowsAffected > 0;
}

/** A lead as the sales list shows it. */
export interface LeadListRow {
  id: number;
  email: string;
  name: string | null;
  stage: string;
  engagementScore: number;
  fitScore: number;
  ownerId: number | null;
  lastActivityAt: number | null;
}

const LEAD_COLUMNS = `id, email, name, stage, engagement_score AS engagementScore, fit_score AS fitScore,
  owner_id AS ownerId, last_activity_at AS lastActivityAt`;

/**
 * Leads a user may see, hottest first: a sales rep sees their own and the unassigned pool,
 * admins and marketers every lead of the site.
 */
export async function listVisibleLeads(
  db: Database,
  siteId: number,
  viewer: LeadViewer,
  limit = 100,
): Promise<LeadListRow[]> {
  const visible = visibleLeadsCondition(viewer, "leads");
  return selectRows<LeadListRow>(
    db,
    `SELECT ${LEAD_COLUMNS} FROM leads WHERE site_id = ? AND ${visible.sql} ORDER BY engagement_sort_key DESC LIMIT ?`,
    [siteId, ...visible.args, limit],
  );
}

/** One lead if the viewer may see it (same rule as the list), otherwise undefined. */
export async function findVisibleLead(
  db: Database,
  leadId: number,
  viewer: LeadViewer,
): Promise<(LeadListRow & { siteId: number }) | undefined> {
  const visible = visibleLeadsCondition(viewer, "leads");
  const rows = await selectRows<LeadListRow & { siteId: number }>(
    db,
    `SELECT ${LEAD_COLUMNS}, site_id AS siteId FROM leads WHERE id = ? AND ${visible.sql}`,
    [leadId, ...visible.args],
  );
  return rows[0];
}
