import {
  addDailyStats,
  addHourlyStats,
  attachVisitorHistory,
  claimLinkToken,
  type EventRow,
  type Executor,
  ensureCompany,
  findLeadByEmail,
  findLinkEvent,
  type IngestEvent,
  insertContentTouches,
  insertEvents,
  insertLead,
  insertLedger,
  insertVisitors,
  type LeadRow,
  type LedgerRow,
  loadLeads,
  loadVisitors,
  markFirstEvent,
  moveEventToVisitor,
  recordStageChanges,
  type ScanEvent,
  type StageChangeRow,
  saveLeadScores,
  setVisitorLeads,
  updateLeadProfile,
  updateVisitors,
  type VisitorRow,
  visitorEvents,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  applyEvent,
  type Campaign,
  combinedScore,
  type EngineResult,
  emailDomain,
  identify,
  initialState,
  isFreeMailDomain,
  profileFromTraits,
  type ScoreState,
  sortKey,
  updateTraits,
} from "@leadtrail/scoring";
import { erasedVisitorIds, isErasedEmail, type NewMql, routeMqls } from "@leadtrail/workflows";
import type { Client } from "@libsql/client";
import type { RuleSetCache } from "../scoring/rule-sets.ts";
import { attributeFirstTouch, type LeadOrigin, recordLeadOrigin } from "./lead-origin.ts";
import { anonymousStateOf, scoringEventOf } from "./link-stitch.ts";
import { LruMap } from "./lru.ts";
import { type DimensionValue, leadsToRefresh, RollupBatch, sourceDims } from "./rollups.ts";

/** A visit starts after this much inactivity (the usual analytics definition). */
export const VISIT_GAP_MS = 30 * 60_000;
const HOUR_MS = 3_600_000;

/** Where a request's visit came from, and on what device: first touch for new visitors, rollup dimensions. */
export interface VisitSource {
  referrerDomain: string | null;
  channel: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  clickId: string | null;
  landingPath: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
}

/** An event as the collector stores and scores it; identify and form events may name the visitor. */
export interface CollectorEvent extends IngestEvent {
  email?: string;
  traits?: Record<string, string>;
}

/** Work for the write path; one per request. */
export type IngestOp =
  | {
      kind: "events";
      siteId: number;
      visitorId: string;
      source: VisitSource;
      events: CollectorEvent[];
      /** Browser identify: mark leads it creates as unverified, or ignore it ("off"). */
      browserIdentify: "trusted" | "unverified" | "off";
      /** A verified link token: move that scan to this visitor first (ingest/link-token.ts). */
      stitch?: { eventId: string; expiresAt: number };
    }
  | {
      kind: "identify";
      siteId: number;
      visitorId: string | null;
      email: string;
      traits: Record<string, string>;
      at: number;
      country: string | null;
      /** Acquisition and legal basis stated by the caller (POST /v1/identify). */
      origin?: LeadOrigin;
    };

export interface EventsResult {
  accepted: number;
  duplicates: number;
}

export interface IdentifyResult {
  leadId: number;
  created: boolean;
  stage: string;
  score: number;
  /** The e-mail belongs to an erased person: nothing was stored. */
  erased?: true;
}

export type OpResult = EventsResult | IdentifyResult;

export interface IngestWriterOptions {
  client: Client;
  ruleSets: RuleSetCache;
  /** Called with the number of events stored after each commit (metrics). */
  onCommit?: (stored: number) => void;
  /**
   * Visitors kept in memory after a commit, so the next events of a visitor need no read
   * (default 20,000 ≈ 20–40 MB; 0 turns the cache off).
   */
  visitorCacheSize?: number;
  /** (site, path, visitor) content touches remembered as stored, so they are not written again (default 50,000). */
  touchCacheSize?: number;
}

/**
 * A commit found visitor rows changed by another writer since this collector cached them (their
 * `version` moved on): the transaction is rolled back and run again with those rows read afresh.
 */
