// Personas and nurturing wired to the database (the article's phases 2 and 4): every lead is matched
// to its best persona again whenever its profile or behaviour changes, its nurture progress follows
// what it reads (an offered step converts when the lead consumes the content), and a step that comes
// due is offered — as a `lead.nurture_step_due` webhook for the company's e-mail tool, or on the
// website through the collector's next-content endpoint. The decisions are @leadtrail/nurture's pure
// functions; this module only loads their inputs and stores their results.
import {
  type ContentItemRecord,
  type Database,
  type Executor,
  insertOutbox,
  type Lead,
  listContentItems,
  listNurtureTracks,
  listPersonas,
  loadNurtureInputs,
  type NewOutboxRow,
  type NurtureInputRow,
  type NurtureTrackRecord,
  nurtureCandidates,
  nurtureReportRows,
  nurtureSiteIds,
  type PersonaRecord,
  saveLeadNurture,
  setLeadPersonas,
  visitorNurtureFacts,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  type ContentItem,
  consumption,
  contentHref,
  cookielessDefault,
  emptyProgress,
  markConsumed,
  markOffered,
  matchPersona,
  type NextBest,
  type NurtureProgress,
  type NurtureTrack,
  nextBestContent,
  type Persona,
  type PersonaCriteria,
  type PersonaEvaluation,
  type TrackReport,
  trackReport,
  validateCatalogue,
  validatePersonas,
  validateTracks,
} from "@leadtrail/nurture";
import { currentScore, type Stage } from "@leadtrail/scoring";
import { isContactable } from "./contactable.ts";
import { loadLeadSummary, webhookBody } from "./payloads.ts";
import { profileOf, siteRuleVersions } from "./rescore.ts";

/** A site's personas, catalogue and tracks as the nurture package sees them, plus their rows. */
export interface SiteNurture {
  siteId: number;
  personas: Persona[];
  catalogue: ContentItem[];
  tracks: NurtureTrack[];
  personaRows: Map<string, PersonaRecord>;
  items: Map<string, ContentItemRecord>;
  trackRows: Map<string, NurtureTrackRecord>;
  halfLifeDays: number | null;
  /** `https://<first domain>` for turning site paths into links an e-mail can carry; null without one. */
  origin: string | null;
}

// Rows come from the dashboard's validated editors, but a row written by an older version (or by
// hand) must not stop nurturing for the whole site: each is checked alone and skipped when invalid.
function valid<T>(check: (input: unknown) => { ok: boolean; value?: T[] }, value: T): boolean {
  return check([value]).ok;
}

/** Converts stored persona rows to the package's personas (id = the row id as text). */
export function personaOf(row: PersonaRecord): Persona {
  return {
    id: String(row.id),
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    criteria: row.criteria as PersonaCriteria,
    ...(Object.keys(row.weights).length > 0 ? { weights: row.weights } : {}),
    minMatch: row.minMatch,
    ...(row.defaultContentKey ? { defaultContentId: row.defaultContentKey } : {}),
    enabled: row.enabled,
  };
}

/** Converts a stored catalogue row to the package's content item (id = the key). */
export function contentItemOf(row: ContentItemRecord): ContentItem {
  return {
    id: row.key,
    ...(row.title ? { title: row.title } : {}),
    kind: row.kind as ContentItem["kind"],
    topics: row.topics,
    match: row.match,
    ...(row.href ? { href: row.href } : {}),
  };
}

/** Converts a stored track row to the package's track (id = the row id as text). */
export function trackOf(row: NurtureTrackRecord): NurtureTrack {
  return {
    id: String(row.id),
    name: row.name,
    purpose: row.purpose as NurtureTrack["purpose"],
    personaId: row.personaId === null ? null : String(row.personaId),
    stages: row.stages as Stage[],
    priority: row.priority,
    steps: row.steps as NurtureTrack["steps"],
    enabled: row.enabled,
  };
}

