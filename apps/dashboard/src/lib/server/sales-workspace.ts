import {
  assignLeadManually,
  type Database,
  dealValuesOf,
  ledgerTotalsByRule,
  listSalesCandidates,
  type SalesLeadRow,
  salesLeadsByIds,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  currentScore,
  DAY_MS,
  decayedValue,
  decayFactor,
  gradeOf,
  type RuleSet,
  type SalesActionType,
} from "@leadtrail/scoring";
import { siteRuleSet } from "@leadtrail/workflows";
import { strictNumber } from "./input.ts";

// Pure helpers of the sales workspace (lead page, my leads).

/** The grade ("A1" … "D4") of a lead now. */
export function gradeNow(
  row: { fitScore: number; engagementScore: number; scoredAt: number | null },
  ruleSet: RuleSet,
  now: number,
): string {
  return gradeOf(
    row.fitScore,
    decayedValue(row.engagementScore, row.scoredAt, now, ruleSet.halfLifeDays),
    ruleSet.grades,
  ).grade;
}

/**
 * The combined score right after each ledger entry, oldest first: fit adds up as it is, engagement
 * decays from one entry to the next (the same half-life the engine uses), so the line ends at the
 * score the lead had at its last entry.
 */
export function scoreSeries(
  ledger: readonly { kind: string; delta: number; at: number }[],
  halfLifeDays: number | null,
): { at: number; score: number }[] {
  let fit = 0;
  let engagement = 0;
  let last: number | null = null;
  const points: { at: number; score: number }[] = [];
  for (const entry of ledger) {
    if (last !== null) engagement *= decayFactor(entry.at - last, halfLifeDays);
    last = entry.at;
    if (entry.kind === "fit") fit += entry.delta;
    else engagement += entry.delta;
    const point = { at: entry.at, score: Math.round((fit + engagement) * 100) / 100 };
    // Several entries of one event share a time: keep one point per time, the latest.
    if (points.at(-1)?.at === entry.at) points[points.length - 1] = point;
    else points.push(point);
  }
  return points;
}

/** A rule's label in the user's language, else its id. */
export function ruleLabel(ruleSet: RuleSet, ruleId: string, locale: "en" | "de"): string {
  const label = ruleSet.rules.find((r) => r.id === ruleId)?.label;
  return label?.[locale] ?? label?.en ?? ruleId;
}

/** The top positive rule totals of a lead ("why it is hot"), biggest first. */
export function whyHot<T extends { ruleId: string; points: number }>(totals: readonly T[], n = 3): T[] {
  return totals
    .filter((t) => t.points > 0)
    .sort((a, b) => b.points - a.points || a.ruleId.localeCompare(b.ruleId))
    .slice(0, n);
}

/** The sales actions a form may submit, with the fields each needs. */
export const SALES_ACTIONS = [
  "accept",
  "reject",
  "qualify",
  "win",
  "lose",
] as const satisfies readonly SalesActionType[];
export type DashboardSalesAction = (typeof SALES_ACTIONS)[number];

/** A sales action form, checked: a reason where the funnel needs one, a non-negative value. */
export type ParsedSalesAction =
  | { ok: true; action: DashboardSalesAction; reason: string | null; value: number | null }
  | { ok: false; error: "sales.reasonRequired" | "sales.badValue" | "sales.badAction" };

/** Reads and checks a sales action form (`action`, `reason`, `value`). */
export function parseSalesAction(action: string, form: FormData): ParsedSalesAction {
  if (!(SALES_ACTIONS as readonly string[]).includes(action)) return { ok: false, error: "sales.badAction" };
  const reason =
    String(form.get("reason") ?? "")
      .trim()
      .slice(0, 500) || null;
  const rawValue = String(form.get("value") ?? "").trim();
  let value: number | null = null;
  if (rawValue !== "") {
    value = strictNumber(rawValue);
    if (!Number.isFinite(value) || value < 0 || value > 1e12) return { ok: false, error: "sales.badValue" };
  }
  if ((action === "reject" || action === "lose") && !reason) return { ok: false, error: "sales.reasonRequired" };
  return { ok: true, action: action as DashboardSalesAction, reason, value };
}

/** A list row with its score now, as the sales lists sort and page it. */
export interface ScoredLead extends SalesLeadRow {
  score: number;
  grade: string;
}

/** Opaque list cursor: the score and id of the last row of a page. */
export function encodeListCursor(lead: { score: number; id: number }): string {
  return Buffer.from(`${lead.score}:${lead.id}`).toString("base64url");
}

function decodeListCursor(cursor: string | null): { score: number; id: number } | undefined {
  if (!cursor) return undefined;
  const m = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?):(\d+)$/.exec(Buffer.from(cursor, "base64url").toString());
  return m ? { score: Number(m[1]), id: Number(m[2]) } : undefined;
}

/**
 * Sorts leads by current score (then id) and returns the page after `cursor`: keyset paging over
 * (score, id), so a page never repeats or skips a lead while scores stay put between requests.
 */
export function pageByScore<T extends { score: number; id: number }>(
  leads: readonly T[],
  cursor: string | null,
  limit: number,
): { leads: T[]; nextCursor: string | null } {
  const sorted = [...leads].sort((a, b) => b.score - a.score || a.id - b.id);
  const after = decodeListCursor(cursor);
  const rest = after
    ? sorted.filter((l) => l.score < after.score || (l.score === after.score && l.id > after.id))
    : sorted;
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return { leads: page, nextCursor: rest.length > limit && last ? encodeListCursor(last) : null };
}

