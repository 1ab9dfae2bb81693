// The collector's next-content endpoint: what the website recommends to a browser, from the same
// nurture pass the job runs (@leadtrail/nurture `stepLead`), recorded as offered on the website.
import {
  type Database,
  loadNurtureInputs,
  saveLeadNurture,
  setLeadPersonas,
  visitorNurtureFacts,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  consumption,
  cookielessDefault,
  latestOpenOffer,
  matchPersona,
  nurtureWrite,
  offeredContent,
  stepLead,
} from "@leadtrail/nurture";
import type { Stage } from "@leadtrail/scoring";
import { loadSiteNurture, type SiteNurture } from "./nurture-site.ts";

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
  const site = await loadSiteNurture(db, siteId);
  if (site.personas.length === 0 && site.tracks.length === 0) return { content: null, reason: "no_personas" };
  const facts = visitorId === null ? { leadId: null, viewed: [] } : await visitorNurtureFacts(db, siteId, visitorId);
  if (facts.leadId !== null) {
    const leadId = facts.leadId;
    const answer = await withWriteTransaction(db, async (tx) => {
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
