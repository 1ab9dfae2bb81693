// `npm run bench:import`: times the CSV lead import (parse, checks, fit scoring, the one write
// transaction) of a 50,000-row file on a fresh temporary database: first as new leads, then the
// same file again (every e-mail updated). Prints figures and the load average; asserts nothing.
//
//   npm run bench:import                   # 50,000 rows
//   npm run bench:import -- --rows=100000
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, createSite, migrate } from "@leadtrail/db";
import { importLeads } from "@leadtrail/workflows";

const rowsArg = process.argv.find((a) => a.startsWith("--rows="));
const ROWS = rowsArg ? Number(rowsArg.slice("--rows=".length)) : 50_000;
const HEADER = "Email,Name,Company,Job Title,Country,Stage,Owner,Acquisition,Legal basis,Seniority\n";

const dir = mkdtempSync(join(tmpdir(), "leadtrail-import-bench-"));
try {
  const db = await createDb({ url: `file:${join(dir, "bench.db")}` });
  await migrate(db.$client);
  const site = await createSite(db, { publicKey: "bench", name: "Bench", domains: ["bench.test"] });
  const csv =
    HEADER +
    Array.from(
      { length: ROWS },
      (_, i) =>
        `lead${i}@company${i % 2000}.test,Lead ${i},Company ${i % 2000},${i % 3 ? "Engineer" : "CTO"},${i % 2 ? "DE" : "US"},${i % 50 ? "" : "sql"},,warm,consent,${i % 5 ? "" : "vp"}`,
    ).join("\n");
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  for (const pass of ["new leads", "same file again (updates)"]) {
    const loadBefore = load();
    const started = performance.now();
    const result = await importLeads(db, { siteId: site.id, csv, actor: "user:1", now: Date.now() });
    const ms = Math.round(performance.now() - started);
    if (!result.ok) throw new Error(`import refused: ${result.reason}`);
    console.log(
      `CSV import, ${ROWS.toLocaleString("en")} rows, ${pass}: ${ms} ms ` +
        `(created ${result.created}, updated ${result.updated}, MQLs ${result.mqls}); load average ${loadBefore} (1, 5, 15 min)`,
    );
  }
  db.$client.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
