// Nurture as the dashboard reads it: a lead's persona and next best content (lead page) and each
// track's report (nurture page). Nothing here stores anything; the job does.
import {
  type Database,
  listContentItems,
  listNurtureTracks,
  listPersonas,
  loadNurtureInputs,
  nurtureReportRows,
} from "@leadtrail/db";
import {
  type NextBest,
  type OfferedContent,
  offeredContent,
  stepLead,
  storedProgress,
  type TrackReport,
  trackReport,
} from "@leadtrail/nurture";
import type { Stage } from "@leadtrail/scoring";
import { leadContactable, loadSiteNurture, trackOf } from "./nurture-site.ts";

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
  const input = (await loadNurtureInputs(db, [leadId])).get(leadId);
  if (!input) return undefined;
  const site = await loadSiteNurture(db, input.siteId);
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
    contactable: leadContactable(input),
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
    nurtureReportRows(db, siteId),
    listNurtureTracks(db, siteId),
    listContentItems(db, siteId),
    listPersonas(db, siteId),
  ]);
  const leads = rows.map((r) => ({
    progress: storedProgress(r.progress),
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