export class StaleVisitorsError extends Error {
  constructor(readonly keys: string[]) {
    super(`${keys.length} cached visitor row(s) changed by another writer`);
  }
}

/** How often a group is re-run after a StaleVisitorsError before the error goes to the requests. */
const STALE_RETRIES = 2;

/**
 * The group-commit write function: many requests' ops in ONE write transaction. It reads the
 * visitors and leads involved, stores events (deduplicated by client id), scores every newly
 * stored event with packages/scoring for its lead (or its anonymous visitor), handles identify,
 * and writes visitors, leads, ledger, stage changes and the daily rollups — a fixed handful of
 * set-based statements per transaction, however many events it holds. Returns one result per op.
 *
 * Visitors are cached between commits (bounded, least recently used out first): a returning
 * visitor's row — counters, visit state and anonymous score state — is taken from memory instead
 * of being read and parsed again. The cache is safe with other writers (a second collector on the
 * same database) because every visitor update is conditional on the row's `version` still being
 * the cached one; a mismatch rolls the whole transaction back and runs it again with the rows of
 * that group read from the database. Leads are always read in the transaction: sales changes
 * their stage from the dashboard, and the stored stage is the truth scoring continues from.
 */
export function createIngestWriter(options: IngestWriterOptions) {
  const markedSites = new Set<number>();
  const visitors = new LruMap<string, VisitorRow>(options.visitorCacheSize ?? 20_000);
  const touches = new LruMap<string, true>(options.touchCacheSize ?? 50_000);
  return async function writeOps(ops: IngestOp[]): Promise<OpResult[]> {
    await options.ruleSets.prepare(ops.map((op) => op.siteId));
    for (let attempt = 0; ; attempt++) {
      try {
        return await writeOnce(ops);
      } catch (error) {
        if (!(error instanceof StaleVisitorsError) || attempt >= STALE_RETRIES) throw error;
        for (const key of error.keys) visitors.delete(key);
      }
    }
  };

  async function writeOnce(ops: IngestOp[]): Promise<OpResult[]> {
    let run: WriteRun | undefined;
    const results = await withWriteTransaction(options.client, async (tx) => {
      run = new WriteRun(tx, options.ruleSets, visitors, touches);
      const out = await run.execute(ops);
      for (const siteId of run.sitesWithEvents) {
        if (!markedSites.has(siteId)) await markFirstEvent(tx, siteId, run.firstEventAt.get(siteId) ?? Date.now());
      }
      return out;
    });
    // Committed: what this transaction wrote is now what the database holds.
    const done = run as WriteRun;
    for (const row of done.visitorRows) visitors.set(`${row.siteId}|${row.id}`, row);
    for (const key of done.touchKeys) touches.set(key, true);
    for (const op of ops) if (op.kind === "events") markedSites.add(op.siteId);
    options.onCommit?.(done.stored);
    return results;
  }
}

interface LeadSubject {
  kind: "lead";
  lead: LeadRow;
  state: ScoreState;
  lastActivityAt: number | null;
}

interface VisitorSubject {
  kind: "visitor";
  visitor: VisitorRow;
  state: ScoreState;
}

type Subject = LeadSubject | VisitorSubject;

/** One transaction's worth of state; discarded after the commit. */
class WriteRun {
  readonly #tx: Executor;
  readonly #ruleSets: RuleSetCache;
  readonly #visitorCache: LruMap<string, VisitorRow>;
  readonly #touchCache: LruMap<string, true>;
  #visitors = new Map<string, VisitorRow>();
  /** Keys of the visitors stored before this transaction, with the lead they had then. */
  #storedLeadOf = new Map<string, number | null>();
  #leads = new Map<number, LeadSubject>();
  #visitorSubjects = new Map<string, VisitorSubject>();
  #dirtyLeads = new Set<number>();
  #ledger: LedgerRow[] = [];
  #stageChanges: StageChangeRow[] = [];
  /** Leads that became MQL in this transaction: routed before the commit. */
  #mqls: NewMql[] = [];
  /** Scans claimed by link tokens in this transaction, by the op that claimed them. */
  #stitches = new Map<IngestOp, ScanEvent>();
  /** Smallest event id inserted by this transaction: older ones were scored by earlier commits. */
  #firstNewEventId = Number.POSITIVE_INFINITY;
  /** `site|visitor` keys of erased people's browsers: their events are dropped. */
  #erased = new Set<string>();
  #rollups: RollupBatch;
  stored = 0;
  sitesWithEvents = new Set<number>();
  firstEventAt = new Map<number, number>();
  /** After `execute`: every visitor row as it is stored now (for the cache, once committed). */
  visitorRows: VisitorRow[] = [];
  /** After `execute`: content touches written by this transaction (for the cache, once committed). */
  touchKeys: string[] = [];

