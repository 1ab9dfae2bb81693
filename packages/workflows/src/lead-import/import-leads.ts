import {
  assignableUsersByEmail,
  type Database,
  ensureCompanies,
  type ImportLeadWrite,
  insertImportLedger,
  leadsByEmails,
  recordStageChanges,
  type StageChangeRow,
  siteHasEmailTombstones,
  upsertImportedLeads,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  emailDomain,
  initialState,
  isFreeMailDomain,
  profileFromTraits,
  type ScoreState,
  sortKey,
  updateTraits,
} from "@leadtrail/scoring";
import { erasedEmails } from "../privacy.ts";
import { type NewMql, routeMqls } from "../route-lead.ts";
import { publishedRuleSet } from "../rule-set.ts";
import {
  IMPORT_LIMITS,
  type ImportMapping,
  type ImportRow,
  type ParsedCsv,
  parseCsv,
  type RowError,
  suggestMapping,
  validateRows,
} from "./csv.ts";

/** What the user asked for. */
export interface LeadImportInput {
  siteId: number;
  csv: string;
  /** Column per field; when absent, `suggestMapping` of the header row. */
  mapping?: ImportMapping;
  /** Import the valid rows and leave the invalid ones out (otherwise any invalid row refuses the import). */
  skipInvalid?: boolean;
  /** Route the leads that are MQL without an owner after the import, through the routing rules. */
  route?: boolean;
  /** Who imports, for the stage history (`user:<id>`). */
  actor: string;
  now: number;
}

/** What a preview shows: the file, the mapping used, counts, the first rows and every error. */
export interface LeadImportPreview {
  headers: string[];
  mapping: ImportMapping;
  total: number;
  valid: number;
  /** Valid rows whose e-mail is already a lead of the site (they are updated). */
  existing: number;
  sample: ImportRow[];
  errors: RowError[];
}

/** The outcome of an import; `ok: false` wrote nothing. */
export type LeadImportResult =
  | { ok: true; created: number; updated: number; skipped: number; mqls: number; routed: number; errors: RowError[] }
  | { ok: false; reason: "invalid_rows" | "too_large" | "no_rows"; errors: RowError[] };

function checkSize(parsed: ParsedCsv): RowError | undefined {
  if (parsed.rows.length > IMPORT_LIMITS.maxRows)
    return { line: 1, field: "row", message: `more than ${IMPORT_LIMITS.maxRows} rows` };
  if (parsed.headers.length > IMPORT_LIMITS.maxColumns)
    return { line: 1, field: "row", message: `more than ${IMPORT_LIMITS.maxColumns} columns` };
  return undefined;
}

async function checkRows(db: Database, input: LeadImportInput) {
  const parsed = parseCsv(input.csv);
  const mapping = input.mapping ?? suggestMapping(parsed.headers);
  const owners = await assignableUsersByEmail(db);
  return { parsed, mapping, ...validateRows(parsed, mapping, owners) };
}

/** Parses and checks a file under a mapping without writing anything: the preview step. */
export async function previewLeadImport(
  db: Database,
  input: Omit<LeadImportInput, "actor" | "now">,
): Promise<LeadImportPreview> {
  const { parsed, mapping, rows, errors } = await checkRows(db, { ...input, actor: "", now: 0 });
  const tooLarge = checkSize(parsed);
  const existing = await leadsByEmails(
    db,
    input.siteId,
    rows.map((r) => r.email),
  );
  return {
    headers: parsed.headers,
    mapping,
    total: parsed.rows.length,
    valid: rows.length,
    existing: existing.size,
    sample: rows.slice(0, 20),
    errors: tooLarge ? [tooLarge, ...errors] : errors,
  };
}

/** The traits a row sets (only the cells the file filled), in the spellings scoring reads. */
function rowTraits(row: ImportRow): Record<string, string> {
  const traits: Record<string, string> = {};
  const set = (key: string, value: string | null) => {
    if (value !== null) traits[key] = value;
  };
  set("name", row.name);
  set("company", row.company);
  set("role", row.role);
  set("country", row.country);
  set("seniority", row.seniority);
  set("industry", row.industry);
  set("company_size", row.companySize);
  return traits;
}

/**
 * Imports leads from a CRM export in ONE write transaction: rows are checked first (an invalid
 * row refuses the whole import unless `skipInvalid`), then new e-mails become leads and known
 * ones are updated (never duplicated; empty cells keep what the lead has), companies are made by
 * business e-mail domain, the fit rules score every row with the same `updateTraits` the identify
 * path uses (its ledger rows explain the points, and a lead whose fit crosses the threshold becomes
 * MQL), stages from the file are recorded in the stage history, and with `route` the MQLs without
 * an owner are routed by the routing rules. Any database failure rolls everything back.
 */
