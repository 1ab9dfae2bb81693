import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import {
  countUsers,
  createFirstAdmin,
  createSession,
  createUser,
  deleteSession,
  findLoginThrottle,
  findSessionUser,
  findUserForLogin,
  pruneAuth,
  reserveLoginAttempt,
  settleLoginSuccess,
  setUserRole,
  type ThrottleKey,
  throttleDelayMs,
} from "./auth.ts";

describe("auth queries", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(() => t.cleanup());

  it("creates the first admin only once, even when two setups race", async () => {
    const results = await Promise.all([
      createFirstAdmin(t.db, { email: "A@Example.test ", passwordHash: "h1" }),
      createFirstAdmin(t.db, { email: "b@example.test", passwordHash: "h2" }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await countUsers(t.db)).toBe(1);
    expect(await createFirstAdmin(t.db, { email: "c@example.test", passwordHash: "h3" })).toBeUndefined();
  });

  it("finds users by e-mail case-insensitively and refuses duplicates", async () => {
    await createUser(t.db, { email: "Rep@Example.test", passwordHash: "h", role: "sales" });
    expect((await findUserForLogin(t.db, " rep@example.TEST"))?.role).toBe("sales");
    expect(await createUser(t.db, { email: "rep@example.test", passwordHash: "h", role: "admin" })).toBeUndefined();
  });

  it("resolves a session until it expires, is deleted, or the role changes", async () => {
    const user = await createUser(t.db, { email: "m@example.test", passwordHash: "h", role: "marketer" });
    if (!user) throw new Error("no user");
    await createSession(t.db, { tokenHash: "t1", userId: user.id, expiresAt: 2000 }, 1000);
    expect((await findSessionUser(t.db, "t1", 1500))?.email).toBe("m@example.test");
    expect(await findSessionUser(t.db, "t1", 2500)).toBeUndefined();

    await createSession(t.db, { tokenHash: "t2", userId: user.id, expiresAt: 9000 }, 1000);
    await deleteSession(t.db, "t2");
    expect(await findSessionUser(t.db, "t2", 1500)).toBeUndefined();

    await createSession(t.db, { tokenHash: "t3", userId: user.id, expiresAt: 9000 }, 1000);
    await setUserRole(t.db, user.id, "sales");
    expect(await findSessionUser(t.db, "t3", 1500)).toBeUndefined();
  });
});

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