/** Loads a site's nurture set-up (valid rows only) and the half-life its scores decay with. */
export async function loadSiteNurture(tx: Executor, siteId: number): Promise<SiteNurture> {
  const [personaRows, itemRows, trackRows, rules, site] = await Promise.all([
    listPersonas(tx, siteId),
    listContentItems(tx, siteId),
    listNurtureTracks(tx, siteId),
    siteRuleVersions(tx, siteId),
    tx.execute({ sql: "SELECT domains FROM sites WHERE id = ?", args: [siteId] }),
  ]);
  const personas = personaRows.map(personaOf).filter((p) => valid(validatePersonas, p));
  const catalogue = itemRows.map(contentItemOf).filter((c) => valid(validateCatalogue, c));
  const tracks = trackRows.map(trackOf).filter((t) => valid(validateTracks, t));
  let domains: unknown = (site.rows[0] as { domains?: unknown } | undefined)?.domains;
  if (typeof domains === "string") domains = JSON.parse(domains);
  const domain = Array.isArray(domains) ? domains.find((d) => typeof d === "string" && !d.startsWith("*")) : undefined;
  return {
    siteId,
    personas,
    catalogue,
    tracks,
    personaRows: new Map(personaRows.map((r) => [String(r.id), r])),
    items: new Map(itemRows.map((r) => [r.key, r])),
    trackRows: new Map(trackRows.map((r) => [String(r.id), r])),
    halfLifeDays: rules.current.halfLifeDays,
    origin: domain ? `${/^(localhost|127\.)/.test(domain) ? "http" : "https"}://${domain}` : null,
  };
}

/** A content item as webhooks and the website receive it. */
export interface OfferedContent {
  key: string;
  title: string | null;
  kind: string;
  topics: string[];
  /** The link as the catalogue gives it (a site path or a URL); null when it has none. */
  href: string | null;
  /** `href` as an absolute URL (site paths joined to the site's first domain); null when it cannot be. */
  url: string | null;
}

/** The content of a catalogue key for webhooks and the website, or null for an unknown key. */
export function offeredContent(site: SiteNurture, key: string): OfferedContent | null {
  const item = site.catalogue.find((c) => c.id === key);
  if (!item) return null;
  const href = contentHref(item);
  const url = href === null ? null : href.startsWith("/") ? (site.origin ? `${site.origin}${href}` : null) : href;
  return { key, title: item.title ?? null, kind: item.kind, topics: [...item.topics], href, url };
}

function contactableInput(input: NurtureInputRow): boolean {
  return isContactable({
    acquisition: input.acquisition as Lead["acquisition"],
    legalBasis: input.legalBasis as Lead["legalBasis"],
  });
}

function progressOf(stored: unknown): NurtureProgress {
  const p = stored as Partial<NurtureProgress> | null;
  return p && p.v === 1 && typeof p.tracks === "object" && typeof p.consumed === "object"
    ? (p as NurtureProgress)
    : emptyProgress();
}

/** What one pass over a lead decided; `progress` is what to store. */
export interface LeadStep {
  persona: PersonaEvaluation | null;
  progress: NurtureProgress;
  /** Steps converted in this pass (the lead consumed offered content). */
  converted: { trackId: string; stepId: string; contentId: string }[];
  /** The step offered in this pass, if any. */
  offered: { trackId: string; stepId: string; contentId: string; stepIndex: number } | null;
  /** The next step after this pass. */
  next: NextBest;
  score: number;
  consumedContentIds: string[];
}

/**
 * One lead's nurture pass, pure apart from its inputs: matches the persona, records consumed content
 * (converting open offers), and — when `offer` names a channel — offers the step that is due now.
 */
export function stepLead(
  site: SiteNurture,
  lead: NurtureInputRow,
  now: number,
  offer: { channel: string } | null,
): LeadStep {
  const traits = { ...lead.traits };
  if (traits.role === undefined && lead.role) traits.role = lead.role;
  const consumed = consumption(
    lead.viewed.map((v) => v.target),
    site.catalogue,
  );
  const persona = matchPersona(
    { traits: profileOf({ email: lead.email, traits, visitorCountry: lead.visitorCountry }), topics: consumed.topics },
    site.personas,
  );
  // Replaying every view in time order is idempotent: the first consumption time is kept, and an
  // offer converts only on a view at or after it.
  let progress = progressOf(lead.progress);
  const converted: LeadStep["converted"] = [];
  for (const view of lead.viewed) {
    const result = markConsumed(progress, view.target, view.at, site.catalogue);
    progress = result.progress;
    converted.push(...result.converted);
  }
  const score = currentScore(lead, site, now);
  const nurtureLead = {
    stage: lead.stage as Stage,
    score,
    personaId: persona?.personaId ?? null,
    consumedContentIds: consumed.contentIds,
  };
  let next = nextBestContent(nurtureLead, site.tracks, progress, now);
  let offered: LeadStep["offered"] = null;
  if (offer !== null && next.status === "due") {
    offered = { trackId: next.trackId, stepId: next.stepId, contentId: next.contentId, stepIndex: next.stepIndex };
    progress = markOffered(progress, offered, now, offer.channel);
    next = nextBestContent(nurtureLead, site.tracks, progress, now);
  }
  return { persona, progress, converted, offered, next, score, consumedContentIds: consumed.contentIds };
}

