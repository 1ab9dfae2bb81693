import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "./migrate.ts";
import { createTestDb, type TestDb } from "./testing.ts";

describe("migrate", () => {
  let t: TestDb;
  afterEach(() => t.cleanup());

  it("creates the schema once and is a no-op on the next start", async () => {
    t = await createTestDb(); // applies the migrations
    const tables = await t.db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    const names = tables.rows.map((r) => r.name);
    for (const table of ["sites", "visitors", "events", "leads", "score_ledger", "stage_changes", "daily_stats"]) {
      expect(names).toContain(table);
    }
    expect(await migrate(t.db.$client)).toBe(0);
  });

  it("rebuilds the funnel summaries of a database whose leads predate them", async () => {
    t = await createTestDb();
    const client = t.db.$client;
    await client.execute("INSERT INTO sites (public_key, name, domains, created_at) VALUES ('s', 'S', '[]', 0)");
    await client.execute(
      "INSERT INTO leads (site_id, email, stage, created_at) VALUES (1, 'a@b.test', 'mql', 1000), (1, 'c@d.test', 'lead', 2000)",
    );
    await client.execute(
      "INSERT INTO stage_changes (site_id, lead_id, from_stage, to_stage, actor, at) VALUES (1, 1, 'lead', 'mql', 'rule:x', 1500)",
    );
    await client.execute("DELETE FROM lead_funnel"); // as if written before the summaries existed
    expect(await migrate(client)).toBe(0);
    const funnel = await client.execute("SELECT lead_id, mql_at FROM lead_funnel ORDER BY lead_id");
    expect(funnel.rows.map((r) => [Number(r.lead_id), r.mql_at === null ? null : Number(r.mql_at)])).toEqual([
      [1, 1500],
      [2, null],
    ]);
  });

  it("puts a file database in WAL mode with a busy timeout on the connection", async () => {
    t = await createTestDb();
    const journal = await t.db.$client.execute("PRAGMA journal_mode");
    expect(journal.rows[0]?.journal_mode).toBe("wal");
    const timeout = await t.db.$client.execute("PRAGMA busy_timeout");
    expect(Number(timeout.rows[0]?.timeout)).toBeGreaterThanOrEqual(1000);
  });
});
