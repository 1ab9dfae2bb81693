import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { pruneAuth } from "./auth.ts";
import {
  findLoginThrottle,
  reserveLoginAttempt,
  settleLoginSuccess,
  type ThrottleKey,
  throttleDelayMs,
} from "./login-throttle.ts";

describe("log-in throttle", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(() => t.cleanup());

  const pair: ThrottleKey = { key: "pair:a|1", freeFailures: 3, baseDelayMs: 10_000, maxDelayMs: 60_000 };
  const client: ThrottleKey = { key: "client:1", freeFailures: 10, baseDelayMs: 10_000, maxDelayMs: 60_000 };
  const WINDOW = 900_000;

  it.each([
    [0, 0],
    [2, 0],
    [3, 10_000],
    [4, 20_000],
    [5, 40_000],
    [6, 60_000],
    [60, 60_000],
  ])("waits after %d failures %d ms", (failures, ms) => {
    expect(throttleDelayMs(pair, failures)).toBe(ms);
  });

  it("lets only the free attempts through when many arrive at once, and counts no refused one", async () => {
    const verdicts = await Promise.all(
      Array.from({ length: 25 }, () => reserveLoginAttempt(t.db, [pair, client], 1_000, WINDOW)),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    const refused = verdicts.filter((v) => !v.allowed);
    expect(refused).toHaveLength(22);
    expect(refused.every((v) => !v.allowed && v.retryAfterMs === 10_000)).toBe(true);
    expect((await findLoginThrottle(t.db, pair.key))?.failures).toBe(3);
    expect((await findLoginThrottle(t.db, client.key))?.failures).toBe(3);
  });

  it("doubles the wait with each further failure and forgets a quiet key after the window", async () => {
    for (let i = 0; i < 3; i++) expect((await reserveLoginAttempt(t.db, [pair], 1_000, WINDOW)).allowed).toBe(true);
    expect(await reserveLoginAttempt(t.db, [pair], 10_999, WINDOW)).toEqual({ allowed: false, retryAfterMs: 1 });
    expect((await reserveLoginAttempt(t.db, [pair], 11_000, WINDOW)).allowed).toBe(true);
    expect(await reserveLoginAttempt(t.db, [pair], 12_000, WINDOW)).toEqual({ allowed: false, retryAfterMs: 19_000 });
    // A window later the count starts over: the free attempts are back.
    const later = 11_000 + WINDOW + 1;
    expect((await reserveLoginAttempt(t.db, [pair], later, WINDOW)).allowed).toBe(true);
    expect((await findLoginThrottle(t.db, pair.key))?.failures).toBe(1);
  });

  it("resets the account's counters on success and refunds the client's counted attempt", async () => {
    for (let i = 0; i < 3; i++) await reserveLoginAttempt(t.db, [pair, client], 1_000, WINDOW);
    await settleLoginSuccess(t.db, [pair.key], [client]);
    expect(await findLoginThrottle(t.db, pair.key)).toBeUndefined();
    expect((await findLoginThrottle(t.db, client.key))?.failures).toBe(2);
    expect((await reserveLoginAttempt(t.db, [pair, client], 1_001, WINDOW)).allowed).toBe(true);
  });

  it("prunes counters that are quiet and no longer delay anyone", async () => {
    for (let i = 0; i < 4; i++) await reserveLoginAttempt(t.db, [pair, client], 1_000, WINDOW);
    await pruneAuth(t.db, 5_000, 2_000);
    // The pair still delays (until 21,000): kept; the client is below its free count: gone.
    expect(await findLoginThrottle(t.db, pair.key)).toBeDefined();
    expect(await findLoginThrottle(t.db, client.key)).toBeUndefined();
  });
});
