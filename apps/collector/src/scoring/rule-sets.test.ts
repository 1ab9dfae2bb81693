import { createSite, latestRuleSet, latestRuleSetVersion, seedRuleSetVersion } from "@leadtrail/db";
import { createTestDb, type TestDb } from "@leadtrail/db/testing";
import { defaultRuleSet } from "@leadtrail/scoring";
import { afterEach, describe, expect, it } from "vitest";
import { createRuleSetCache } from "./rule-sets.ts";

describe("rule set cache", () => {
  let t: TestDb;
  afterEach(() => t.cleanup());

  const cases = [
    { name: "a new site gets the default rules as published version 1", published: null, version: 1, mql: 35 },
    { name: "a site with published rules keeps them", published: 50, version: 1, mql: 50 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      t = await createTestDb();
      const site = await createSite(t.db, { publicKey: "k", name: "S", domains: ["s.test"] });
      if (c.published !== null) {
        await seedRuleSetVersion(t.db, site.id, { ...defaultRuleSet, mqlThreshold: c.published }, 1);
      }
      const cache = createRuleSetCache({
        latestVersion: (id) => latestRuleSetVersion(t.db, id),
        latest: (id) => latestRuleSet(t.db, id),
        seed: (id, ruleSet) => seedRuleSetVersion(t.db, id, ruleSet, 2),
      });
      await cache.prepare([site.id]);
      expect(cache.get(site.id).mqlThreshold).toBe(c.mql);
      const rows = (await t.db.$client.execute("SELECT version, rule_set FROM rule_set_versions")).rows;
      expect(rows.map((r) => Number(r.version))).toEqual([c.version]);
      expect(JSON.parse(String(rows[0]?.rule_set)).rules).toHaveLength(defaultRuleSet.rules.length);
    });
  }
});
