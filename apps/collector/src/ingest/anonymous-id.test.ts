import { afterEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 4, 4, 10);

describe("cookieless visitor ids and daily salts", () => {
  let t: TestCollector;
  afterEach(() => t.cleanup());

  const send = (ms: number, ip = "192.0.2.10") =>
    t.post(batch([pageview("/", { time: ms })], { visitor: undefined, sentAt: ms }), {
      "x-test-now": String(ms),
      "x-test-ip": ip,
    });

  it("keeps one id per browser for a day, rotates it the next day, and deletes salts after 48 hours", async () => {
    t = await createTestCollector();
    await send(T0);
    await send(T0 + 3_600_000);
    await send(T0, "192.0.2.11");
    await send(T0 + DAY);
    const ids = (await t.db.$client.execute("SELECT visitor_id FROM events ORDER BY id")).rows.map((r) => r.visitor_id);
    expect(ids[0]).toBe(ids[1]); // same day, same IP and browser
    expect(ids[2]).not.toBe(ids[0]); // another IP
    expect(ids[3]).not.toBe(ids[0]); // the next day: a new salt
    expect((await t.db.$client.execute("SELECT day FROM daily_salts ORDER BY day")).rows.map((r) => r.day)).toEqual([
      "2026-05-04",
      "2026-05-05",
    ]);

    await send(T0 + 3 * DAY + 1);
    const days = (await t.db.$client.execute("SELECT day FROM daily_salts ORDER BY day")).rows.map((r) => r.day);
    expect(days).toEqual(["2026-05-07"]); // the salts made 72 h and 48 h + 1 ms ago are gone
  });
});
