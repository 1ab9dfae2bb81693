// Privacy: the export carries the deal value; tombstones: an erased person is recognised again, but the stored hash does not give them away.
import { insertTombstones, withWriteTransaction } from "@leadtrail/db";
import { afterEach, describe, expect, it } from "vitest";
import { hmacSha256Hex, sha256Hex } from "./hash.ts";
import { erasedVisitorIds, eraseLead, exportLead, isErasedEmail } from "./privacy.ts";
import { applySalesAction } from "./sales-actions.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";

const NOW = Date.UTC(2026, 2, 10, 10);
const EMAIL = "erin@erase.test";

describe("export a lead", () => {
  it("includes the deal value sales recorded on the close", async () => {
    const f = await createFixture();
    try {
      const leadId = await f.lead("won@export.test", {}, "sql");
      const won = await applySalesAction(f.db, { leadId, action: "win", actor: "user:1", value: 5400, now: NOW });
      expect(won.ok).toBe(true);
      expect((await exportLead(f.db, leadId, { now: NOW }))?.lead).toMatchObject({ stage: "won", deal_value: 5400 });
    } finally {
      f.cleanup();
    }
  });
});

describe("erase tombstones", () => {
  const fixtures: Fixture[] = [];
  afterEach(() => {
    for (const f of fixtures.splice(0)) f.cleanup();
  });

  it("stores a keyed hash, not the plain SHA-256 a dictionary of addresses reverses", async () => {
    const f = await createFixture();
    fixtures.push(f);
    const leadId = await f.lead(EMAIL);
    await eraseLead(f.db, leadId, { now: NOW });
    const stored = (await f.rows("SELECT hash FROM privacy_tombstones WHERE kind = 'email'")).map((r) => r.hash);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(await sha256Hex(`${f.site.id}:email:${EMAIL}`));
    // It is the HMAC under the site's own key, made on this first erase and kept.
    const [key] = await f.rows("SELECT secret FROM tombstone_keys WHERE site_id = ?", [f.site.id]);
    expect(String(key?.secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]).toBe(await hmacSha256Hex(String(key?.secret), `${f.site.id}:email:${EMAIL}`));

    // Still recognised (case and spaces as the collector normalises them), others are not.
    await withWriteTransaction(f.db, async (tx) => {
      expect(await isErasedEmail(tx, f.site.id, ` ${EMAIL.toUpperCase()} `)).toBe(true);
      expect(await isErasedEmail(tx, f.site.id, "someone@else.test")).toBe(false);
      expect(await isErasedEmail(tx, f.site.id + 1, EMAIL)).toBe(false);
    });

    // A second erase reuses the key: the first tombstone must still match.
    await eraseLead(f.db, await f.lead("second@erase.test"), { now: NOW + 1 });
    expect(await f.rows("SELECT count(*) AS n FROM tombstone_keys")).toEqual([{ n: 1 }]);
    await withWriteTransaction(f.db, async (tx) => {
      expect(await isErasedEmail(tx, f.site.id, EMAIL)).toBe(true);
      expect(await isErasedEmail(tx, f.site.id, "second@erase.test")).toBe(true);
    });
  });

  it("still recognises tombstones written as plain SHA-256 before keys existed", async () => {
    const f = await createFixture();
    fixtures.push(f);
    const siteId = f.site.id;
    await withWriteTransaction(f.db, async (tx) => {
      await insertTombstones(tx, [
        { siteId, kind: "email", hash: await sha256Hex(`${siteId}:email:old@erase.test`), createdAt: NOW },
        { siteId, kind: "visitor", hash: await sha256Hex(`${siteId}:visitor:v_old`), createdAt: NOW },
      ]);
    });
    await withWriteTransaction(f.db, async (tx) => {
      expect(await isErasedEmail(tx, siteId, "old@erase.test")).toBe(true);
      expect(await erasedVisitorIds(tx, siteId, ["v_old", "v_new"])).toEqual(new Set(["v_old"]));
    });
  });
});
