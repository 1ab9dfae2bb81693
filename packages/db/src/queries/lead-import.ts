import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";

// Bulk reads and writes of a CSV lead import: every statement takes the whole file at once
// (`json_each` over one JSON argument for reads, multi-row VALUES for the wide lead rows), so 50,000
// rows are a handful of statements in one write transaction rather than 50,000 round trips.

/** An existing lead an import row updates. */
export interface ImportExistingLead {
  id: number;
  email: string;
  name: string | null;
  companyId: number | null;
  role: string | null;
  traits: Record<string, unknown>;
  stage: string;
  scoreState: unknown;
  ownerId: number | null;
  acquisition: string;
  legalBasis: string | null;
  legalBasisAt: number | null;
}

/** The site's leads with these (lower-cased) e-mails, by e-mail. */
export async function leadsByEmails(
  db: Database,
  siteId: number,
  emails: readonly string[],
): Promise<Map<string, ImportExistingLead>> {
  if (emails.length === 0) return new Map();
  const result = await db.$client.execute({
    sql: `SELECT id, email, name, company_id, role, traits, stage, score_state, owner_id, acquisition, legal_basis,
            legal_basis_at FROM leads
          WHERE site_id = ? AND email IN (SELECT value FROM json_each(?))`,
    args: [siteId, sqlJson(emails)],
  });
  const out = new Map<string, ImportExistingLead>();
  for (const r of result.rows as Record<string, unknown>[]) {
    out.set(String(r.email), {
      id: Number(r.id),
      email: String(r.email),
      name: (r.name as string | null) ?? null,
      companyId: r.company_id == null ? null : Number(r.company_id),
      role: (r.role as string | null) ?? null,
      traits: (parseJson(r.traits) as Record<string, unknown> | null) ?? {},
      stage: String(r.stage),
      scoreState: parseJson(r.score_state),
      ownerId: r.owner_id == null ? null : Number(r.owner_id),
      acquisition: String(r.acquisition),
      legalBasis: (r.legal_basis as string | null) ?? null,
      legalBasisAt: r.legal_basis_at == null ? null : Number(r.legal_basis_at),
    });
  }
  return out;
}

/** Users who can own leads (sales reps and admins), by lower-cased e-mail. */
export async function assignableUsersByEmail(db: Database): Promise<Map<string, number>> {
  const result = await db.$client.execute("SELECT id, email FROM users WHERE role IN ('sales', 'admin')");
  return new Map((result.rows as Record<string, unknown>[]).map((r) => [String(r.email).toLowerCase(), Number(r.id)]));
}

/** Whether a site has erased anyone (only then must an import check its e-mails against tombstones). */
export async function siteHasEmailTombstones(db: Database, siteId: number): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "SELECT 1 FROM privacy_tombstones WHERE site_id = ? AND kind = 'email' LIMIT 1",
    args: [siteId],
  });
  return result.rows.length > 0;
}

/** Creates missing companies by domain (keeping existing names) and returns every id by domain. */
export async function ensureCompanies(
  db: Database,
  siteId: number,
  companies: readonly { domain: string; name: string | null }[],
  now: number,
): Promise<Map<string, number>> {
  if (companies.length === 0) return new Map();
  const payload = sqlJson(companies.map((c) => [c.domain, c.name]));
  await db.$client.execute({
    sql: `INSERT INTO companies (site_id, domain, name, created_at)
          SELECT ?, value->>0, value->>1, ? FROM json_each(?) WHERE true
          ON CONFLICT (site_id, domain) DO UPDATE SET name = coalesce(companies.name, excluded.name)`,
    args: [siteId, now, payload],
  });
  const result = await db.$client.execute({
    sql: "SELECT id, domain FROM companies WHERE site_id = ? AND domain IN (SELECT value->>0 FROM json_each(?))",
    args: [siteId, payload],
  });
  return new Map((result.rows as Record<string, unknown>[]).map((r) => [String(r.domain), Number(r.id)]));
}

/**
 * A lead as an import writes it (new or updated), every column final: the workflow merges the
 * file's cells with the existing lead, so one row shape serves the insert and the update.
 */
