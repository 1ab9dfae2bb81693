import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "./migrate.ts";
import { createTestDb, readEverythingInChild, type TestDb } from "./testing.ts";
import { findInvalidText, TEXT_REPAIR_TASK } from "./text-repair.ts";

// A database written before issue #13 was fixed: text that is not valid UTF-8 (a lone surrogate
// escape that SQLite's json_each decoded into ED A0 80) and JSON columns holding such escapes.
// Reading any of it made the libSQL driver abort the process; `migrate` must repair it once.
async function plantBadRows(t: TestDb) {
  const c = t.db.$client;
  await c.execute("INSERT INTO sites (public_key, name, domains, created_at) VALUES ('s', 'S', '[]', 0)");
  // json_each decodes the escapes into invalid bytes, exactly as the old write path did.
  await c.execute({
    sql: `INSERT INTO events (site_id, client_id, visitor_id, type, title, url, props, received_at)
          SELECT 1, value->>0, 'v1', 'pageview', value->>1, value->>2, value->>3, 0 FROM json_each(?)`,
    args: [
      String.raw`[["e1","\ud800x","https://a.test/\udc00","{\"k\\ud800\":\"v\"}"],["e2","fine é 😀","https://a.test/","{\"ok\":\"\\u00e9\\ud83d\\ude00\"}"]]`,
    ],
  });
  await c.execute({
    sql: "INSERT INTO daily_stats (site_id, day, dimension, value) SELECT 1, '2026-01-01', 'title', value FROM json_each(?)",
    args: [String.raw`["\ud800x", "\ufffdx"]`],
  });
  await c.execute({
    sql: "INSERT INTO leads (site_id, email, name, traits, created_at) SELECT 1, 'a@b.test', value->>0, value->>1, 0 FROM json_each(?)",
    args: [String.raw`[["A\udbff", "{\"role\":\"\\udfff\"}"]]`],
  });
  await c.execute({ sql: "DELETE FROM maintenance_tasks WHERE name = ?", args: [TEXT_REPAIR_TASK] });
}

const hexOf = async (t: TestDb, sql: string) =>
  (await t.db.$client.execute(sql)).rows.map((r) => Buffer.from(String(Object.values(r)[0]), "hex").toString());

describe("repair of stored text that is not valid UTF-8", { timeout: 60_000 }, () => {
  let t: TestDb;
  afterEach(() => t.cleanup());

  it("the planted rows do abort a reader (the defect the repair exists for)", async () => {
    t = await createTestDb();
    await plantBadRows(t);
    const read = await readEverythingInChild(t.url);
    expect(read.code).not.toBe(0);
    expect(read.stderr).toContain("Utf8Error");
  });

  it("migrate rewrites them once, keeps good text as it was, and every value then reads back", async () => {
    t = await createTestDb();
    await plantBadRows(t);
    expect(await findInvalidText(t.db)).toEqual({
      "events.title": 1,
      "events.url": 1,
      "events.props": 1,
      "daily_stats.value": 1,
      "leads.name": 1,
      "leads.traits": 1,
    });
    expect(await migrate(t.db.$client)).toBe(0);
    expect(await findInvalidText(t.db)).toEqual({});

    const read = await readEverythingInChild(t.url);
    expect(read.stderr).toBe("");
    expect(read.code).toBe(0);
    expect(read.illFormed).toEqual([]);
    expect(await hexOf(t, "SELECT hex(title) FROM events ORDER BY id")).toEqual(["\ufffdx", "fine é 😀"]);
    expect(await hexOf(t, "SELECT hex(url) FROM events ORDER BY id")).toEqual([
      "https://a.test/\ufffd",
      "https://a.test/",
    ]);
    const props = (await t.db.$client.execute("SELECT props FROM events ORDER BY id")).rows.map((r) => r.props);
    expect(props.map((p) => JSON.parse(String(p)))).toEqual([{ "k\ufffd": "v" }, { ok: "é😀" }]);
    // A valid escaped pair is not touched.
    expect(props[1]).toBe(String.raw`{"ok":"\u00e9\ud83d\ude00"}`);
    // The repaired rollup value collides with an existing one: it stays a row of its own.
    expect((await hexOf(t, "SELECT hex(value) FROM daily_stats ORDER BY rowid")).sort()).toEqual([
      "\ufffdx",
      "\ufffdx (repaired 1)",
    ]);
    const lead = (await t.db.$client.execute("SELECT name, traits->>'role' AS role FROM leads")).rows[0];
    expect(lead).toMatchObject({ name: "A\ufffd", role: "\ufffd" });

    const task = await t.db.$client.execute({
      sql: "SELECT note FROM maintenance_tasks WHERE name = ?",
      args: [TEXT_REPAIR_TASK],
    });
    expect(JSON.parse(String(task.rows[0]?.note))).toEqual({
      repaired: {
        "events.title": 1,
        "events.url": 1,
        "events.props": 1,
        "daily_stats.value": 1,
        "leads.name": 1,
        "leads.traits": 1,
      },
    });
  });

  it("runs only once per database", async () => {
    t = await createTestDb();
    await plantBadRows(t);
    await t.db.$client.execute({
      sql: "INSERT INTO maintenance_tasks (name, done_at) VALUES (?, 0)",
      args: [TEXT_REPAIR_TASK],
    });
    await migrate(t.db.$client);
    const title = await t.db.$client.execute("SELECT hex(title) AS h FROM events ORDER BY id LIMIT 1");
    expect(title.rows[0]?.h).toBe("EDA08078"); // left as it was: the task is recorded as done
  });
});
