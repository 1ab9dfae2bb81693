import { afterEach, describe, expect, it } from "vitest";
import { createDb, type Database } from "./client.ts";
import { createTestDb, type TestDb } from "./testing.ts";
import { withWriteTransaction } from "./transactions.ts";

describe("withWriteTransaction", () => {
  let t: TestDb;
  const others: Database[] = [];
  afterEach(() => {
    for (const other of others.splice(0)) other.$client.close();
    t.cleanup();
  });

  it("tries again when another connection holds the write lock past the busy timeout, and commits once", async () => {
    t = await createTestDb();
    // A second client of the same file (another process, or a pooled connection) takes the lock...
    const holder = await createDb({ url: t.url });
    others.push(holder);
    const held = await holder.$client.transaction("write");
    await held.execute("INSERT INTO sites (public_key, name, domains, created_at) VALUES ('held', 'Held', '[]', 0)");
    // ...and lets go soon after: the waiting client's busy timeout (20 ms here) is shorter.
    setTimeout(() => void held.commit().then(() => held.close()), 60);
    const writer = await createDb({ url: t.url, busyTimeoutMs: 20 });
    others.push(writer);

    let runs = 0;
    await withWriteTransaction(writer, async (tx) => {
      runs++;
      await tx.$client.execute(
        "INSERT INTO sites (public_key, name, domains, created_at) VALUES ('mine', 'Mine', '[]', 0)",
      );
    });
    expect(runs).toBeGreaterThan(1);
    const keys = await t.db.$client.execute("SELECT public_key FROM sites ORDER BY public_key");
    expect(keys.rows.map((r) => r.public_key)).toEqual(["held", "mine"]);
  });

  it("does not try again when the work itself fails", async () => {
    t = await createTestDb();
    let runs = 0;
    await expect(
      withWriteTransaction(t.db, async () => {
        runs++;
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(runs).toBe(1);
  });
});