  constructor(
    tx: Executor,
    ruleSets: RuleSetCache,
    visitorCache: LruMap<string, VisitorRow>,
    touchCache: LruMap<string, true>,
  ) {
    this.#tx = tx;
    this.#ruleSets = ruleSets;
    this.#visitorCache = visitorCache;
    this.#touchCache = touchCache;
    this.#rollups = new RollupBatch((siteId) => ruleSets.timeZone(siteId));
  }

  async execute(ops: IngestOp[]): Promise<OpResult[]> {
    const visitorKeys = new Map<string, { siteId: number; id: string }>();
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
    // Cached rows are copied: this transaction may still roll back, and the cache must keep what
    // is committed. (The score state inside is never mutated — the engine returns new states.)
    const misses: { siteId: number; id: string }[] = [];
    for (const [key, k] of visitorKeys) {
      const cached = this.#visitorCache.get(key);
      if (cached) this.#visitors.set(key, { ...cached });
      else misses.push(k);
    }
    for (const [key, row] of await loadVisitors(this.#tx, misses)) this.#visitors.set(key, row);
    await this.#findErased(misses);
    for (const [key, row] of this.#visitors) this.#storedLeadOf.set(key, row.leadId);
    const leadIds = new Set<number>();
    for (const v of this.#visitors.values()) if (v.leadId !== null) leadIds.add(v.leadId);
    for (const lead of (await loadLeads(this.#tx, [...leadIds])).values()) this.#addLead(lead);

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

    await this.#saveVisitors();
    await saveLeadScores(
      this.#tx,
      [...this.#dirtyLeads].map((id) => {
        const s = this.#leads.get(id) as LeadSubject;
        const ruleSet = this.#ruleSets.get(s.lead.siteId);
        return {
          id,
          engagementScore: s.state.engagement,
          engagementSortKey: sortKey(s.state, ruleSet),
          fitScore: s.state.fit,
          scoredAt: s.state.engagementAt ?? s.state.lastAt,
          scoreState: s.state,
          stage: s.state.stage,
          lastActivityAt: s.lastActivityAt,
        };
      }),
    );
    await insertLedger(this.#tx, this.#ledger);
    await addDailyStats(this.#tx, this.#rollups.deltas());
    await addHourlyStats(this.#tx, this.#rollups.hourly());
    const touches = this.#rollups.touches().filter((t) => this.#touchCache.get(t.key) === undefined);
    await insertContentTouches(this.#tx, touches);
    this.touchKeys = touches.map((t) => t.key);
    await recordStageChanges(
      this.#tx,
      this.#stageChanges,
      leadsToRefresh({
        visitors: this.#visitors,
        storedLeadOf: this.#storedLeadOf,
        leadIds: this.#leads.keys(),
        touches,
      }),
    );
    // Only a commit in which a lead became MQL does any routing work.
    if (this.#mqls.length > 0) await routeMqls(this.#tx, this.#mqls);
    return results;
  }

  /**
   * Browsers that are not stored (new, or deleted by an erase) may belong to an erased person:
   * their tombstones are looked up once per transaction, only for those visitors.
   */
  async #findErased(misses: readonly { siteId: number; id: string }[]): Promise<void> {
    const unknownBySite = new Map<number, string[]>();
    for (const k of misses) {
      if (this.#visitors.has(`${k.siteId}|${k.id}`)) continue;
      const list = unknownBySite.get(k.siteId) ?? [];
      list.push(k.id);
      unknownBySite.set(k.siteId, list);
    }
    for (const [siteId, ids] of unknownBySite) {
      for (const id of await erasedVisitorIds(this.#tx, siteId, ids)) this.#erased.add(`${siteId}|${id}`);
    }
  }

  /**
   * New visitors are inserted whole; stored ones get their hot columns written, conditional on
   * their version (a cached row another writer has changed since fails the check and the whole
   * transaction is re-run with fresh rows); a changed lead is written on its own.
   */
  async #saveVisitors(): Promise<void> {
    const inserts: VisitorRow[] = [];
    const updates: VisitorRow[] = [];
    const leadChanges: VisitorRow[] = [];
    for (const [key, v] of this.#visitors) {
      const subject = this.#visitorSubjects.get(key);
      if (subject) {
        v.scoreState = subject.state;
        v.engagementScore = subject.state.engagement;
      }
      const storedLead = this.#storedLeadOf.get(key);
      if (storedLead === undefined) inserts.push(v);
      else {
        updates.push(v);
        if (storedLead !== v.leadId) leadChanges.push(v);
      }
    }
    await insertVisitors(this.#tx, inserts);
    const updated = await updateVisitors(this.#tx, updates);
    if (updated !== updates.length) throw new StaleVisitorsError(updates.map((v) => `${v.siteId}|${v.id}`));
    await setVisitorLeads(this.#tx, leadChanges);
    for (const v of inserts) v.version = 1;
    for (const v of updates) v.version++;
    this.visitorRows = [...inserts, ...updates];
  }

  async #events(op: Extract<IngestOp, { kind: "events" }>, inserted: Map<string, number>): Promise<EventsResult> {
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
      const visitStart = this.#track(visitor, event, dims);
      if (!this.firstEventAt.has(op.siteId)) this.firstEventAt.set(op.siteId, at);
      this.sitesWithEvents.add(op.siteId);

      const pathDims: DimensionValue[] = event.path ? [["path", event.path]] : [];
      if (event.email && op.browserIdentify !== "off" && (event.type === "identify" || event.type === "form")) {
        await this.#identify({
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

      const subject = this.#subjectFor(visitor);
      const ruleSet = this.#ruleSets.get(op.siteId);
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
          visitStart,
          at,
        },
        ruleSet,
        at,
      );
      const eventDims: DimensionValue[] =
        event.type === "pageview" ? [] : [["event", `${event.type}:${event.name ?? ""}`.slice(0, 300)]];
      this.#take(subject, result, storedId, visitor.id, [...dims, ...pathDims, ...eventDims]);
      if (subject.kind === "lead") subject.lastActivityAt = Math.max(subject.lastActivityAt ?? 0, at);
    }
    this.stored += accepted;
    return { accepted, duplicates: op.events.length - accepted };
  }

  async #identifyOp(op: Extract<IngestOp, { kind: "identify" }>): Promise<IdentifyResult> {
    const visitor =
      op.visitorId && !this.#erased.has(`${op.siteId}|${op.visitorId}`)
        ? this.#visitorFor({ ...op, visitorId: op.visitorId, source: undefined }, op.at)
        : null;
    const dims = visitor ? sourceDims(visitor) : sourceDims({});
    const identified = await this.#identify({
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
    const ruleSet = this.#ruleSets.get(op.siteId);
    return {
      leadId: subject.lead.id,
      created,
      stage: subject.state.stage,
      score: combinedScore(subject.state, ruleSet, op.at),
    };
  }

  /**
   * A link token's scan, claimed (single use) for this op's visitor: undefined when the token was
   * used before, the event is gone, or the scan already belongs to this visitor.
   */
  async #claimScan(
    op: Extract<IngestOp, { kind: "events" }>,
    stitch: { eventId: string; expiresAt: number },
  ): Promise<ScanEvent | undefined> {
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
  async #stitch(op: Extract<IngestOp, { kind: "events" }>, scan: ScanEvent): Promise<void> {
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
    (this.#subjectFor(from) as VisitorSubject).state = anonymousStateOf(remaining, ruleSet);
    from.eventCount = Math.max(0, from.eventCount - 1);

    // The scan starts the new owner's visit, so its landing page view is not a second visit start.
    const at = scan.receivedAt;
    const visitStart = to.visitStartedAt === null || at - to.lastSeenAt > VISIT_GAP_MS;
    if (visitStart) {
      to.visitStartedAt = at;
      to.visitPageviews = 0;
    }
    to.lastSeenAt = Math.max(to.lastSeenAt, at);
    to.eventCount++;
    const subject = this.#subjectFor(to);
    const result = applyEvent(subject.state, scoringEventOf(scan, visitStart), ruleSet, at);
    this.#take(subject, result, scan.id, to.id, sourceDims(to), false);
  }

  /**
   * Identify: find or create the lead (and its company, by e-mail domain), attach the visitor,
   * fold the visitor's anonymous score into the lead and hand its ledger rows and events over,
   * then recompute fit from the merged profile. Any of these can make the lead an MQL at once.
   */
  async #identify(input: {
    siteId: number;
    visitor: VisitorRow | null;
    email: string;
    traits: Record<string, string>;
    verified: boolean;
    at: number;
    country: string | null;
    dims: DimensionValue[];
  }): Promise<{ subject: LeadSubject; created: boolean } | undefined> {
    const { siteId, visitor, traits, at } = input;
    const email = input.email.trim().toLowerCase();
    const ruleSet = this.#ruleSets.get(siteId);
    let lead = this.#leadByEmail(siteId, email)?.lead ?? (await findLeadByEmail(this.#tx, siteId, email));
    let created = false;
    const domain = emailDomain(email);
    const business = domain !== undefined && !isFreeMailDomain(domain, ruleSet.freeMailDomains ?? []);
    const companyName = traits.company ?? null;
    if (!lead) {
      // An erased person is not created again (checked only when a lead would be created).
      if (await isErasedEmail(this.#tx, siteId, email)) return undefined;
      const companyId =
        business && domain ? await ensureCompany(this.#tx, { siteId, domain, name: companyName, createdAt: at }) : null;
      lead = await insertLead(this.#tx, {
        siteId,
        email,
        name: personName(traits),
        companyId,
        role: roleOf(traits),
        traits,
        unverified: !input.verified,
        createdAt: at,
      });
      created = true;
      await attributeFirstTouch(this.#tx, lead, visitor);
      this.#rollups.add(siteId, at, input.dims, { leads: 1 });
    } else {
      const profile = {
        ...lead,
        name: personName(traits) ?? lead.name,
        role: roleOf(traits) ?? lead.role,
        traits: { ...lead.traits, ...traits },
        unverified: lead.unverified && !input.verified,
        companyId:
          lead.companyId ??
          (business && domain
            ? await ensureCompany(this.#tx, { siteId, domain, name: companyName, createdAt: at })
            : null),
      };
      await updateLeadProfile(this.#tx, profile);
      lead = profile;
    }
    const subject = this.#leads.get(lead.id) ?? this.#addLead(lead);
    subject.lead = lead;
    subject.lastActivityAt = Math.max(subject.lastActivityAt ?? 0, at);
    // The engine's clock is the receive time: replayed history (the demo loader) scores as it happened.
    const now = at;

    if (visitor && visitor.leadId !== lead.id) {
      if (visitor.leadId === null) {
        const anonymous = this.#subjectFor(visitor) as VisitorSubject;
        this.#take(subject, identify(subject.state, anonymous.state, ruleSet, now), null, visitor.id, input.dims);
        // The anonymous score now lives in the lead; the visitor starts from zero should it ever
        // be identified as someone else (a shared computer), so nothing counts twice.
        anonymous.state = initialState({ anonymous: true });
        for (const row of this.#ledger) {
          if (row.siteId === siteId && row.visitorId === visitor.id && row.leadId === null) row.leadId = lead.id;
        }
        await attachVisitorHistory(this.#tx, siteId, visitor.id, lead.id);
      }
      visitor.leadId = lead.id;
    }
    const profile = profileFromTraits(email, lead.traits, input.country);
    this.#take(subject, updateTraits(subject.state, profile, ruleSet, now), null, visitor?.id ?? null, input.dims);
    return { subject, created };
  }

  /** Applies an engine result: state, ledger rows, stage change, points and MQL rollups. */
  #take(
    subject: Subject,
    result: EngineResult,
    eventId: number | null,
    visitorId: string | null,
    dims: DimensionValue[],
    countPoints = true,
  ) {
    subject.state = result.state;
    const siteId = subject.kind === "lead" ? subject.lead.siteId : subject.visitor.siteId;
    const leadId = subject.kind === "lead" ? subject.lead.id : null;
    if (subject.kind === "lead") this.#dirtyLeads.add(subject.lead.id);
    let points = 0;
    for (const entry of result.ledger) {
      this.#ledger.push({
        siteId,
        leadId,
        visitorId,
        eventId,
        ruleId: entry.ruleId,
        ruleVersion: entry.ruleVersion,
        kind: entry.kind,
        delta: entry.delta,
        at: entry.at,
        reason: entry.reason,
      });
      if (entry.kind === "engagement" && entry.reason === "event") points += entry.delta;
    }
    const at = result.ledger[0]?.at ?? result.stageChange?.at;
    if (countPoints && points !== 0 && at !== undefined) this.#rollups.add(siteId, at, dims, { points });
    const change = result.stageChange;
    if (change && leadId !== null) {
      this.#stageChanges.push({
        siteId,
        leadId,
        fromStage: change.from,
        toStage: change.to,
        actor: change.actor,
        reason: change.reason,
        at: change.at,
        score: change.score,
      });
      if (change.to === "mql") {
        this.#rollups.add(siteId, change.at, dims, { mqls: 1 });
        this.#mqls.push({ siteId, leadId, at: change.at, score: change.score });
      }
    }
  }

  /**
   * Visit bookkeeping and the event's own rollups. Returns whether the event starts a visit.
   * Bounces and exits are kept exact incrementally: a visit's first page view counts as a bounce
   * and an exit; its second takes the bounce back; every later one moves the exit along.
   */
  #track(v: VisitorRow, event: CollectorEvent, dims: DimensionValue[]): boolean {
    const at = event.receivedAt;
    const rollups = this.#rollups;
    const visitStart = v.visitStartedAt === null || at - v.lastSeenAt > VISIT_GAP_MS;
    const newToday = v.eventCount === 0 || rollups.dayOf(v.siteId, v.lastSeenAt) !== rollups.dayOf(v.siteId, at);
    if (newToday) rollups.add(v.siteId, at, dims, { visitors: 1 });
    if (v.eventCount === 0 || Math.floor(v.lastSeenAt / HOUR_MS) !== Math.floor(at / HOUR_MS)) {
      rollups.addHourlyVisitor(v.siteId, at, dims);
    }
    if (visitStart) {
      v.visitStartedAt = at;
      v.visitPageviews = 0;
      rollups.add(v.siteId, at, dims, { visits: 1 });
      if (event.path) rollups.add(v.siteId, at, [["landing", event.path]], { visits: 1 });
    }
    v.lastSeenAt = Math.max(v.lastSeenAt, at);
    v.eventCount++;

    const isPageview = event.type === "pageview";
    const scroll = event.scrollDepth ?? null;
    const counters = {
      pageviews: isPageview ? 1 : 0,
      events: 1,
      engagedMs: event.engagedMs ?? 0,
      scrollSum: scroll ?? 0,
      scrollCount: scroll === null ? 0 : 1,
    };
    rollups.add(v.siteId, at, dims, counters);
    if (event.path) rollups.add(v.siteId, at, [["path", event.path]], counters);
    if (!isPageview)
      rollups.add(v.siteId, at, [["event", `${event.type}:${event.name ?? ""}`.slice(0, 300)]], { events: 1 });
    if (isPageview && event.path) {
      const visitDay = v.visitStartedAt ?? at;
      if (v.visitPageviews === 0) {
        rollups.add(v.siteId, visitDay, [...dims, ["landing", event.path]], { bounces: 1 });
        rollups.add(v.siteId, visitDay, [["exit", event.path]], { visits: 1 });
      } else {
        if (v.visitPageviews === 1 && v.lastPath) {
          rollups.add(v.siteId, visitDay, [...dims, ["landing", v.lastPath]], { bounces: -1 });
        }
        if (v.lastPath) rollups.add(v.siteId, visitDay, [["exit", v.lastPath]], { visits: -1 });
        rollups.add(v.siteId, visitDay, [["exit", event.path]], { visits: 1 });
      }
      v.visitPageviews++;
      v.lastPath = event.path;
      rollups.touch(v.siteId, event.path, v.id, at);
    }
    return visitStart;
  }

  /** The visitor row of an op, created (with first-touch facts) when it is new. */
  #visitorFor(op: { siteId: number; visitorId: string; source?: VisitSource }, at: number): VisitorRow {
    const key = `${op.siteId}|${op.visitorId}`;
    let v = this.#visitors.get(key);
    if (!v) {
      const s = op.source;
      v = {
        siteId: op.siteId,
        id: op.visitorId,
        leadId: null,
        firstSeenAt: at,
        lastSeenAt: at,
        referrerDomain: s?.referrerDomain ?? null,
        channel: s?.channel ?? null,
        utmSource: s?.utmSource ?? null,
        utmMedium: s?.utmMedium ?? null,
        utmCampaign: s?.utmCampaign ?? null,
        landingPath: s?.landingPath ?? null,
        clickId: s?.clickId ?? null,
        browser: s?.browser ?? null,
        os: s?.os ?? null,
        device: s?.device ?? null,
        country: s?.country ?? null,
        eventCount: 0,
        visitStartedAt: null,
        visitPageviews: 0,
        lastPath: null,
        engagementScore: 0,
        scoreState: null,
        version: 0,
      };
      this.#visitors.set(key, v);
    }
    return v;
  }

  #subjectFor(v: VisitorRow): Subject {
    if (v.leadId !== null) {
      const lead = this.#leads.get(v.leadId);
      if (lead) return lead;
    }
    const key = `${v.siteId}|${v.id}`;
    let subject = this.#visitorSubjects.get(key);
    if (!subject) {
      subject = { kind: "visitor", visitor: v, state: asState(v.scoreState) ?? initialState({ anonymous: true }) };
      this.#visitorSubjects.set(key, subject);
    }
    return subject;
  }

  #addLead(lead: LeadRow): LeadSubject {
    let state = asState(lead.scoreState) ?? initialState();
    // Sales moves the stage column from the dashboard; it is the truth the engine continues from.
    if (state.stage !== lead.stage) state = { ...state, stage: lead.stage as ScoreState["stage"] };
    const subject: LeadSubject = { kind: "lead", lead, state, lastActivityAt: lead.lastActivityAt };
    this.#leads.set(lead.id, subject);
    return subject;
  }

  #leadByEmail(siteId: number, email: string): LeadSubject | undefined {
    for (const s of this.#leads.values()) if (s.lead.siteId === siteId && s.lead.email === email) return s;
    return undefined;
  }
}

function asState(value: unknown): ScoreState | undefined {
  return value && typeof value === "object" && (value as { v?: unknown }).v === 1 ? (value as ScoreState) : undefined;
}

function personName(traits: Record<string, string>): string | null {
  if (traits.name) return traits.name;
  const full = [traits.first_name ?? traits.firstName, traits.last_name ?? traits.lastName].filter(Boolean).join(" ");
  return full || null;
}

function roleOf(traits: Record<string, string>): string | null {
  return profileFromTraits("", traits).role ?? null;
}
