// Scoring rules end to end against the built dashboard: the defaults are a real published version,
// the preview re-scores every lead without writing, publishing re-scores in the background with a
// progress endpoint, and an admin merges two leads from the lead page.
import { createSite, insertLead, loadLeadHistories } from "@leadtrail/db";
import { defaultRuleSet, type RuleSet, replay, rescoreLead } from "@leadtrail/scoring";
import { historySteps, processRescoreRuns, storedState } from "@leadtrail/workflows";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type Fixture, login, postAction, startFixture, USERS } from "./fixture.ts";

describe("scoring rules and lead merge in the dashboard", () => {
  let f: Fixture;
  const cookies = { admin: "", marketer: "", sales: "" };
  beforeAll(async () => {
    f = await startFixture();
    cookies.admin = await login(f.url, ADMIN.email, ADMIN.password);
    cookies.marketer = await login(f.url, USERS.marketer.email, USERS.marketer.password);
    cookies.sales = await login(f.url, USERS.sales.email, USERS.sales.password);
  }, 120_000);
  afterAll(() => f?.stop());

  const rows = async (sql: string, args: (string | number)[] = []) =>
    (await f.db.$client.execute({ sql, args })).rows as Record<string, unknown>[];
  const get = (path: string, who: keyof typeof cookies) =>
    fetch(`${f.url}${path}`, { headers: { cookie: cookies[who] }, redirect: "manual" });
  // The draft: pricing is worth 30 instead of 10, and MQL starts at 10 points.
  const fields = {
    mqlThreshold: "10",
    halfLifeDays: "30",
    ...Object.fromEntries(
      defaultRuleSet.rules.flatMap((r) => [
        [`points:${r.id}`, String(r.points)],
        [`enabled:${r.id}`, "on"],
      ]),
    ),
    "points:pricing-page": "30",
  };

  it("seeds the default rules as published version 1 of the site", async () => {
    const versions = await rows("SELECT version, rule_set FROM rule_set_versions WHERE site_id = ?", [f.siteId]);
    expect(versions.map((v) => Number(v.version))).toEqual([1]);
    const stored = JSON.parse(String(versions[0]?.rule_set)) as typeof defaultRuleSet;
    expect(stored.mqlThreshold).toBe(35);
    expect(stored.rules.find((r) => r.id === "qr-poster-scan")?.points).toBe(5);
    const page = await (await get("/scoring", "marketer")).text();
    expect(page).toContain("live: version 1");
  });

  it("previews the draft on every lead from its events and writes nothing", async () => {
    expect(await postAction(f.url, "/scoring?/saveDraft", cookies.marketer, fields)).toBe(200);
    const snapshot = () =>
      rows(`SELECT (SELECT group_concat(id || ':' || stage || ':' || engagement_score || ':' || fit_score) FROM leads) AS l,
              (SELECT count(*) FROM score_ledger) AS ledger, (SELECT count(*) FROM stage_changes) AS sc,
              (SELECT count(*) FROM rescore_runs) AS runs`);
    const before = await snapshot();
    // Without JavaScript the action answers with the page, preview included.
    const response = await fetch(`${f.url}/scoring?/preview`, {
      method: "POST",
      headers: {
        cookie: cookies.marketer,
        origin: f.url,
        accept: "text/html",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "",
    });
    const html = await response.text();
    expect(await snapshot()).toEqual(before);
    const summary = /data-testid="rescore-preview-summary"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? "";
    const [, leads, mqls] =
      /^(\d+) leads replayed from their events: (\d+) would become MQL/.exec(summary.trim()) ?? [];

    const ids = (await rows("SELECT id FROM leads WHERE site_id = ?", [f.siteId])).map((r) => Number(r.id));
    const [stored] = await rows("SELECT rule_set FROM rule_set_drafts WHERE site_id = ?", [f.siteId]);
    const draft = JSON.parse(String(stored?.rule_set)) as RuleSet;
    expect(draft.rules.find((r) => r.id === "pricing-page")?.points).toBe(30);
    const now = Date.now();
    const replayed = [...(await loadLeadHistories(f.db, ids)).values()].map((lead) =>
      rescoreLead(historySteps(lead), storedState(lead), draft, now),
    );
    expect(Number(leads)).toBe(ids.length);
    expect(Number(mqls)).toBe(replayed.filter((r) => r.stageChange).length);
    expect(Number(mqls)).toBeGreaterThan(0);
  });

  it("publishing re-scores in the background and reports progress", async () => {
    expect(await postAction(f.url, "/scoring?/publish", cookies.marketer, { note: "pricing" })).toBe(200);
    const progress = async () =>
      (await (await get("/scoring/progress", "marketer")).json()) as {
        run: { version: number; status: string; done: number; total: number };
      };
    expect((await progress()).run).toMatchObject({ version: 2, status: "pending", done: 0 });
    expect((await get("/scoring/progress", "sales")).status).toBe(403);
    // The collector's job, run here on the same database after the grace period.
    await processRescoreRuns(f.db, { now: () => Date.now() + 60_000, batchSize: 3 });
    const done = (await progress()).run;
    expect(done).toMatchObject({ version: 2, status: "done" });
    expect(done.done).toBe(done.total);
    const page = await (await get("/scoring", "marketer")).text();
    expect(page).toMatch(/data-testid="rescore-progress" data-status="done"/);
    expect(page).toContain(`Version 2 applied to ${done.total} leads`);
    // Every lead's ledger is now the replay with v2 (anonymous browsers keep theirs until identified).
    expect(await rows("SELECT DISTINCT rule_version AS v FROM score_ledger WHERE lead_id IS NOT NULL")).toEqual([
      { v: 2 },
    ]);
    const [published] = await rows("SELECT rule_set FROM rule_set_versions WHERE version = 2");
    const v2 = JSON.parse(String(published?.rule_set)) as RuleSet;
    const ids = (await rows("SELECT id FROM leads")).map((r) => Number(r.id));
    for (const lead of (await loadLeadHistories(f.db, ids)).values()) {
      expect(storedState(lead).engagement, `lead ${lead.id}`).toBe(replay(historySteps(lead), v2).state.engagement);
    }
  });

  it("shows the lead's account roll-up on the lead page", async () => {
    const [lead] = await rows("SELECT id FROM leads WHERE company_id IS NOT NULL ORDER BY id LIMIT 1");
    const html = await (await get(`/leads/${Number(lead?.id)}`, "admin")).text();
    expect(html).toMatch(/data-testid="account-rollup"[^>]*>\s*Account score [\d.]+ · \d+ of \d+ people engaged/);
  });

  it("merges a lead into another from the lead page (admins only); the old address redirects", async () => {
    const [a, b] = (await rows("SELECT id FROM leads WHERE site_id = ? ORDER BY id LIMIT 2", [f.siteId])).map((r) =>
      Number(r.id),
    ) as [number, number];
    const other = await createSite(f.db, { publicKey: "other-site", name: "Other", domains: ["other.test"] });
    const foreign = await insertLead(f.db, {
      siteId: other.id,
      email: "x@other.test",
      name: null,
      companyId: null,
      role: null,
      traits: {},
      unverified: false,
      createdAt: 0,
    });
    const eventsBefore = Number((await rows("SELECT count(*) AS n FROM events WHERE lead_id IN (?, ?)", [a, b]))[0]?.n);
    const refusals: [string, keyof typeof cookies, string, number][] = [
      ["marketer", "marketer", String(a), 403],
      ["sales", "sales", String(a), 403],
      ["same lead", "admin", String(b), 400],
      ["another site's lead", "admin", String(foreign.id), 400],
      ["unknown e-mail", "admin", "nobody@nowhere.test", 400],
    ];
    for (const [name, who, into, status] of refusals) {
      expect(await postAction(f.url, `/leads/${b}?/merge`, cookies[who], { into }), name).toBe(status);
    }
    expect(await rows("SELECT count(*) AS n FROM lead_merges")).toEqual([{ n: 0 }]);

    expect(await postAction(f.url, `/leads/${b}?/merge`, cookies.admin, { into: String(a), reason: "duplicate" })).toBe(
      303,
    );
    expect(await rows("SELECT id FROM leads WHERE id = ?", [b])).toEqual([]);
    expect(Number((await rows("SELECT count(*) AS n FROM events WHERE lead_id = ?", [a]))[0]?.n)).toBe(eventsBefore);
    const note = await rows(
      "SELECT actor, reason FROM stage_changes WHERE lead_id = ? AND reason LIKE 'merged lead%'",
      [a],
    );
    expect(note).toEqual([{ actor: `user:${f.userIds[ADMIN.email]}`, reason: expect.stringContaining("duplicate") }]);
    const redirect = await get(`/leads/${b}`, "admin");
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe(`/leads/${a}`);
  });
});
