import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import {
  countUsers,
  createFirstAdmin,
  createSession,
  createUser,
  deleteSession,
  findSessionUser,
  findUserForLogin,
  INVITATION_KEPT_MS,
  pruneAuth,
  setUserRole,
} from "./auth.ts";
import { findInvitation, insertInvitation } from "./invitations.ts";

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

  it("creates the first admin while no admin exists, even when other users do, and only once", async () => {
    await createUser(t.db, { email: "rep@acme.test", passwordHash: "disabled", role: "sales" });
    const results = await Promise.all([
      createFirstAdmin(t.db, { email: "boss@acme.test", passwordHash: "h1" }),
      createFirstAdmin(t.db, { email: "other@acme.test", passwordHash: "h2" }),
    ]);
    expect(results.filter(Boolean).map((u) => u?.role)).toEqual(["admin"]);
    expect(await createFirstAdmin(t.db, { email: "third@acme.test", passwordHash: "h3" })).toBeUndefined();
  });

  it("does not turn an existing user into the first admin by e-mail", async () => {
    await createUser(t.db, { email: "rep@acme.test", passwordHash: "disabled", role: "sales" });
    expect(await createFirstAdmin(t.db, { email: "REP@acme.test", passwordHash: "h" })).toBeUndefined();
    expect((await findUserForLogin(t.db, "rep@acme.test"))?.role).toBe("sales");
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

  it("keeps a used or expired one-time link for a month after its expiry, then prunes it", async () => {
    const user = await createUser(t.db, { email: "r@example.test", passwordHash: "h", role: "sales" });
    if (!user) throw new Error("no user");
    await insertInvitation(
      t.db,
      { tokenHash: "old", userId: user.id, purpose: "reset", createdBy: null, expiresAt: 10_000 },
      1_000,
    );
    const later = 10_000 + INVITATION_KEPT_MS;
    await pruneAuth(t.db, later, 0);
    expect((await findInvitation(t.db, "old"))?.expiresAt).toBe(10_000); // its page can still say "expired"
    await pruneAuth(t.db, later + 1, 0);
    expect(await findInvitation(t.db, "old")).toBeUndefined();
  });
});
