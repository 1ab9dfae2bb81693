// The periodic nurture job (the article's phase 4): every lead is matched to its best persona again
// whenever its profile or behaviour changes, its nurture progress follows what it reads (an offered
// step converts when the lead consumes the content), and a step that comes due is offered as a
// `lead.nurture_step_due` webhook for the company's e-mail tool. It loads, lets @leadtrail/nurture's
// pure `stepLead` decide, and stores. The website's side is `next-content.ts`, the dashboard's
// `nurture-view.ts`, the site set-up `nurture-site.ts`.
import {
  type Database,
  insertOutbox,
  loadNurtureInputs,
  type NewOutboxRow,
  nurtureCandidates,
  nurtureSiteIds,
  saveLeadNurture,
  setLeadPersonas,
  withWriteTransaction,
} from "@leadtrail/db";
import { type LeadStep, type NurtureWrite, nurtureWrite, offeredContent, stepLead } from "@leadtrail/nurture";
import { leadContactable, loadSiteNurture, type SiteNurture } from "./nurture-site.ts";
import { loadLeadSummary, webhookBody } from "./payloads.ts";

/** The `lead.nurture_step_due` outbox row for an offered step. */
async function stepDueRow(
  db: Database,
  site: SiteNurture,
  leadId: number,
  step: LeadStep,
  now: number,
): Promise<NewOutboxRow | null> {
  const offered = step.offered;
  const lead = await loadLeadSummary(db, leadId);
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
  await withWriteTransaction(db, async (tx) => {
    const inputs = await loadNurtureInputs(tx, leadIds);
    const personas: { leadId: number; personaId: number | null }[] = [];
    const writes: NurtureWrite[] = [];
    const outbox: NewOutboxRow[] = [];
    for (const input of inputs.values()) {
      const contactable = leadContactable(input);
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
  const siteIds = options.siteId === undefined ? await nurtureSiteIds(db) : [options.siteId];
  for (const siteId of siteIds) {
    const site = await loadSiteNurture(db, siteId);
    let afterId = 0;
    for (;;) {
      const ids = await nurtureCandidates(db, siteId, now, afterId, batchSize);
      if (ids.length === 0) break;
      const batch = await nurtureLeads(db, site, ids, now);
      for (const key of Object.keys(total) as (keyof NurtureRunResult)[]) total[key] += batch[key];
      afterId = ids[ids.length - 1] ?? afterId;
    }
  }
  return total;
}
