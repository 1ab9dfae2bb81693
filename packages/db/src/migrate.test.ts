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

  it("puts a file database in WAL mode with a busy timeout on the connection", async () => {
    t = await createTestDb();
    const journal = await t.db.$client.execute("PRAGMA journal_mode");
    expect(journal.rows[0]?.journal_mode).toBe("wal");
    const timeout = await t.db.$client.execute("PRAGMA busy_timeout");
    expect(Number(timeout.rows[0]?.timeout)).toBeGreaterThanOrEqual(1000);
  });
});