export async function importLeads(db: Database, input: LeadImportInput): Promise<LeadImportResult> {
  const { parsed, mapping, rows, errors } = await checkRows(db, input);
  const tooLarge = checkSize(parsed);
  if (tooLarge) return { ok: false, reason: "too_large", errors: [tooLarge] };
  if (mapping.email === undefined || (errors.length > 0 && !input.skipInvalid))
    return { ok: false, reason: "invalid_rows", errors };
  if (rows.length === 0) return { ok: false, reason: "no_rows", errors };
  const { siteId, now } = input;

  return withWriteTransaction(db, async (tx) => {
    const ruleSet = await publishedRuleSet(tx, siteId);
    let accepted = rows;
    const skippedErrors = [...errors];
    if (await siteHasEmailTombstones(tx, siteId)) {
      const erased = await erasedEmails(
        tx,
        siteId,
        rows.map((r) => r.email),
      );
      accepted = rows.filter((r) => !erased.has(r.email));
      for (const r of rows)
        if (erased.has(r.email))
          skippedErrors.push({ line: r.line, field: "email", message: "this person was erased" });
    }
    const existing = await leadsByEmails(
      tx,
      siteId,
      accepted.map((r) => r.email),
    );
    const companies = new Map<string, string | null>();
    for (const r of accepted) {
      const domain = emailDomain(r.email);
      if (domain && !isFreeMailDomain(domain, ruleSet.freeMailDomains ?? []) && !existing.get(r.email)?.companyId)
        companies.set(domain, companies.get(domain) ?? r.company);
    }
    const companyIds = await ensureCompanies(
      tx,
      siteId,
      [...companies].map(([domain, name]) => ({ domain, name })),
      now,
    );

    const creates: ImportLeadWrite[] = [];
    const updates: ImportLeadWrite[] = [];
    const ledgerOf = new Map<string, Omit<Parameters<typeof insertImportLedger>[1][number], "leadId">[]>();
    const changesOf = new Map<string, Omit<StageChangeRow, "leadId">[]>();
    for (const row of accepted) {
      const lead = existing.get(row.email);
      const traits = { ...(lead?.traits ?? {}), ...rowTraits(row) };
      let state: ScoreState = (lead?.scoreState as ScoreState | null) ?? initialState();
      const changes: Omit<StageChangeRow, "leadId">[] = [];
      const score = () => state.fit + state.engagement;
      if (row.stage && row.stage !== (lead?.stage ?? "lead")) state = { ...state, stage: row.stage };
      const scored = updateTraits(state, profileFromTraits(row.email, traits), ruleSet, now);
      state = scored.state;
      // The file's stage is a move like any other in the history (a new lead starts as "lead").
      const before = lead?.stage ?? "lead";
      if (row.stage && row.stage !== before)
        changes.push({
          siteId,
          fromStage: before,
          toStage: row.stage,
          actor: input.actor,
          reason: "import",
          at: now,
          score: score(),
        });
      if (scored.stageChange)
        changes.push({
          siteId,
          fromStage: scored.stageChange.from,
          toStage: scored.stageChange.to,
          actor: scored.stageChange.actor,
          reason: scored.stageChange.reason ?? null,
          at: scored.stageChange.at,
          score: scored.stageChange.score ?? score(),
        });
      changesOf.set(row.email, changes);
      ledgerOf.set(
        row.email,
        scored.ledger.map((e) => ({
          siteId,
          ruleId: e.ruleId,
          ruleVersion: e.ruleVersion,
          kind: e.kind,
          delta: e.delta,
          at: e.at,
          reason: e.reason,
        })),
      );
      const domain = emailDomain(row.email);
      const write: ImportLeadWrite = {
        email: row.email,
        name: row.name ?? lead?.name ?? null,
        companyId: lead?.companyId ?? (domain ? (companyIds.get(domain) ?? null) : null),
        role: row.role ?? lead?.role ?? null,
        traits,
        stage: state.stage,
        fitScore: state.fit,
        engagementScore: state.engagement,
        engagementSortKey: sortKey(state, ruleSet),
        scoredAt: state.engagementAt ?? state.lastAt,
        scoreState: state,
        ownerId: row.ownerId ?? lead?.ownerId ?? null,
        // Empty cells keep what an existing lead has; a new lead is warm and without a basis.
        acquisition: row.acquisition ?? lead?.acquisition ?? "warm",
        legalBasis: row.legalBasis ?? lead?.legalBasis ?? null,
        legalBasisAt:
          row.legalBasis !== null && row.legalBasis !== (lead?.legalBasis ?? null) ? now : (lead?.legalBasisAt ?? null),
      };
      if (lead) updates.push(write);
      else creates.push(write);
    }

    const ids = await upsertImportedLeads(tx, siteId, [...creates, ...updates], now);
    const idOf = (email: string) => ids.get(email) as number;
    await insertImportLedger(
      tx,
      [...ledgerOf].flatMap(([email, entries]) => entries.map((e) => ({ ...e, leadId: idOf(email) }))),
    );
    await recordStageChanges(
      tx,
      [...changesOf].flatMap(([email, changes]) => changes.map((c) => ({ ...c, leadId: idOf(email) }))),
      accepted.map((r) => idOf(r.email)),
    );

    const writes = [...creates, ...updates];
    const mqls: NewMql[] = writes
      .filter((w) => w.stage === "mql" && w.ownerId === null)
      .map((w) => ({ siteId, leadId: idOf(w.email), at: now, score: w.fitScore + w.engagementScore }));
    const routed = input.route ? await routeMqls(tx, mqls) : [];
    return {
      ok: true as const,
      created: creates.length,
      updated: updates.length,
      skipped: parsed.rows.length - accepted.length,
      mqls: writes.filter((w) => w.stage === "mql").length,
      routed: routed.filter((r) => r.decision.outcome === "assigned").length,
      errors: skippedErrors,
    };
  });
}
