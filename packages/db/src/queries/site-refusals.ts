import type { Database } from "../client.ts";
import { numOrNull, rowsOf } from "./rows.ts";

/** Why the collector refused a site's events (the codes the install check explains). */
export const REFUSAL_REASONS = ["forbidden_origin", "bot", "bad_request", "rate_limited"] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** The last refusal of a site's events, as the install check shows it. */
export interface SiteRefusalRow {
  host: string | null;
  reason: RefusalReason;
  at: number;
  /** Refused requests counted since the first one. */
  count: number;
}

/**
 * Notes refused requests of a site: the newest host, reason and time replace the old ones and
 * `count` is added. One upsert, meant to be called throttled (the collector batches in memory).
 */
export async function recordSiteRefusal(
  db: Database,
  siteId: number,
  refusal: { host: string | null; reason: RefusalReason; at: number; count: number },
): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO site_refusals (site_id, host, reason, at, count) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (site_id) DO UPDATE SET host = excluded.host, reason = excluded.reason,
            at = max(at, excluded.at), count = count + excluded.count`,
    args: [siteId, refusal.host, refusal.reason, refusal.at, refusal.count],
  });
}

/** A site's install state: its first stored event and its last refusal (null when none). */
export interface SiteInstallStatus {
  firstEventAt: number | null;
  refusal: SiteRefusalRow | null;
}

/** The install check of one site (by public key), or undefined for an unknown key. */
export async function siteInstallStatus(db: Database, publicKey: string): Promise<SiteInstallStatus | undefined> {
  const row = rowsOf(
    await db.$client.execute({
      sql: `SELECT s.id,
                   coalesce(s.first_event_at, (SELECT min(received_at) FROM (SELECT received_at FROM events e
                     WHERE e.site_id = s.id ORDER BY received_at LIMIT 1))) AS first_event_at,
                   r.host, r.reason, r.at, r.count
              FROM sites s LEFT JOIN site_refusals r ON r.site_id = s.id
             WHERE s.public_key = ?`,
      args: [publicKey],
    }),
  )[0];
  if (!row) return undefined;
  return {
    firstEventAt: numOrNull(row.first_event_at),
    refusal:
      row.reason == null
        ? null
        : {
            host: row.host == null ? null : String(row.host),
            reason: String(row.reason) as RefusalReason,
            at: Number(row.at),
            count: Number(row.count),
          },
  };
}
