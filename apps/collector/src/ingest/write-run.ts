import {
  claimLinkToken,
  type Database,
  type EventRow,
  findLinkEvent,
  insertEvents,
  loadLeads,
  moveEventToVisitor,
  type ScanEvent,
  type VisitorRow,
  visitorEvents,
} from "@leadtrail/db";
import { applyEvent, type Campaign, combinedScore, type RuleSet } from "@leadtrail/scoring";
import type { RuleSetCache } from "../scoring/rule-sets.ts";
import { type IdentifyContext, identifyLead } from "./identify-lead.ts";
import { recordLeadOrigin } from "./lead-origin.ts";
import { anonymousStateOf, scoringEventOf } from "./link-stitch.ts";
import { persistRun } from "./persist-run.ts";
import { type DimensionValue, RollupBatch, sourceDims } from "./rollups.ts";
import { ScoreBook, type VisitorSubject } from "./score-book.ts";
import { advanceVisit, applyVisitTracking, eventDimension, newVisitorRow, trackVisit } from "./visit-tracking.ts";
import type { VisitorCache, VisitorKey } from "./visitor-cache.ts";
import type {
  EventsOp,
  EventsResult,
  IdentifyOp,
  IdentifyResult,
  IngestOp,
  OpResult,
  VisitSource,
} from "./write-ops.ts";

// One write transaction's run through its ops, in order: load the browsers and leads involved,
// store the events (deduplicated by client id), then per op track visits, identify, and score
// every newly stored event for its lead (or its anonymous browser); finally persist it all. The
// jobs live beside it: visitor-cache.ts, visit-tracking.ts, identify-lead.ts, score-book.ts,
// persist-run.ts.

/** One transaction's worth of state; discarded after the commit. */
export class WriteRun {
  readonly #tx: Database;
  readonly #ruleSets: RuleSetCache;
  readonly #cache: VisitorCache;
  #visitors = new Map<string, VisitorRow>();
  /** Keys of the visitors stored before this transaction, with the lead they had then. */
  #storedLeadOf = new Map<string, number | null>();
  /** `site|visitor` keys of erased people's browsers: their events are dropped. */
  #erased = new Set<string>();
  readonly #rollups: RollupBatch;
  readonly #book: ScoreBook;
  /** Scans claimed by link tokens in this transaction, by the op that claimed them. */
  #stitches = new Map<IngestOp, ScanEvent>();
  /** Smallest event id inserted by this transaction: older ones were scored by earlier commits. */
  #firstNewEventId = Number.POSITIVE_INFINITY;
  stored = 0;
  sitesWithEvents = new Set<number>();
  firstEventAt = new Map<number, number>();
  /** After `execute`: every visitor row as it is stored now (for the cache, once committed). */
  visitorRows: VisitorRow[] = [];
  /** After `execute`: content touches written by this transaction (for the cache, once committed). */
  touchKeys: string[] = [];

  constructor(tx: Database, ruleSets: RuleSetCache, cache: VisitorCache) {
    this.#tx = tx;
    this.#ruleSets = ruleSets;
    this.#cache = cache;
    this.#rollups = new RollupBatch((siteId) => ruleSets.timeZone(siteId));
    this.#book = new ScoreBook(this.#rollups);
  }

