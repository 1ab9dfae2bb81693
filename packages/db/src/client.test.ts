import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./testing.ts";

describe("createDb on a local file", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(() => t.cleanup());

  it("configures every pooled connection, not just the one that happened to run the pragma", async () => {
    // Each open transaction holds a connection of its own: four at once are the whole pool.
    const txs = await Promise.all(Array.from({ length: 4 }, () => t.db.$client.transaction("deferred")));
    try {
      for (const tx of txs) {
        const sync = await tx.execute("PRAGMA synchronous");
        const fk = await tx.execute("PRAGMA foreign_keys");
        // 1 = NORMAL (SQLite's default is 2 = FULL); foreign keys on.
        expect([sync.rows[0]?.[0], fk.rows[0]?.[0]]).toEqual([1, 1]);
      }
    } finally {
      for (const tx of txs) tx.close();
    }
  });

  it("runs in WAL mode so the collector and the dashboard can share the file", async () => {
    const mode = await t.db.$client.execute("PRAGMA journal_mode");
    expect(mode.rows[0]?.[0]).toBe("wal");
  });
});
