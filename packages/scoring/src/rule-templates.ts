import type { EngagementRule, EventMatch, FitRule, RuleCaps, RuleLabel, TraitMatch } from "./types.ts";

/** A starter rule for a common site shape; the builder adds it to the draft for the marketer to adapt. */
export interface RuleTemplate {
  id: string;
  label: RuleLabel;
  rule: Omit<EngagementRule, "id"> | Omit<FitRule, "id">;
}

/** English and German text, in that order. */
type Words = readonly [en: string, de: string];

const label = ([en, de]: Words): RuleLabel => ({ en, de });

/** A behaviour template: `name` is what the builder's menu says, `what` the rule's own label. */
function engagement(
  id: string,
  name: Words,
  what: Words,
  points: number,
  match: EventMatch | EventMatch[],
  caps: RuleCaps,
): RuleTemplate {
  return { id, label: label(name), rule: { kind: "engagement", label: label(what), points, match, caps } };
}

/** A profile (fit) template. */
function fit(id: string, name: Words, what: Words, points: number, match: TraitMatch): RuleTemplate {
  return { id, label: label(name), rule: { kind: "fit", label: label(what), points, match } };
}

/**
 * Starter rules. Names are globs ("*demo*") so they fit a site's own form and file names without
 * editing; points follow the seed article's scale (newsletter +7, job interest negative).
 */
export const RULE_TEMPLATES: readonly RuleTemplate[] = [
  engagement(
    "pricing-page",
    ["Pricing page", "Preisseite"],
    ["Viewed the pricing page", "Preisseite angesehen"],
    10,
    { type: "pageview", path: ["*/pricing*", "*/preise*"] },
    { perDay: 1 },
  ),
  engagement(
    "demo-request",
    ["Demo request form", "Formular Demo-Anfrage"],
    ["Requested a demo", "Demo angefragt"],
    30,
    { type: "form", name: "*demo*" },
    { once: true },
  ),
  engagement(
    "newsletter",
    ["Newsletter sign-up", "Newsletter-Anmeldung"],
    ["Signed up for the newsletter", "Für den Newsletter angemeldet"],
    7,
    { type: "form", name: "*newsletter*" },
    { once: true },
  ),
  engagement(
    "whitepaper",
    ["Whitepaper download", "Whitepaper-Download"],
    ["Downloaded a whitepaper", "Whitepaper heruntergeladen"],
    10,
    { type: "download", url: "*.pdf" },
    { perDay: 2, total: 5 },
  ),
  engagement(
    "careers-negative",
    ["Careers pages (negative)", "Karriereseiten (negativ)"],
    ["Visited the careers pages (job interest)", "Karriereseiten besucht (Interesse an einer Stelle)"],
    -10,
    { type: "pageview", path: ["*/careers*", "*/jobs*", "*/karriere*"] },
    { perDay: 1 },
  ),
  fit(
    "free-mail-negative",
    ["Free-mail address (negative)", "Freemail-Adresse (negativ)"],
    ["Free-mail address", "Freemail-Adresse"],
    -5,
    { emailDomain: "free" },
  ),
];
