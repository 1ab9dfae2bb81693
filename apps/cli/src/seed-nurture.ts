import {
  type ContentItemInput,
  type Database,
  insertContentItem,
  insertNurtureTrack,
  insertPersona,
  type PersonaInput,
} from "@leadtrail/db";
import type { NurtureStep } from "@leadtrail/nurture";
import { type NurtureRunResult, runNurture } from "@leadtrail/workflows";

// The demo's personas, content catalogue and nurture tracks (the article's phases 2 and 4), written
// for the demo website's pages (apps/collector/src/demo/pages.ts) and the generator's buyers
// (packages/demo catalog.ts BUYER_ROLES: marketing and sales roles at several levels). Job seekers
// and students are not a target group: no persona describes them, so they stay unmatched.

const CATALOGUE: ContentItemInput[] = [
  {
    key: "blog-lead-scoring-basics",
    title: "Lead scoring in five steps",
    kind: "blog",
    topics: ["lead-scoring"],
    match: ["/demo/blog/lead-scoring-basics"],
    href: null,
  },
  {
    key: "blog-mql-to-sql",
    title: "From MQL to SQL",
    kind: "blog",
    topics: ["sales-alignment", "lead-management"],
    match: ["/demo/blog/mql-to-sql"],
    href: null,
  },
  {
    key: "whitepaper",
    title: "Whitepaper: The lead management playbook",
    kind: "whitepaper",
    topics: ["lead-management", "lead-scoring"],
    // The landing page and the PDF download are one piece of content.
    match: ["/demo/whitepaper", "/demo/files/whitepaper.pdf"],
    href: "/demo/whitepaper",
  },
  {
    key: "product-lead-scoring",
    title: "Acme Lead Scoring",
    kind: "product",
    topics: ["lead-scoring", "product"],
    match: ["/demo/products/lead-scoring"],
    href: null,
  },
  {
    key: "product-pipeline-insights",
    title: "Acme Pipeline Insights",
    kind: "product",
    topics: ["pipeline", "product"],
    match: ["/demo/products/pipeline-insights"],
    href: null,
  },
  { key: "pricing", title: "Pricing", kind: "pricing", topics: ["buying"], match: ["/demo/pricing"], href: null },
  {
    key: "demo-request",
    title: "Request a demo",
    kind: "other",
    topics: ["buying"],
    match: ["/demo/demo-request"],
    href: null,
  },
];

const persona = (p: Partial<PersonaInput> & Pick<PersonaInput, "name" | "criteria">): PersonaInput => ({
  description: null,
  weights: {},
  minMatch: 1,
  defaultContentKey: null,
  enabled: true,
  ...p,
});

const PERSONAS: PersonaInput[] = [
  persona({
    name: "Marketing manager",
    description: "Runs campaigns and lead generation; reads about lead scoring.",
    // Either the title or the reading: an anonymous visitor deep in lead-scoring content counts too.
    criteria: { roles: ["marketing", "demand generation"], topics: [{ topic: "lead-scoring", min: 2 }] },
    minMatch: 0.5,
    defaultContentKey: "whitepaper",
  }),
  persona({
    name: "Sales leader",
    description: "Owns pipeline and the hand-over from marketing.",
    criteria: { roles: ["sales", "revenue operations"] },
    defaultContentKey: "blog-mql-to-sql",
  }),
  persona({
    name: "Executive buyer",
    description: "Decides on the budget at a company of 51 or more people.",
    criteria: { seniorities: ["C-Level", "VP", "Head"], companySize: [{ min: 51 }] },
    defaultContentKey: "pricing",
  }),
];

const NURTURE_STEPS: NurtureStep[] = [
  { id: "s1", contentId: "blog-lead-scoring-basics" },
  { id: "s2", contentId: "whitepaper", conditions: { minDaysSincePreviousStep: 3 } },
  { id: "s3", contentId: "product-lead-scoring", conditions: { minDaysSincePreviousStep: 3 } },
  { id: "s4", contentId: "pricing", conditions: { minScore: 20, minDaysSincePreviousStep: 3 } },
  {
    id: "s5",
    contentId: "demo-request",
    conditions: { stages: ["mql"], minScore: 35, notConsumed: ["demo-request"], minDaysSincePreviousStep: 2 },
  },
];

const ONBOARDING_STEPS: NurtureStep[] = [
  { id: "o1", contentId: "product-pipeline-insights" },
  { id: "o2", contentId: "blog-mql-to-sql", conditions: { minDaysSincePreviousStep: 7 } },
];

/**
 * Seeds the demo site's personas, catalogue and two tracks (nurture for leads, onboarding for won
 * customers), then runs the nurture job once at `now`: the demo's leads get their persona and next
 * best content, and the due first steps are recorded as offered.
 */
export async function seedNurture(db: Database, siteId: number, now: number): Promise<NurtureRunResult> {
  for (const item of CATALOGUE) await insertContentItem(db, siteId, item, now);
  for (const p of PERSONAS) await insertPersona(db, siteId, p, now);
  await insertNurtureTrack(
    db,
    siteId,
    {
      name: "Lead nurture",
      purpose: "nurture",
      personaId: null,
      stages: ["lead", "mql", "nurture"],
      priority: 0,
      steps: NURTURE_STEPS,
      enabled: true,
    },
    now,
  );
  await insertNurtureTrack(
    db,
    siteId,
    {
      name: "Customer onboarding",
      purpose: "onboarding",
      personaId: null,
      stages: ["won"],
      priority: 0,
      steps: ONBOARDING_STEPS,
      enabled: true,
    },
    now,
  );
  return runNurture(db, { now, siteId });
}
