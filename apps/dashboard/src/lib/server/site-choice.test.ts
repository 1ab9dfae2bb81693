import { createSite, createUser, listSites, preferredSiteId, type Site, upsertRoutingRep } from "@leadtrail/db";
import { createTestDb, type TestDb } from "@leadtrail/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseSite } from "./site-choice.ts";

describe("chooseSite", () => {
  let t: TestDb;
  let sites: Site[];
  let userId: number;
  beforeEach(async () => {
    t = await createTestDb();
    await createSite(t.db, { publicKey: "main", name: "Main", domains: ["main.test"] });
    await createSite(t.db, { publicKey: "blog", name: "Blog", domains: ["blog.test"] });
    sites = await listSites(t.db);
    const user = await createUser(t.db, { email: "a@x.test", name: null, passwordHash: "x", role: "admin" });
    userId = user?.id ?? 0;
  });
  afterEach(() => t.cleanup());

  const pick = async (requested: string | null, user: number | undefined = userId) =>
    (await chooseSite(t.db, sites, requested, user))?.publicKey;

  it("takes the first site while nothing is remembered", async () => {
    expect(await pick(null)).toBe("main");
  });

  it("takes ?site= and remembers it for the pages without one", async () => {
    expect(await pick("blog")).toBe("blog");
    expect(await preferredSiteId(t.db, userId)).toBe(sites[1]?.id);
    expect(await pick(null)).toBe("blog");
    expect(await pick("main")).toBe("main");
    expect(await pick(null)).toBe("main");
  });

  it("ignores an unknown ?site= and keeps the remembered one", async () => {
    await pick("blog");
    expect(await pick("nope")).toBe("blog");
    expect(await preferredSiteId(t.db, userId)).toBe(sites[1]?.id);
  });

  it("starts a rep who never chose on the site they take leads for, until they choose", async () => {
    const rep = await createUser(t.db, { email: "rep@x.test", name: null, passwordHash: "x", role: "sales" });
    const repId = rep?.id ?? 0;
    await upsertRoutingRep(t.db, { siteId: sites[1]?.id ?? 0, userId: repId });
    expect(await pick(null, repId)).toBe("blog");
    expect(await pick("main", repId)).toBe("main");
    expect(await pick(null, repId)).toBe("main");
    // Others still start on the first site.
    expect(await pick(null)).toBe("main");
  });

  it("remembers per user, and nothing without a user", async () => {
    await pick("blog");
    const other = await createUser(t.db, { email: "b@x.test", name: null, passwordHash: "x", role: "sales" });
    expect(await pick(null, other?.id)).toBe("main");
    // Outside a request, without a user: nothing is read or remembered.
    expect((await chooseSite(t.db, sites, "blog"))?.publicKey).toBe("blog");
    expect((await chooseSite(t.db, sites, null))?.publicKey).toBe("main");
  });
});
