import type { Database } from "@leadtrail/db";
import { type CampaignInput, insertCampaign, setLinkCampaign } from "@leadtrail/db";

const DAY = 86_400_000;

/** A demo campaign: its UTM value is what the demo generator's traffic carries (packages/demo). */
interface DemoCampaign extends Omit<CampaignInput, "startsAt" | "endsAt"> {
  /** Share of the generated history when it starts and ends (the generator's calendar); null = open. */
  from: number | null;
  to: number | null;
  /** Tracked links of the demo (DEMO_LINKS codes) that belong to it. */
  links: string[];
}

// The generator runs the spring launch in the first 60% of its history, the webinar promotion in
// the last 60%, the newsletter every four weeks and brand search throughout (packages/demo
// generate.ts `dayContext`, personas.ts): the periods follow that calendar. Goals are set so that
// the demo shows each status — some met, some on track, some behind.
const DEMO_CAMPAIGNS: DemoCampaign[] = [
  {
    name: "Spring launch",
    channel: "print",
    utmCampaign: "spring-launch",
    budget: 6000,
    ownerId: null,
    goals: [
      { metric: "leads", target: 40, per: "period" },
      { metric: "mqls", target: 60, per: "period" },
    ],
    from: 0,
    to: 0.6,
    links: ["spring-poster"],
  },
  {
    name: "Webinar Q3",
    channel: "social",
    utmCampaign: "webinar-q3",
    budget: 2500,
    ownerId: null,
    goals: [
      { metric: "leads", target: 15, per: "month" },
      { metric: "mqls", target: 15, per: "month" },
      { metric: "sqls", target: 3, per: "period" },
    ],
    from: 0.4,
    to: 1.5,
    links: ["webinar-q3"],
  },
  {
    name: "Monthly newsletter",
    channel: "email",
    utmCampaign: "newsletter-monthly",
    budget: null,
    ownerId: null,
    goals: [{ metric: "leads", target: 40, per: "month" }],
    from: null,
    to: null,
    links: ["newsletter-monthly"],
  },
  {
    name: "Brand search",
    channel: "paid",
    utmCampaign: "brand-search",
    budget: 1500,
    ownerId: null,
    goals: [{ metric: "mqls", target: 20, per: "month" }],
    from: 0,
    to: null,
    links: [],
  },
];

/**
 * Creates the demo's campaigns with goals and budgets, and puts the demo's tracked links into
 * them, before the traffic is replayed: the collector then attributes each new lead to its
 * first-touch campaign as it happens, and the campaign pages show progress.
 */
export async function seedCampaigns(db: Database, siteId: number, now: number, days: number): Promise<number[]> {
  const start = Math.floor((now - days * DAY) / DAY) * DAY;
  const at = (share: number) => start + Math.round(share * days) * DAY;
  const ids: number[] = [];
  for (const c of DEMO_CAMPAIGNS) {
    const { from, to, links, ...input } = c;
    const campaign = await insertCampaign(
      db,
      siteId,
      { ...input, startsAt: from === null ? null : at(from), endsAt: to === null ? null : at(to) },
      start,
    );
    for (const code of links) await setLinkCampaign(db, siteId, code, campaign.id);
    ids.push(campaign.id);
  }
  return ids;
}