/** The row `saveLeadNurture` stores for a pass; `dueAgain` asks the job to look again at that time. */
function nurtureWrite(leadId: number, step: LeadStep, now: number, notifiedAt: number | null, dueAgain: boolean) {
  const next = step.next;
  const hasStep = next.status === "due" || next.status === "waiting";
  return {
    leadId,
    progress: step.progress,
    nextTrackId: hasStep ? Number(next.trackId) : null,
    nextStepId: hasStep ? next.stepId : null,
    nextContentKey: hasStep ? next.contentId : null,
    notifiedAt,
    nextDueAt: next.status === "waiting" ? next.until : next.status === "due" && dueAgain ? now : null,
    updatedAt: now,
  };
}

/** The `lead.nurture_step_due` outbox row for an offered step. */
async function stepDueRow(
  tx: Executor,
  site: SiteNurture,
  leadId: number,
  step: LeadStep,
  now: number,
): Promise<NewOutboxRow | null> {
  const offered = step.offered;
  const lead = await loadLeadSummary(tx, leadId);
  if (!offered || !lead) return null;
  const track = site.trackRows.get(offered.trackId);
  const persona = step.persona ? site.personaRows.get(step.persona.personaId) : undefined;
  return {
    siteId: site.siteId,
    leadId,
    eventType: "lead.nurture_step_due",
    payload: webhookBody("lead.nurture_step_due", now, {
      lead,
      persona: persona ? { id: persona.id, name: persona.name } : null,
      track: { id: Number(offered.trackId), name: track?.name ?? null, purpose: track?.purpose ?? null },
      step: { id: offered.stepId, index: offered.stepIndex },
      content: offeredContent(site, offered.contentId),
    }),
    createdAt: now,
  };
}

/** What a nurture run did. */
export interface NurtureRunResult {
  /** Leads looked at. */
  leads: number;
  /** Leads whose persona changed. */
  personaChanged: number;
  /** Steps offered by webhook (one `lead.nurture_step_due` each). */
  offered: number;
  /** Due steps not sent because the lead may not be contacted (cold, no legal basis). */
  skippedUncontactable: number;
  /** Offered steps whose content the lead consumed since the last run. */
  converted: number;
}

/**
 * Processes one batch of a site's leads in one short write transaction: persona, progress, and at
 * most one webhook offer per lead (the next due step, if the lead may be contacted). A lead that is
 * not contactable keeps its due step for the website and the lead page, and is not retried until
 * something about it changes.
 */
export async function nurtureLeads(
  db: Database,
  site: SiteNurture,
  leadIds: readonly number[],
  now: number,
): Promise<NurtureRunResult> {
  const result: NurtureRunResult = { leads: 0, personaChanged: 0, offered: 0, skippedUncontactable: 0, converted: 0 };
  if (leadIds.length === 0) return result;
  await withWriteTransaction(db.$client, async (tx) => {
    const inputs = await loadNurtureInputs(tx, leadIds);
    const personas: { leadId: number; personaId: number | null }[] = [];
    const writes: ReturnType<typeof nurtureWrite>[] = [];
    const outbox: NewOutboxRow[] = [];
    for (const input of inputs.values()) {
      const contactable = contactableInput(input);
      const step = stepLead(site, input, now, contactable ? { channel: "webhook" } : null);
      result.leads++;
      result.converted += step.converted.length;
      personas.push({ leadId: input.id, personaId: step.persona ? Number(step.persona.personaId) : null });
      let notifiedAt = input.next?.notifiedAt ?? null;
      if (step.offered) {
        const row = await stepDueRow(tx, site, input.id, step, now);
        if (row) outbox.push(row);
        result.offered++;
        notifiedAt = now;
      } else if (!contactable && step.next.status === "due") result.skippedUncontactable++;
      // A contactable lead with another step due right away gets it on the next run: one mail per run.
      writes.push(nurtureWrite(input.id, step, now, notifiedAt, contactable));
    }
    result.personaChanged = (await setLeadPersonas(tx, personas, now)).length;
    await saveLeadNurture(tx, writes);
    await insertOutbox(tx, outbox);
  });
  return result;
}

/**
 * The periodic nurture job: for every site with personas or tracks, processes the leads whose
 * persona or next step may have changed (see `nurtureCandidates`) in batches of `batchSize`.
 */
