import type { EngagementRule, FitRule, RuleLabel } from "./types.ts";

/** A starter rule for a common site shape; the builder adds it to the draft for the marketer to adapt. */
export interface RuleTemplate {
  id: string;
  label: RuleLabel;
  rule: Omit<EngagementRule, "id"> | Omit<FitRule, "id">;
}

/**
 * Starter rules. Names are globs ("*demo*") so they fit a site's own form and file names without
 * editing; points follow the seed article's scale (newsletter +7, job interest negative).
 */
export const RULE_TEMPLATES: readonly RuleTemplate[] = [
  {
    id: "pricing-page",
    label: { en: "Pricing page", de: "Preisseite" },
    rule: {
      kind: "engagement",
      label: { en: "Viewed the pricing page", de: "Preisseite angesehen" },
      points: 10,
      match: { type: "pageview", path: ["*/pricing*", "*/preise*"] },
      caps: { perDay: 1 },
    },
  },
  {
    id: "demo-request",
    label: { en: "Demo request form", de: "Formular Demo-Anfrage" },
    rule: {
      kind: "engagement",
      label: { en: "Requested a demo", de: "Demo angefragt" },
      points: 30,
      match: { type: "form", name: "*demo*" },
      caps: { once: true },
    },
  },
  {
    id: "newsletter",
    label: { en: "Newsletter sign-up", de: "Newsletter-Anmeldung" },
    rule: {
      kind: "engagement",
      label: { en: "Signed up for the newsletter", de: "Für den Newsletter angemeldet" },
      points: 7,
      match: { type: "form", name: "*newsletter*" },
      caps: { once: true },
    },
  },
  {
    id: "whitepaper",
    label: { en: "Whitepaper download", de: "Whitepaper-Download" },
    rule: {
      kind: "engagement",
      label: { en: "Downloaded a whitepaper", de: "Whitepaper heruntergeladen" },
      points: 10,
      match: { type: "download", url: "*.pdf" },
      caps: { perDay: 2, total: 5 },
    },
  },
  {
    id: "careers-negative",
    label: { en: "Careers pages (negative)", de: "Karriereseiten (negativ)" },
    rule: {
      kind: "engagement",
      label: {
        en: "Visited the careers pages (job interest)",
        de: "Karriereseiten besucht (Interesse an einer Stelle)",
      },
      points: -10,
      match: { type: "pageview", path: ["*/careers*", "*/jobs*", "*/karriere*"] },
      caps: { perDay: 1 },
    },
  },
  {
    id: "free-mail-negative",
    label: { en: "Free-mail address (negative)", de: "Freemail-Adresse (negativ)" },
    rule: {
      kind: "fit",
      label: { en: "Free-mail address", de: "Freemail-Adresse" },
      points: -5,
      match: { emailDomain: "free" },
    },
  },
];
