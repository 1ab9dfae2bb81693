import {
  createSession,
  createUser,
  findSessionUser,
  findUserForLogin,
  listUserAccess,
  NO_PASSWORD_HASH,
} from "@leadtrail/db";
import { createTestDb, type TestDb } from "@leadtrail/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acceptInvitation, checkInvitation, INVITATION_TTL_MS, issueInvitation } from "./invitations.ts";

const NOW = 1_780_000_000_000;

describe("invitations", () => {
  let t: TestDb;
  let repId: number;
  beforeEach(async () => {
    t = await createTestDb();
    const rep = await createUser(t.db, { email: "rep@acme.test", passwordHash: NO_PASSWORD_HASH, role: "sales" });
    repId = rep?.id ?? 0;
  });
  afterEach(() => t.cleanup());

  const invite = (purpose: "invite" | "reset" = "invite", now = NOW) =>
    issueInvitation(t.db, { userId: repId, purpose, createdBy: null, now });

  it("lets the invited person set a password once; the link then says it was used", async () => {
    const link = await invite();
    expect(link.path).toBe(`/invite/${link.token}`);
    expect(link.expiresAt).toBe(NOW + INVITATION_TTL_MS.invite);
    // Only the hash is stored.
    const stored = await t.db.$client.execute("SELECT token_hash FROM invitations");
    expect(JSON.stringify(stored.rows)).not.toContain(link.token);

    expect(await checkInvitation(t.db, link.token, NOW + 1000)).toMatchObject({
      ok: true,
      email: "rep@acme.test",
      role: "sales",
      purpose: "invite",
    });
    expect((await listUserAccess(t.db, NOW)).get(repId)).toEqual({
      hasPassword: false,
      openLink: { purpose: "invite", expiresAt: link.expiresAt },
    });
    expect(await acceptInvitation(t.db, { token: link.token, passwordHash: "scrypt$new", now: NOW + 2000 })).toEqual({
      ok: true,
      userId: repId,
      role: "sales",
    });
    expect((await findUserForLogin(t.db, "rep@acme.test"))?.passwordHash).toBe("scrypt$new");
    expect((await listUserAccess(t.db, NOW)).get(repId)).toEqual({ hasPassword: true, openLink: null });

    // Reused: refused, and the password stays.
    expect(await acceptInvitation(t.db, { token: link.token, passwordHash: "scrypt$evil", now: NOW + 3000 })).toEqual({
      ok: false,
      problem: "used",
    });
    expect((await findUserForLogin(t.db, "rep@acme.test"))?.passwordHash).toBe("scrypt$new");
  });

  it("refuses an expired link, a wrong token and a link replaced by a newer one", async () => {
    const old = await invite();
    expect(await acceptInvitation(t.db, { token: old.token, passwordHash: "h", now: old.expiresAt })).toEqual({
      ok: false,
      problem: "expired",
    });
    const newer = await invite();
    expect(await checkInvitation(t.db, old.token, NOW)).toEqual({ ok: false, problem: "unknown" });
    // One character changed (the last one is random, so it may already be an "A").
    const tampered = newer.token.slice(0, -1) + (newer.token.endsWith("A") ? "B" : "A");
    expect(await checkInvitation(t.db, tampered, NOW)).toMatchObject({ ok: false });
    for (const wrong of ["", "x", "../../etc", newer.token.toUpperCase(), `${newer.token}A`]) {
      expect(await checkInvitation(t.db, wrong, NOW)).toEqual({ ok: false, problem: "unknown" });
    }
    expect((await findUserForLogin(t.db, "rep@acme.test"))?.passwordHash).toBe(NO_PASSWORD_HASH);
  });

  it("lets only one of two requests racing with the same link set the password", async () => {
    const link = await invite();
    const results = await Promise.all(
      ["scrypt$a", "scrypt$b"].map((passwordHash) =>
        acceptInvitation(t.db, { token: link.token, passwordHash, now: NOW }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, problem: "used" });
  });

  it("a used reset link ends every session of the user", async () => {
    await createSession(t.db, { tokenHash: "laptop", userId: repId, expiresAt: NOW + 1e9 }, NOW);
    await createSession(t.db, { tokenHash: "phone", userId: repId, expiresAt: NOW + 1e9 }, NOW);
    const link = await invite("reset");
    expect(link.expiresAt).toBe(NOW + INVITATION_TTL_MS.reset);
    expect((await findSessionUser(t.db, "laptop", NOW))?.id).toBe(repId);
    expect((await acceptInvitation(t.db, { token: link.token, passwordHash: "scrypt$r", now: NOW })).ok).toBe(true);
    expect(await findSessionUser(t.db, "laptop", NOW)).toBeUndefined();
    expect(await findSessionUser(t.db, "phone", NOW)).toBeUndefined();
  });
});