export async function runNurture(
  db: Database,
  options: { now?: number; batchSize?: number; siteId?: number } = {},
): Promise<NurtureRunResult> {
  const now = options.now ?? Date.now();
  const batchSize = options.batchSize ?? 200;
  const total: NurtureRunResult = { leads: 0, personaChanged: 0, offered: 0, skippedUncontactable: 0, converted: 0 };
  const siteIds = options.siteId === undefined ? await nurtureSiteIds(db.$client) : [options.siteId];
  for (const siteId of siteIds) {
    const site = await loadSiteNurture(db.$client, siteId);
    let afterId = 0;
    for (;;) {
      const ids = await nurtureCandidates(db.$client, siteId, now, afterId, batchSize);
      if (ids.length === 0) break;
      const batch = await nurtureLeads(db, site, ids, now);
      for (const key of Object.keys(total) as (keyof NurtureRunResult)[]) total[key] += batch[key];
      afterId = ids[ids.length - 1] ?? afterId;
    }
  }
  return total;
}

/** Why the website gets the content it gets. */
export type NextContentReason =
  | "next_step"
  | "open_offer"
  | "persona_default"
  | "site_default"
  | "no_content"
  | "no_personas";

/** The answer of the collector's next-content endpoint. */
export interface NextContentAnswer {
  content: { key: string; title: string | null; href: string | null; kind: string } | null;
  reason: NextContentReason;
}

function publicContent(site: SiteNurture, key: string | null): NextContentAnswer["content"] {
  const item = key === null ? null : offeredContent(site, key);
  return item ? { key: item.key, title: item.title, href: item.href, kind: item.kind } : null;
}

/**
 * What the website should recommend to a browser. An identified browser gets its lead's next step
 * (recorded as offered on the "website" channel), else its latest offer it has not read yet, else its
 * persona's default. An anonymous browser is matched to a persona by the topics it read and gets that
 * persona's default, else the default of the site's first persona. Content already read is never
 * recommended.
 */
export async function nextContentForVisitor(
  db: Database,
  siteId: number,
  visitorId: string | null,
  now: number,
): Promise<NextContentAnswer> {
  const site = await loadSiteNurture(db.$client, siteId);
  if (site.personas.length === 0 && site.tracks.length === 0) return { content: null, reason: "no_personas" };
  const facts =
    visitorId === null ? { leadId: null, viewed: [] } : await visitorNurtureFacts(db.$client, siteId, visitorId);
  if (facts.leadId !== null) {
    const leadId = facts.leadId;
    const answer = await withWriteTransaction(db.$client, async (tx) => {
      const input = (await loadNurtureInputs(tx, [leadId])).get(leadId);
      if (!input) return null;
      const step = stepLead(site, input, now, { channel: "website" });
      await setLeadPersonas(tx, [{ leadId, personaId: step.persona ? Number(step.persona.personaId) : null }], now);
      await saveLeadNurture(tx, [nurtureWrite(leadId, step, now, input.next?.notifiedAt ?? null, true)]);
      if (step.offered) return { content: publicContent(site, step.offered.contentId), reason: "next_step" as const };
      const open = latestOpenOffer(step.progress, step.consumedContentIds);
      if (open) return { content: publicContent(site, open), reason: "open_offer" as const };
      const persona = step.persona ? site.personas.find((p) => p.id === step.persona?.personaId) : undefined;
      const pick = cookielessDefault(persona ?? null, site.tracks, {
        stage: input.stage as Stage,
        exclude: step.consumedContentIds,
      });
      return pick ? { content: publicContent(site, pick.contentId), reason: "persona_default" as const } : null;
    });
    if (answer?.content) return answer;
    return { content: null, reason: "no_content" };
  }
  const consumed = consumption(
    facts.viewed.map((v) => v.target),
    site.catalogue,
  );
  const matched = matchPersona({ traits: {}, topics: consumed.topics }, site.personas);
  const persona = matched ? site.personas.find((p) => p.id === matched.personaId) : undefined;
  const exclude = consumed.contentIds;
  if (persona) {
    const pick = cookielessDefault(persona, site.tracks, { exclude });
    if (pick) return { content: publicContent(site, pick.contentId), reason: "persona_default" };
  }
  const first = site.personas.find((p) => p.enabled !== false) ?? null;
  const pick = cookielessDefault(first, site.tracks, { exclude });
  return pick
    ? { content: publicContent(site, pick.contentId), reason: "site_default" }
    : { content: null, reason: "no_content" };
}

