import { campaignLeadMilestones, listCampaignLinks, listSiteCampaigns } from "@leadtrail/db";
import { createTestDb, type TestDb } from "@leadtrail/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { seedDemo } from "./seed-demo.ts";

const NOW = Date.UTC(2026, 10, 27, 12);

describe("demo campaigns", () => {
  let t: TestDb;
  afterEach(() => t.cleanup());

  it("match the generator's UTM campaigns and links, so the demo's leads arrive attributed against goals", async () => {
    t = await createTestDb();
    const { siteId } = await seedDemo(t.db, { now: NOW, days: 21, visitorsPerDay: 25 });
    const campaigns = await listSiteCampaigns(t.db, siteId);
    expect(campaigns.map((c) => c.utmCampaign)).toEqual([
      "spring-launch",
      "webinar-q3",
      "newsletter-monthly",
      "brand-search",
    ]);
    for (const c of campaigns) expect(c.goals.length).toBeGreaterThan(0);
    const milestones = await campaignLeadMilestones(t.db, siteId);
    const leadsOf = (utm: string) =>
      milestones.filter((m) => m.campaignId === campaigns.find((c) => c.utmCampaign === utm)?.id).length;
    // The poster campaign and the newsletter bring leads in three weeks of traffic.
    expect(leadsOf("spring-launch")).toBeGreaterThan(0);
    expect(leadsOf("newsletter-monthly")).toBeGreaterThan(0);
    expect(milestones.some((m) => m.mqlAt !== null)).toBe(true);
    // The QR poster is the spring launch's, with its scans counted.
    const spring = campaigns[0];
    const links = spring ? await listCampaignLinks(t.db, siteId, spring.id) : [];
    expect(links.map((l) => l.code)).toEqual(["spring-poster"]);
    expect(links[0]?.scans).toBeGreaterThan(0);
  });
});
