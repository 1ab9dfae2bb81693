import { createUser } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../test-fixtures.ts";
import { seedRouting } from "../testing.ts";
import { importLeads, previewLeadImport } from "./import-leads.ts";

const NOW = Date.UTC(2026, 2, 10, 10);
const HEADER = "Email,Name,Company,Job Title,Country,Stage,Owner,Acquisition,Legal basis,Seniority\n";

describe("CSV lead import", () => {
  let f: Fixture;
  let repId: number;
  beforeEach(async () => {
    f = await createFixture();
    const user = await createUser(f.db, { email: "rep@acme.test", name: "Rep", passwordHash: "x", role: "sales" });
    repId = user?.id ?? 0;
  });
  afterEach(() => f.cleanup());
  const run = (csv: string, options: { skipInvalid?: boolean; route?: boolean } = {}) =>
    importLeads(f.db, { siteId: f.site.id, csv, actor: "user:1", now: NOW, ...options });

  it("creates leads with company, owner, acquisition and legal basis, scored by the fit rules", async () => {
    const result = await run(
      `${HEADER}ada@bigcorp.test,Ada,BigCorp,CTO,DE,,rep@acme.test,cold,consent,c-level\nbob@gmail.com,Bob,,,US,sql,,,,\n`,
    );
    expect(result).toMatchObject({ ok: true, created: 2, updated: 0, skipped: 0 });
    const leads = await f.rows(
      `SELECT l.email, l.name, l.role, l.stage, l.owner_id, l.acquisition, l.legal_basis, l.fit_score, c.domain, c.name AS company
       FROM leads l LEFT JOIN companies c ON c.id = l.company_id ORDER BY l.email`,
    );
    expect(leads).toEqual([
      expect.objectContaining({
        email: "ada@bigcorp.test",
        role: "CTO",
        owner_id: repId,
        acquisition: "cold",
        legal_basis: "consent",
        domain: "bigcorp.test",
        company: "BigCorp",
      }),
      expect.objectContaining({ email: "bob@gmail.com", stage: "sql", acquisition: "warm", domain: null }),
    ]);
    // Fit points come with ledger rows that explain them (C-level and DACH are default fit rules).
    const ada = leads[0] as { fit_score: number };
    expect(ada.fit_score).toBeGreaterThan(0);
    const ledger = await f.rows(
      "SELECT sum(delta) AS fit FROM score_ledger WHERE kind = 'fit' AND lead_id = (SELECT id FROM leads WHERE email = 'ada@bigcorp.test')",
    );
    expect(ledger).toEqual([{ fit: ada.fit_score }]);
    expect(
      await f.rows("SELECT from_stage, to_stage, actor, reason FROM stage_changes WHERE to_stage = 'sql'"),
    ).toEqual([{ from_stage: "lead", to_stage: "sql", actor: "user:1", reason: "import" }]);
  });

  it("updates existing e-mails instead of duplicating them; empty cells keep the lead's values", async () => {
    const existing = await f.lead("ann@firma.test", { seniority: "vp" }, "lead");
    await f.db.$client.execute({
      sql: "UPDATE leads SET name = 'Ann Old', legal_basis = 'contract' WHERE id = ?",
      args: [existing],
    });
    const result = await run(`${HEADER}ANN@firma.test,,Firma,Head of IT,AT,,,,,\nnew@firma.test,New,,,,,,,,\n`);
    expect(result).toMatchObject({ ok: true, created: 1, updated: 1 });
    expect(await f.rows("SELECT count(*) AS n FROM leads WHERE email = 'ann@firma.test'")).toEqual([{ n: 1 }]);
    expect(
      await f.rows(
        "SELECT id, name, role, legal_basis, json_extract(traits, '$.seniority') AS seniority FROM leads WHERE email = 'ann@firma.test'",
      ),
    ).toEqual([{ id: existing, name: "Ann Old", role: "Head of IT", legal_basis: "contract", seniority: "vp" }]);
    // Importing the same file again changes nothing in number.
    await run(`${HEADER}ann@firma.test,,Firma,Head of IT,AT,,,,,\nnew@firma.test,New,,,,,,,,\n`);
    expect(await f.rows("SELECT count(*) AS n FROM leads")).toEqual([{ n: 2 }]);
  });

  it("two concurrent imports of overlapping files import every row once, without duplicates", async () => {
    // As two admins uploading at once: the same e-mails (in other spellings) in both files.
    const shared = Array.from({ length: 400 }, (_, i) => `shared${i}@corp${i % 20}.test`);
    const file = (own: string, sharedCase: (e: string) => string) =>
      HEADER +
      [
        ...Array.from({ length: 600 }, (_, i) => `${own}${i}@corp${i % 20}.test,${own} ${i},,CTO,DE,,,,,`),
        ...shared.map((e, i) => `${sharedCase(e)},Shared ${i},,Engineer,US,,,,,`),
      ].join("\n");
    const [a, b] = await Promise.all([run(file("a", (e) => e)), run(file("b", (e) => e.toUpperCase()))]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    // 1,600 people: each file's own 600 and the 400 shared, created by one import, updated by the other.
    expect(a.created + b.created).toBe(1600);
    expect(a.updated + b.updated).toBe(400);
    expect(await f.rows("SELECT count(*) AS n, count(DISTINCT email) AS emails FROM leads")).toEqual([
      { n: 1600, emails: 1600 },
    ]);
    // Every shared lead carries one fit explanation per rule that matched its profile, not two sets.
    expect(
      await f.rows(
        `SELECT count(*) AS n FROM leads l WHERE l.email LIKE 'shared%'
            AND l.fit_score <> (SELECT coalesce(sum(delta), 0) FROM score_ledger s WHERE s.lead_id = l.id AND s.kind = 'fit')`,
      ),
    ).toEqual([{ n: 0 }]);
    expect(await f.rows("SELECT count(*) AS n FROM lead_funnel")).toEqual([{ n: 1600 }]);
  });

  it("refuses a file with an invalid row and writes nothing, unless invalid rows are skipped", async () => {
    const csv = `${HEADER}ok@x.test,Ok,,,,,,,,\nbroken,No,,,,,,,,\nok2@x.test,Ok2,,,,lukewarm,,,,\n`;
    const preview = await previewLeadImport(f.db, { siteId: f.site.id, csv });
    expect(preview).toMatchObject({ total: 3, valid: 1, existing: 0 });
    expect(preview.errors).toEqual([
      { line: 3, field: "email", message: "not an e-mail address" },
      { line: 4, field: "stage", message: 'unknown stage "lukewarm"' },
    ]);
    expect(await run(csv)).toMatchObject({ ok: false, reason: "invalid_rows" });
    expect(await f.rows("SELECT count(*) AS n FROM leads")).toEqual([{ n: 0 }]);
    expect(await run(csv, { skipInvalid: true })).toMatchObject({ ok: true, created: 1, skipped: 2 });
    expect(await f.rows("SELECT email FROM leads")).toEqual([{ email: "ok@x.test" }]);
  });

  it("rolls everything back when the database refuses a row half-way", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `p${i}@corp${i % 50}.test,P${i},Corp ${i % 50},,,,,,,`);
    // A constraint the rows cannot know about: the 500th lead is refused by the database.
    await f.db.$client.execute(
      "CREATE TRIGGER refuse_p500 BEFORE INSERT ON leads WHEN NEW.email = 'p500@corp0.test' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    await expect(run(HEADER + rows.join("\n"))).rejects.toThrow(/refused/);
    for (const table of ["leads", "companies", "score_ledger", "stage_changes", "lead_funnel"]) {
      expect(await f.rows(`SELECT count(*) AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }
  });

  it("keeps formula-looking values as text, exactly", async () => {
    const csv = `Email,Name,Company,Job Title\nf@x.test,"=cmd|' /C calc'!A0",+49 ACME,@SUM(A1)\ng@x.test,-2+3,"=HYPERLINK(""http://evil.test"")",\n`;
    expect(await run(csv)).toMatchObject({ ok: true, created: 2 });
    expect(
      await f.rows("SELECT name, role, json_extract(traits, '$.company') AS company FROM leads ORDER BY email"),
    ).toEqual([
      { name: "=cmd|' /C calc'!A0", role: "@SUM(A1)", company: "+49 ACME" },
      { name: "-2+3", role: null, company: '=HYPERLINK("http://evil.test")' },
    ]);
  });

  it("routes the imported MQLs through the routing rules when asked", async () => {
    const ids = await seedRouting(f.db, f.site.id, {
      reps: [{ key: "dora" }],
      pools: [{ key: "all", reps: ["dora"] }],
      rules: [{ key: "all", pool: "all" }],
    });
    const csv = `${HEADER}m1@x.test,M1,,,,mql,,,,\nm2@x.test,M2,,,,mql,rep@acme.test,,,\nl1@x.test,L1,,,,,,,,\n`;
    expect(await run(csv, { route: true })).toMatchObject({ ok: true, mqls: 2, routed: 1 });
    expect(await f.rows("SELECT email, owner_id FROM leads ORDER BY email")).toEqual([
      { email: "l1@x.test", owner_id: null },
      { email: "m1@x.test", owner_id: ids.users.dora },
      { email: "m2@x.test", owner_id: repId },
    ]);
    expect(await f.rows("SELECT trigger FROM lead_assignments")).toEqual([{ trigger: "mql" }]);
  });

  it("imports 50,000 rows in one transaction within a generous bound", async () => {
    const lines = Array.from(
      { length: 50_000 },
      (_, i) =>
        `lead${i}@company${i % 2000}.test,Lead ${i},Company ${i % 2000},${i % 3 ? "Engineer" : "CTO"},${i % 2 ? "DE" : "US"},,,warm,consent,${i % 5 ? "" : "vp"}`,
    );
    const started = performance.now();
    const result = await run(HEADER + lines.join("\n"));
    const ms = Math.round(performance.now() - started);
    console.log(`CSV import: 50,000 rows (2,000 companies) committed in ${ms} ms`);
    expect(result).toMatchObject({ ok: true, created: 50_000 });
    expect(await f.rows("SELECT count(*) AS n FROM leads")).toEqual([{ n: 50_000 }]);
    expect(await f.rows("SELECT count(*) AS n FROM companies")).toEqual([{ n: 2000 }]);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});
