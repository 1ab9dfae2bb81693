import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { canSeeLead, type LeadViewer, visibleLeadsCondition } from "./visibility.ts";

// Leads 1–3 of one site: owned by rep 10, owned by rep 11, in the pool.
const OWNERS: [number, number | null][] = [
  [1, 10],
  [2, 11],
  [3, null],
];

const CASES: [string, LeadViewer, number[]][] = [
  ["admin", { id: 1, role: "admin" }, [1, 2, 3]],
  ["marketer", { id: 2, role: "marketer" }, [1, 2, 3]],
  ["REST key", { id: 0, role: "api" }, [1, 2, 3]],
  ["rep 10", { id: 10, role: "sales" }, [1, 3]],
  ["rep 11", { id: 11, role: "sales" }, [2, 3]],
  ["rep without leads", { id: 12, role: "sales" }, [3]],
  ["unknown role", { id: 10, role: "intern" }, []],
];

describe("visibleLeadsCondition", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
    await t.db.$client.execute("INSERT INTO sites (public_key, name, domains, created_at) VALUES ('s', 'S', '[]', 0)");
    for (const [id, owner] of OWNERS) {
      await t.db.$client.execute({
        sql: `INSERT INTO leads (id, site_id, email, stage, owner_id, created_at) VALUES (?, 1, ?, 'lead', ?, 0)`,
        args: [id, `lead${id}@example.test`, owner],
      });
    }
  });
  afterEach(() => t.cleanup());

  it.each(CASES)("%s sees exactly their leads, in SQL and in code", async (_name, viewer, expected) => {
    const rule = visibleLeadsCondition(viewer, "x");
    const rows = await t.db.$client.execute({
      sql: `SELECT x.id FROM leads x WHERE ${rule.sql} ORDER BY x.id`,
      args: rule.args,
    });
    expect(rows.rows.map((r) => Number(r.id))).toEqual(expected);
    expect(OWNERS.filter(([, ownerId]) => canSeeLead(viewer, { ownerId })).map(([id]) => id)).toEqual(expected);
  });
});