/** The filters of a sales list as read from the URL (bad values are dropped, never an error). */
export interface SalesListFilter {
  stage?: string;
  /** "me", "pool", a user id as text, or undefined for anyone (admins and marketers). */
  owner?: string;
  minScore?: number;
  grade?: string;
  campaign?: string;
  company?: string;
  /** Last activity within this many days. */
  activeDays?: number;
  search?: string;
  cursor: string | null;
}

const LIST_STAGES = ["lead", "mql", "sal", "sql", "won", "lost", "nurture"];

/** Reads a sales list's filters; a sales rep's default owner is "me" (their queue). */
export function parseSalesListFilter(params: URLSearchParams, role: string): SalesListFilter {
  const text = (name: string, max = 100) => {
    const v = (params.get(name) ?? "").trim().slice(0, max);
    return v === "" ? undefined : v;
  };
  const num = (name: string) => {
    const v = text(name, 16);
    const n = strictNumber(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const stage = text("stage");
  const owner = params.has("owner") ? text("owner") : role === "sales" ? "me" : undefined;
  const grade = text("grade", 2)?.toUpperCase();
  const days = num("days");
  return {
    stage: stage && LIST_STAGES.includes(stage) ? stage : undefined,
    owner: owner === "me" || owner === "pool" || (owner && /^\d{1,9}$/.test(owner)) ? owner : undefined,
    minScore: num("minScore"),
    grade: grade && /^[A-D][1-4]?$/.test(grade) ? grade : undefined,
    campaign: text("campaign"),
    company: text("company"),
    activeDays: days !== undefined && days > 0 ? Math.min(days, 3650) : undefined,
    search: text("q"),
    cursor: text("cursor", 80) ?? null,
  };
}

/** The owner filter as the query layer takes it (a rep sees only "me" and the pool anyway). */
export function ownerOf(filter: SalesListFilter, viewerId: number): number | "pool" | undefined {
  if (filter.owner === "me") return viewerId;
  if (filter.owner === "pool") return "pool";
  return filter.owner === undefined ? undefined : Number(filter.owner);
}

/** Rows scored now and filtered exactly (score and grade need the current decay). */
export function scoreRows<T extends { fitScore: number; engagementScore: number; scoredAt: number | null }>(
  rows: readonly T[],
  ruleSet: RuleSet,
  now: number,
  filter: Pick<SalesListFilter, "minScore" | "grade">,
): (T & { score: number; grade: string })[] {
  const scored = rows.map((r) => ({
    ...r,
    score: Math.round(currentScore(r, ruleSet, now) * 100) / 100,
    grade: gradeNow(r, ruleSet, now),
  }));
  return scored.filter(
    (r) =>
      (filter.minScore === undefined || r.score >= filter.minScore) &&
      (filter.grade === undefined || r.grade.startsWith(filter.grade)),
  );
}

/** A sales list: every matching lead scored now, sorted by score, one page after the cursor. */
export async function loadSalesList(
  db: Database,
  q: { siteId: number; viewer: { id: number; role: string }; filter: SalesListFilter; now: number; limit: number },
  locale: "en" | "de",
) {
  const { filter, now } = q;
  const ruleSet = await siteRuleSet(db, q.siteId);
  const candidates = await listSalesCandidates(db, {
    siteId: q.siteId,
    viewer: q.viewer,
    stage: filter.stage,
    owner: ownerOf(filter, q.viewer.id),
    minScoreBound: filter.minScore,
    campaign: filter.campaign,
    company: filter.company,
    search: filter.search,
    activeSince: filter.activeDays === undefined ? undefined : now - filter.activeDays * DAY_MS,
  });
  const page = pageByScore(scoreRows(candidates, ruleSet, now, filter), filter.cursor, q.limit);
  // Full rows (company, owner, first touch) only for the page: scoring needs just the scores.
  const scored = new Map(page.leads.map((l) => [l.id, l]));
  const rows: ScoredLead[] = (
    await salesLeadsByIds(
      db,
      page.leads.map((l) => l.id),
    )
  ).map((r) => ({ ...r, score: scored.get(r.id)?.score ?? 0, grade: scored.get(r.id)?.grade ?? "" }));
  const ids = rows.map((l) => l.id);
  const totals = await ledgerTotalsByRule(db, ids);
  const dealValues = await dealValuesOf(db, ids);
  return {
    nextCursor: page.nextCursor,
    leads: rows.map((l) => ({
      ...l,
      dealValue: dealValues.get(l.id) ?? null,
      why: whyHot(totals.filter((t) => t.leadId === l.id)).map((t) => ({
        label: ruleLabel(ruleSet, t.ruleId, locale),
        points: Math.round(t.points * 10) / 10,
        entries: t.entries,
      })),
    })),
  };
}

/**
 * Assigns an unassigned lead to the user who takes it (from the pool, or by accepting it).
 * False when someone else owns it already: nobody works a lead in parallel.
 */
export function takeLead(db: Database, leadId: number, user: { id: number; email: string }): Promise<boolean> {
  return withWriteTransaction(db, (tx) =>
    assignLeadManually(tx, {
      leadId,
      repId: user.id,
      actor: `user:${user.id}`,
      at: Date.now(),
      onlyIfUnassigned: true,
      note: `taken by ${user.email}`,
    }),
  );
}