  async execute(ops: IngestOp[]): Promise<OpResult[]> {
    const visitorKeys = new Map<string, VisitorKey>();
    for (const op of ops) {
      if (op.kind === "events" || op.visitorId) {
        const id = op.visitorId as string;
        visitorKeys.set(`${op.siteId}|${id}`, { siteId: op.siteId, id });
      }
      if (op.kind === "events" && op.stitch) {
        const scan = await this.#claimScan(op, op.stitch);
        if (scan) visitorKeys.set(`${op.siteId}|${scan.visitorId}`, { siteId: op.siteId, id: scan.visitorId });
      }
    }
    const loaded = await this.#cache.load(this.#tx, visitorKeys);
    this.#visitors = loaded.rows;
    this.#erased = loaded.erased;
    for (const [key, row] of this.#visitors) this.#storedLeadOf.set(key, row.leadId);
    const leadIds = new Set<number>();
    for (const v of this.#visitors.values()) if (v.leadId !== null) leadIds.add(v.leadId);
    for (const lead of (await loadLeads(this.#tx, [...leadIds])).values()) this.#book.addLead(lead);

    const rows: EventRow[] = [];
    for (const op of ops) {
      if (op.kind !== "events") continue;
      if (this.#erased.has(`${op.siteId}|${op.visitorId}`)) continue;
      const leadId = this.#visitors.get(`${op.siteId}|${op.visitorId}`)?.leadId ?? null;
      for (const e of op.events) rows.push({ ...e, siteId: op.siteId, visitorId: op.visitorId, leadId });
    }
    const inserted = await insertEvents(this.#tx, rows);
    for (const id of inserted.values()) this.#firstNewEventId = Math.min(this.#firstNewEventId, id);

    const results: OpResult[] = [];
    for (const op of ops) {
      results.push(op.kind === "events" ? await this.#events(op, inserted) : await this.#identifyOp(op));
    }

    const written = await persistRun(this.#tx, {
      visitors: this.#visitors,
      storedLeadOf: this.#storedLeadOf,
      book: this.#book,
      rollups: this.#rollups,
      ruleSetOf: (siteId) => this.#ruleSets.get(siteId),
      hasTouch: (key) => this.#cache.hasTouch(key),
    });
    this.visitorRows = written.visitorRows;
    this.touchKeys = written.touchKeys;
    return results;
  }

  async #events(op: EventsOp, inserted: Map<string, number>): Promise<EventsResult> {
    let accepted = 0;
    const dims = sourceDims(op.source);
    const scan = this.#stitches.get(op);
    if (scan) await this.#stitch(op, scan);
    for (const event of op.events) {
      const eventKey = `${op.siteId}|${event.clientId}`;
      const storedId = inserted.get(eventKey);
      if (storedId === undefined) continue;
      inserted.delete(eventKey); // a second copy later in this transaction is a duplicate
      accepted++;
      const at = event.receivedAt;
      const visitor = this.#visitorFor(op, at);
      const tracking = trackVisit(visitor, event, dims, this.#rollups);
      applyVisitTracking(visitor, at, dims, tracking, this.#rollups);
      if (!this.firstEventAt.has(op.siteId)) this.firstEventAt.set(op.siteId, at);
      this.sitesWithEvents.add(op.siteId);

      const pathDims: DimensionValue[] = event.path ? [["path", event.path]] : [];
      const ruleSet = this.#ruleSets.get(op.siteId);
      if (event.email && op.browserIdentify !== "off" && (event.type === "identify" || event.type === "form")) {
        await identifyLead(this.#identifyContext(ruleSet), {
          siteId: op.siteId,
          visitor,
          email: event.email,
          traits: event.traits ?? {},
          verified: op.browserIdentify === "trusted",
          at,
          country: op.source.country,
          dims: [...dims, ...pathDims],
        });
      }

      const subject = this.#book.subjectFor(visitor);
      const result = applyEvent(
        subject.state,
        {
          id: storedId,
          type: event.type,
          name: event.name ?? undefined,
          path: event.path ?? undefined,
          url: event.url ?? undefined,
          props: event.props as Record<string, string | number | boolean> | undefined,
          campaign: event.campaign ? (event.campaign as Campaign) : undefined,
          visitStart: tracking.visitStart,
          at,
        },
        ruleSet,
        at,
      );
      const eventDims: DimensionValue[] = event.type === "pageview" ? [] : [["event", eventDimension(event)]];
      this.#book.take(subject, result, storedId, visitor.id, [...dims, ...pathDims, ...eventDims]);
      if (subject.kind === "lead") subject.lastActivityAt = Math.max(subject.lastActivityAt ?? 0, at);
    }
    this.stored += accepted;
    return { accepted, duplicates: op.events.length - accepted };
  }

  async #identifyOp(op: IdentifyOp): Promise<IdentifyResult> {
    const visitor =
      op.visitorId && !this.#erased.has(`${op.siteId}|${op.visitorId}`)
        ? this.#visitorFor({ siteId: op.siteId, visitorId: op.visitorId }, op.at)
        : null;
    const dims = visitor ? sourceDims(visitor) : sourceDims({});
    const ruleSet = this.#ruleSets.get(op.siteId);
    const identified = await identifyLead(this.#identifyContext(ruleSet), {
      siteId: op.siteId,
      visitor,
      email: op.email,
      traits: op.traits,
      verified: true,
      at: op.at,
      country: op.country,
      dims,
    });
    if (!identified) return { leadId: 0, created: false, stage: "erased", score: 0, erased: true };
    const { subject, created } = identified;
    if (op.origin) await recordLeadOrigin(this.#tx, subject.lead.id, op.origin, op.at);
    return {
      leadId: subject.lead.id,
      created,
      stage: subject.state.stage,
      score: combinedScore(subject.state, ruleSet, op.at),
    };
  }

  #identifyContext(ruleSet: RuleSet): IdentifyContext {
    return { tx: this.#tx, ruleSet, book: this.#book, rollups: this.#rollups };
  }

  /**
   * A link token's scan, claimed (single use) for this op's visitor: undefined when the token was
   * used before, the event is gone, or the scan already belongs to this visitor.
   */
  async #claimScan(op: EventsOp, stitch: { eventId: string; expiresAt: number }): Promise<ScanEvent | undefined> {
    if (this.#stitches.size >= 100) return undefined; // a group commit never needs more
    // The receive time is the clock here, as everywhere in the write path (the demo loader replays history).
    const now = op.events[0]?.receivedAt ?? 0;
    const claim = { siteId: op.siteId, tokenId: stitch.eventId, expiresAt: stitch.expiresAt, now };
    if (!(await claimLinkToken(this.#tx, claim))) return undefined;
    const scan = await findLinkEvent(this.#tx, op.siteId, stitch.eventId);
    if (!scan || scan.visitorId === op.visitorId) return undefined;
    this.#stitches.set(op, scan);
    return scan;
  }

  /**
   * Moves a claimed scan from the cookieless visitor it was recorded for to the op's visitor,
   * before the op's own events (the scan happened first): the event row changes owner, its
   * ledger rows are deleted and it is scored again for the new owner (a lead when the browser is
   * known); the cookieless visitor's anonymous score is recomputed without it. The daily rollups
   * already counted the scan and its points; they are not counted again.
   */
  async #stitch(op: EventsOp, scan: ScanEvent): Promise<void> {
    const from = this.#visitors.get(`${op.siteId}|${scan.visitorId}`);
    // A scan of a browser that is a lead already belongs to someone: it stays.
    if (!from || from.leadId !== null || scan.leadId !== null) return;
    if (this.#erased.has(`${op.siteId}|${op.visitorId}`)) return;
    const to = this.#visitorFor(op, scan.receivedAt);
    await moveEventToVisitor(
      this.#tx,
      { siteId: op.siteId, id: scan.id, visitorId: from.id },
      { visitorId: to.id, leadId: to.leadId },
    );
    const ruleSet = this.#ruleSets.get(op.siteId);
    const remaining = (await visitorEvents(this.#tx, op.siteId, from.id)).filter((e) => e.id < this.#firstNewEventId);
    (this.#book.subjectFor(from) as VisitorSubject).state = anonymousStateOf(remaining, ruleSet);
    from.eventCount = Math.max(0, from.eventCount - 1);

    // The scan starts the new owner's visit, so its landing page view is not a second visit start.
    const at = scan.receivedAt;
    const { visitStart, visit } = advanceVisit(to, at);
    Object.assign(to, visit);
    const subject = this.#book.subjectFor(to);
    const result = applyEvent(subject.state, scoringEventOf(scan, visitStart), ruleSet, at);
    this.#book.take(subject, result, scan.id, to.id, sourceDims(to), false);
  }

  /** The visitor row of an op, created (with first-touch facts) when it is new. */
  #visitorFor(op: { siteId: number; visitorId: string; source?: VisitSource }, at: number): VisitorRow {
    const key = `${op.siteId}|${op.visitorId}`;
    let v = this.#visitors.get(key);
    if (!v) {
      v = newVisitorRow(op.siteId, op.visitorId, op.source, at);
      this.#visitors.set(key, v);
    }
    return v;
  }
}