export interface ImportLeadWrite {
  email: string;
  name: string | null;
  companyId: number | null;
  role: string | null;
  traits: Record<string, unknown>;
  stage: string;
  fitScore: number;
  engagementScore: number;
  engagementSortKey: number;
  scoredAt: number | null;
  scoreState: unknown;
  ownerId: number | null;
  acquisition: string;
  legalBasis: string | null;
  legalBasisAt: number | null;
}

/** The one column list (and JSON array order) of an imported lead row. */
const LEAD_COLUMNS = [
  "email",
  "name",
  "company_id",
  "role",
  "traits",
  "stage",
  "fit_score",
  "engagement_score",
  "engagement_sort_key",
  "scored_at",
  "score_state",
  "owner_id",
  "acquisition",
  "legal_basis",
  "legal_basis_at",
] as const;

/** An imported lead's cells in `LEAD_COLUMNS` order (the same for a new and an existing lead). */
function leadRowValues(r: ImportLeadWrite): (string | number | null)[] {
  return [
    r.email,
    r.name,
    r.companyId,
    r.role,
    sqlJson(r.traits),
    r.stage,
    r.fitScore,
    r.engagementScore,
    r.engagementSortKey,
    r.scoredAt,
    sqlJson(r.scoreState),
    r.ownerId,
    r.acquisition,
    r.legalBasis,
    r.legalBasisAt,
  ];
}

type Cell = string | number | null;

/**
 * Multi-row `INSERT … VALUES (…),(…)` in chunks below SQLite's parameter limit: for a wide,
 * much-indexed table like `leads` this is several times faster than `json_each`, which parses
 * each row's JSON once per column (measured here: a 50,000-lead import about twice as slow).
 */
async function insertValues(
  db: Database,
  head: string,
  rowSql: string,
  rows: readonly Cell[][],
  tail = "",
): Promise<Record<string, unknown>[]> {
  const width = rows[0]?.length ?? 1;
  const chunk = Math.max(1, Math.floor(30_000 / width));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const result = await db.$client.execute({
      sql: `${head} VALUES ${part.map(() => rowSql).join(",")} ${tail}`,
      args: part.flat(),
    });
    out.push(...(result.rows as Record<string, unknown>[]));
  }
  return out;
}

/**
 * Writes imported leads in chunked multi-row upserts: new e-mails are inserted, existing ones
 * (the site's unique e-mail) updated in place with the same row, never duplicated even if another
 * writer created the e-mail meanwhile. Returns every written lead's id by e-mail.
 */
export async function upsertImportedLeads(
  db: Database,
  siteId: number,
  rows: readonly ImportLeadWrite[],
  now: number,
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const written = await insertValues(
    db,
    `INSERT INTO leads (site_id, ${LEAD_COLUMNS.join(", ")}, unverified, created_at, imported_at)`,
    `(?, ${LEAD_COLUMNS.map(() => "?").join(", ")}, 0, ?, ?)`,
    rows.map((r) => [siteId, ...leadRowValues(r), now, now]),
    `ON CONFLICT (site_id, email) DO UPDATE SET ${LEAD_COLUMNS.filter((c) => c !== "email")
      .map((c) => `${c} = excluded.${c}`)
      .join(", ")}
     RETURNING id, email`,
  );
  return new Map(written.map((r) => [String(r.email), Number(r.id)]));
}

/** Fit ledger rows of imported leads (chunked multi-row inserts). */
export async function insertImportLedger(
  db: Database,
  rows: readonly {
    siteId: number;
    leadId: number;
    ruleId: string;
    ruleVersion: number;
    kind: string;
    delta: number;
    at: number;
    reason: string;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await insertValues(
    db,
    "INSERT INTO score_ledger (site_id, lead_id, visitor_id, event_id, rule_id, rule_version, kind, delta, at, reason)",
    "(?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?)",
    rows.map((r) => [r.siteId, r.leadId, r.ruleId, r.ruleVersion, r.kind, r.delta, r.at, r.reason]),
  );
}
