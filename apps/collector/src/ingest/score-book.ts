import type { LeadRow, LeadScoreRow, LedgerRow, StageChangeRow, VisitorRow } from "@leadtrail/db";
import { type EngineResult, initialState, type RuleSet, type ScoreState } from "@leadtrail/scoring";
import { ledgerRow, type NewMql, scoreRow, scoreStateOf, stageChangeRow, storedState } from "@leadtrail/workflows";
import type { DimensionValue, RollupBatch } from "./rollups.ts";

// One write transaction's scoring: who is scored (a lead, or an anonymous browser) with the state
// the engine continues from, and the rows the engine's results become — ledger rows, stage
// changes, leads' score columns, the MQLs to route — plus the points and MQL rollups they count.
// The row shapes are the ones every other writer uses (@leadtrail/workflows score-rows).

/** A lead being scored in this transaction. */
export interface LeadSubject {
  kind: "lead";
  lead: LeadRow;
  state: ScoreState;
  lastActivityAt: number | null;
}

/** An anonymous browser being scored in this transaction. */
export interface VisitorSubject {
  kind: "visitor";
  visitor: VisitorRow;
  state: ScoreState;
}

export type Subject = LeadSubject | VisitorSubject;

/** Subjects and the rows of their engine results, for one transaction. */
export class ScoreBook {
  readonly #rollups: RollupBatch;
  readonly #leads = new Map<number, LeadSubject>();
  readonly #visitors = new Map<string, VisitorSubject>();
  readonly #dirtyLeads = new Set<number>();
  readonly ledger: LedgerRow[] = [];
  readonly stageChanges: StageChangeRow[] = [];
  /** Leads that became MQL in this transaction: routed before the commit. */
  readonly mqls: NewMql[] = [];

  constructor(rollups: RollupBatch) {
    this.#rollups = rollups;
  }

  /** Ids of every lead worked on in this transaction. */
  leadIds(): IterableIterator<number> {
    return this.#leads.keys();
  }

  lead(id: number): LeadSubject | undefined {
    return this.#leads.get(id);
  }

  /** Starts scoring a stored lead from its stored state (the stage column is the truth). */
  addLead(lead: LeadRow): LeadSubject {
    const subject: LeadSubject = { kind: "lead", lead, state: storedState(lead), lastActivityAt: lead.lastActivityAt };
    this.#leads.set(lead.id, subject);
    return subject;
  }

  /** A lead already worked on in this transaction, by its (normalised) e-mail. */
  leadByEmail(siteId: number, email: string): LeadSubject | undefined {
    for (const s of this.#leads.values()) if (s.lead.siteId === siteId && s.lead.email === email) return s;
    return undefined;
  }

  /** Whom a browser's events score: its lead when it has one, else the browser itself. */
  subjectFor(v: VisitorRow): Subject {
    if (v.leadId !== null) {
      const lead = this.#leads.get(v.leadId);
      if (lead) return lead;
    }
    const key = `${v.siteId}|${v.id}`;
    let subject = this.#visitors.get(key);
    if (!subject) {
      subject = { kind: "visitor", visitor: v, state: scoreStateOf(v.scoreState) ?? initialState({ anonymous: true }) };
      this.#visitors.set(key, subject);
    }
    return subject;
  }

  /**
   * Applies an engine result: state, ledger rows, stage change, points and MQL rollups. `countPoints`
   * is false when the rollups counted these points before (a stitched scan).
   */
  take(
    subject: Subject,
    result: EngineResult,
    eventId: number | null,
    visitorId: string | null,
    dims: DimensionValue[],
    countPoints = true,
  ): void {
    subject.state = result.state;
    const siteId = subject.kind === "lead" ? subject.lead.siteId : subject.visitor.siteId;
    const leadId = subject.kind === "lead" ? subject.lead.id : null;
    if (subject.kind === "lead") this.#dirtyLeads.add(subject.lead.id);
    let points = 0;
    if (result.ledger.length > 0) {
      const owner = { siteId, leadId, visitorId, eventId };
      for (const entry of result.ledger) {
        this.ledger.push(ledgerRow(owner, entry));
        if (entry.kind === "engagement" && entry.reason === "event") points += entry.delta;
      }
    }
    const at = result.ledger[0]?.at ?? result.stageChange?.at;
    if (countPoints && points !== 0 && at !== undefined) this.#rollups.add(siteId, at, dims, { points });
    const change = result.stageChange;
    if (change && leadId !== null) {
      this.stageChanges.push(stageChangeRow(siteId, leadId, change));
      if (change.to === "mql") {
        this.#rollups.add(siteId, change.at, dims, { mqls: 1 });
        this.mqls.push({ siteId, leadId, at: change.at, score: change.score });
      }
    }
  }

  /**
   * Identify: the browser's anonymous score has been folded into `leadId`. The browser starts from
   * zero should it ever be identified as someone else (a shared computer), so nothing counts twice,
   * and its ledger rows of this transaction now name the lead.
   */
  handOver(anonymous: VisitorSubject, leadId: number): void {
    anonymous.state = initialState({ anonymous: true });
    const { siteId, id } = anonymous.visitor;
    for (const row of this.ledger) {
      if (row.siteId === siteId && row.visitorId === id && row.leadId === null) row.leadId = leadId;
    }
  }

  /** Copies anonymous browsers' scores into their rows before the rows are stored. */
  scoreVisitorRows(visitors: ReadonlyMap<string, VisitorRow>): void {
    for (const [key, v] of visitors) {
      const subject = this.#visitors.get(key);
      if (subject) {
        v.scoreState = subject.state;
        v.engagementScore = subject.state.engagement;
      }
    }
  }

  /** The score columns of every lead whose score or stage changed. */
  leadScoreRows(ruleSetOf: (siteId: number) => RuleSet): LeadScoreRow[] {
    return [...this.#dirtyLeads].map((id) => {
      const s = this.#leads.get(id) as LeadSubject;
      return scoreRow({ id, lastActivityAt: s.lastActivityAt }, s.state, ruleSetOf(s.lead.siteId));
    });
  }
}
