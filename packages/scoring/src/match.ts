import { domainInList, emailDomain, isFreeMailDomain } from "./free-mail.ts";
import { globMatchAny } from "./glob.ts";
import type { Campaign, EventMatch, ProfileTraits, RuleSet, ScoringEvent, TraitMatch } from "./types.ts";

/** What the matcher needs to know about the subject besides the event itself. */
export interface MatchContext {
  /** Visits the subject had started before this event. */
  visitsBefore: number;
}

const CODE_TYPES = new Set(["link_click", "qr_scan"]);

/** True when the event satisfies one pattern (every given field). */
export function eventMatches(match: EventMatch, event: ScoringEvent, ctx: MatchContext): boolean {
  if (match.type !== undefined && !oneOf(match.type, event.type)) return false;
  if (match.name !== undefined && !globMatchAny(match.name, event.name)) return false;
  if (match.path !== undefined && !globMatchAny(match.path, event.path)) return false;
  if (match.url !== undefined && !globMatchAny(match.url, event.url)) return false;
  if (match.code !== undefined) {
    if (!CODE_TYPES.has(event.type) || !globMatchAny(match.code, event.name)) return false;
  }
  if (match.props !== undefined) {
    for (const [key, want] of Object.entries(match.props)) {
      const got = event.props?.[key];
      if (got === undefined) return false;
      if (typeof want === "string" && typeof got === "string") {
        if (want.toLowerCase() !== got.toLowerCase()) return false;
      } else if (want !== got) return false;
    }
  }
  if (match.campaign !== undefined) {
    for (const [key, want] of Object.entries(match.campaign)) {
      if (want === undefined) continue;
      if (!globMatchAny(want, event.campaign?.[key as keyof Campaign])) return false;
    }
  }
  if (match.returningVisit !== undefined) {
    const returning = event.visitStart === true && ctx.visitsBefore > 0;
    if (returning !== match.returningVisit) return false;
  }
  return true;
}

/** True when the event satisfies any of the rule's patterns. */
export function ruleMatches(match: EventMatch | EventMatch[], event: ScoringEvent, ctx: MatchContext): boolean {
  if (Array.isArray(match)) return match.some((m) => eventMatches(m, event, ctx));
  return eventMatches(match, event, ctx);
}

/** True when the traits satisfy every given condition of a fit rule. */
export function traitsMatch(
  match: TraitMatch,
  traits: ProfileTraits,
  ruleSet: Pick<RuleSet, "competitorDomains" | "freeMailDomains">,
): boolean {
  if (match.role !== undefined) {
    const role = traits.role?.toLowerCase();
    if (!role || !match.role.some((r) => role.includes(r.toLowerCase()))) return false;
  }
  if (match.seniority !== undefined && !equalsAny(match.seniority, traits.seniority)) return false;
  if (match.industry !== undefined && !equalsAny(match.industry, traits.industry)) return false;
  if (match.country !== undefined && !equalsAny(match.country, traits.country)) return false;
  if (match.companySize !== undefined) {
    const size = headCount(traits.companySize);
    if (size === undefined) return false;
    if (match.companySize.min !== undefined && size < match.companySize.min) return false;
    if (match.companySize.max !== undefined && size > match.companySize.max) return false;
  }
  if (match.emailDomain !== undefined) {
    const domain = emailDomain(traits.email);
    if (!domain) return false;
    const competitor = domainInList(domain, ruleSet.competitorDomains ?? []);
    const free = !competitor && isFreeMailDomain(domain, ruleSet.freeMailDomains ?? []);
    const kind = competitor ? "competitor" : free ? "free" : "business";
    if (kind !== match.emailDomain) return false;
  }
  if (match.traits !== undefined) {
    for (const [key, values] of Object.entries(match.traits)) {
      if (!equalsAny(values, traits.custom?.[key])) return false;
    }
  }
  return true;
}

/**
 * A head count from a number or a band. Bands count by their lower bound ("51-200" → 51,
 * "1000+" → 1000) so that a range rule never credits a company with more people than it states.
 */
export function headCount(size: number | string | undefined): number | undefined {
  if (typeof size === "number") return Number.isFinite(size) ? size : undefined;
  if (typeof size !== "string") return undefined;
  const m = /(\d[\d,.]*)/.exec(size);
  if (!m?.[1]) return undefined;
  const n = Number(m[1].replace(/[,.]/g, ""));
  return Number.isFinite(n) ? n : undefined;
}

function oneOf(want: string | string[], got: string): boolean {
  return typeof want === "string" ? want === got : want.includes(got);
}

function equalsAny(list: string[], value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  return list.some((x) => x.toLowerCase() === v);
}
