/**
 * One lead's nurture pass as a pure function (the article's phase 4): the workflows job loads a site's
 * set-up and a lead's facts, calls `stepLead`, and stores `nurtureWrite`'s row. The same pass serves
 * the periodic job (offers by webhook), the website's next-content endpoint and the lead page (no offer).
 */
import { currentScore, profileFromTraits, type Stage } from "@leadtrail/scoring";
import { consumption, contentHref } from "./catalogue.ts";
import { type NextBest, nextBestContent } from "./next-best.ts";
import { matchPersona, type PersonaEvaluation } from "./personas.ts";
import { emptyProgress, markConsumed, markOffered } from "./progress.ts";
import type { ContentItem, NurtureProgress, NurtureTrack, Persona } from "./types.ts";

/** A site's nurture set-up as one pass needs it. */
export interface NurtureSite {
  personas: Persona[];
  catalogue: ContentItem[];
  tracks: NurtureTrack[];
  halfLifeDays: number | null;
  /** `https://<first domain>` for turning site paths into links an e-mail can carry; null without one. */
  origin: string | null;
}

/** What one pass knows about a lead (the stored lead row, its views and its stored progress). */
export interface LeadNurtureFacts {
  email: string;
  role: string | null;
  traits: Record<string, unknown>;
  visitorCountry: string | null;
  stage: string;
  fitScore: number;
  engagementScore: number;
  scoredAt: number | null;
  /** Pages and URLs the lead viewed with their first time, oldest first. */
  viewed: readonly { target: string; at: number }[];
  /** The stored progress JSON; anything unrecognised counts as no progress. */
  progress: unknown;
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

/** The stored progress JSON as progress, or empty progress when it is missing or of another shape. */
export function storedProgress(stored: unknown): NurtureProgress {
  const p = stored as Partial<NurtureProgress> | null;
  return p && p.v === 1 && typeof p.tracks === "object" && typeof p.consumed === "object"
    ? (p as NurtureProgress)
    : emptyProgress();
}

/**
 * One lead's nurture pass: matches the persona, records consumed content (converting open offers),
 * and — when `offer` names a channel — offers the step that is due now.
 */
export function stepLead(
  site: NurtureSite,
  lead: LeadNurtureFacts,
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
    { traits: profileFromTraits(lead.email, traits, lead.visitorCountry), topics: consumed.topics },
    site.personas,
  );
  // Replaying every view in time order is idempotent: the first consumption time is kept, and an
  // offer converts only on a view at or after it.
  let progress = storedProgress(lead.progress);
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

/** The lead's nurture row to store after a pass. */
export interface NurtureWrite {
  leadId: number;
  progress: NurtureProgress;
  nextTrackId: number | null;
  nextStepId: string | null;
  nextContentKey: string | null;
  notifiedAt: number | null;
  nextDueAt: number | null;
  updatedAt: number;
}

/**
 * The row to store for a pass (track ids are the stored rows' ids as text). `dueAgain` asks the job
 * to look again right away when a step is still due (a lead that may be contacted gets one per run).
 */
export function nurtureWrite(
  leadId: number,
  step: LeadStep,
  now: number,
  notifiedAt: number | null,
  dueAgain: boolean,
): NurtureWrite {
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

/** The content of the latest offer the lead has not consumed yet, or null. */
export function latestOpenOffer(progress: NurtureProgress, consumed: readonly string[]): string | null {
  const read = new Set([...consumed, ...Object.keys(progress.consumed)]);
  let best: { contentId: string; at: number } | null = null;
  for (const steps of Object.values(progress.tracks))
    for (const s of Object.values(steps))
      if (s.convertedAt === null && !read.has(s.contentId) && (best === null || s.offeredAt > best.at))
        best = { contentId: s.contentId, at: s.offeredAt };
  return best?.contentId ?? null;
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
export function offeredContent(site: Pick<NurtureSite, "catalogue" | "origin">, key: string): OfferedContent | null {
  const item = site.catalogue.find((c) => c.id === key);
  if (!item) return null;
  const href = contentHref(item);
  const url = href === null ? null : href.startsWith("/") ? (site.origin ? `${site.origin}${href}` : null) : href;
  return { key, title: item.title ?? null, kind: item.kind, topics: [...item.topics], href, url };
}

/**
 * The origin links are joined to: the first domain of the site that is not a wildcard, over http for
 * localhost and 127.x, else https; null when the site has none.
 */
export function siteOrigin(domains: unknown): string | null {
  const domain = Array.isArray(domains)
    ? domains.find((d): d is string => typeof d === "string" && !d.startsWith("*"))
    : undefined;
  return domain ? `${/^(localhost|127\.)/.test(domain) ? "http" : "https"}://${domain}` : null;
}