/** The content of the latest offer the lead has not consumed yet, or null. */
function latestOpenOffer(progress: NurtureProgress, consumed: readonly string[]): string | null {
  const read = new Set([...consumed, ...Object.keys(progress.consumed)]);
  let best: { contentId: string; at: number } | null = null;
  for (const steps of Object.values(progress.tracks))
    for (const s of Object.values(steps))
      if (s.convertedAt === null && !read.has(s.contentId) && (best === null || s.offeredAt > best.at))
        best = { contentId: s.contentId, at: s.offeredAt };
  return best?.contentId ?? null;
}

/** One recorded offer, as the lead page lists it. */
export interface OfferView {
  trackId: string;
  trackName: string | null;
  stepId: string;
  content: OfferedContent | null;
  contentKey: string;
  offeredAt: number;
  channel: string | null;
  convertedAt: number | null;
}

/** A lead's persona and next best content with the reasons, for the lead page. */
export interface LeadNurtureView {
  persona: { id: number; name: string; reasons: { kind: string; matched: boolean; detail: string }[] } | null;
  next: NextBest;
  nextContent: OfferedContent | null;
  nextTrackName: string | null;
  offers: OfferView[];
  /** Whether outbound tools may receive this lead (webhooks are skipped otherwise). */
  contactable: boolean;
  /** False when the site has no personas and no tracks yet. */
  configured: boolean;
}

/**
 * Computes a lead's persona and next best content as of `now` without storing anything (the job
 * stores it): what the lead page shows to sales. Undefined for an unknown lead.
 */
export async function leadNurtureView(db: Database, leadId: number, now: number): Promise<LeadNurtureView | undefined> {
  const input = (await loadNurtureInputs(db.$client, [leadId])).get(leadId);
  if (!input) return undefined;
  const site = await loadSiteNurture(db.$client, input.siteId);
  const step = stepLead(site, input, now, null);
  const personaRow = step.persona ? site.personaRows.get(step.persona.personaId) : undefined;
  const next = step.next;
  const hasStep = next.status === "due" || next.status === "waiting";
  const offers: OfferView[] = [];
  for (const [trackId, steps] of Object.entries(step.progress.tracks)) {
    for (const [stepId, s] of Object.entries(steps)) {
      offers.push({
        trackId,
        trackName: site.trackRows.get(trackId)?.name ?? null,
        stepId,
        contentKey: s.contentId,
        content: offeredContent(site, s.contentId),
        offeredAt: s.offeredAt,
        channel: s.channel ?? null,
        convertedAt: s.convertedAt,
      });
    }
  }
  offers.sort((a, b) => b.offeredAt - a.offeredAt);
  return {
    persona:
      step.persona && personaRow
        ? {
            id: personaRow.id,
            name: personaRow.name,
            reasons: step.persona.reasons.map((r) => ({ kind: r.kind, matched: r.matched, detail: r.detail })),
          }
        : null,
    next,
    nextContent: hasStep ? offeredContent(site, next.contentId) : null,
    nextTrackName: hasStep ? (site.trackRows.get(next.trackId)?.name ?? null) : null,
    offers,
    contactable: contactableInput(input),
    configured: site.personas.length > 0 || site.tracks.length > 0,
  };
}

/** A track's report with the names the dashboard shows. */
export interface NamedTrackReport extends TrackReport {
  name: string;
  purpose: string;
  personaName: string | null;
  stages: string[];
  enabled: boolean;
  stepTitles: Record<string, string>;
}

/**
 * Each track's report over the site's nurtured leads: reach and conversion per step, and which steps
 * came last before leads turned MQL and were won (@leadtrail/nurture `trackReport`).
 */
export async function siteTrackReports(db: Database, siteId: number): Promise<NamedTrackReport[]> {
  const [rows, trackRows, items, personaRows] = await Promise.all([
    nurtureReportRows(db.$client, siteId),
    listNurtureTracks(db.$client, siteId),
    listContentItems(db.$client, siteId),
    listPersonas(db.$client, siteId),
  ]);
  const leads = rows.map((r) => ({
    progress: progressOf(r.progress),
    stageChanges: r.stageChanges.map((c) => ({ to: c.to as Stage, at: c.at })),
  }));
  const titles: Record<string, string> = {};
  for (const item of items) titles[item.key] = item.title ?? item.key;
  return trackRows.map((row) => ({
    ...trackReport(trackOf(row), leads),
    name: row.name,
    purpose: row.purpose,
    personaName: personaRows.find((p) => p.id === row.personaId)?.name ?? null,
    stages: row.stages,
    enabled: row.enabled,
    stepTitles: titles,
  }));
}
