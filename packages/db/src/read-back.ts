import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

// Reads every row of every table of a libSQL file, and every value inside every JSON text column
// (json_tree decodes escapes the way the dashboard's `->>` reads do), in a CHILD process: a value
// that is not valid UTF-8 makes the native driver panic and abort the process, and the test that
// asked must survive to report it.
const CHILD = `
import { createClient } from "@libsql/client";
const client = createClient({ url: process.argv[1] });
const strings = [];
const collect = (v) => { if (typeof v === "string") strings.push(v); };
const tables = (await client.execute(
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'",
)).rows.map((r) => String(r.name));
const events = [];
for (const table of tables) {
  const rows = (await client.execute('SELECT * FROM "' + table + '"')).rows;
  for (const row of rows) for (const v of Object.values(row)) collect(v);
  if (table === "events") events.push(...rows.map((r) => ({ ...r })));
  const columns = (await client.execute('PRAGMA table_info("' + table + '")')).rows
    .filter((c) => /TEXT/i.test(String(c.type))).map((c) => String(c.name));
  for (const c of columns) {
    const col = 'x."' + c + '"';
    const tree = await client.execute(
      'SELECT j.key AS k, j.value AS v FROM "' + table + '" AS x, json_tree(CASE WHEN json_valid(' + col + ') THEN ' + col + " ELSE 'null' END) j",
    );
    for (const r of tree.rows) { collect(r.k); collect(r.v); }
  }
}
client.close();
process.stdout.write(JSON.stringify({ strings: strings.length, illFormed: strings.filter((s) => !s.isWellFormed()), events }));
`;

export interface ReadBack {
  /** The child's exit code: 0, or 134 when the driver aborted on invalid UTF-8. */
  code: number | null;
  stderr: string;
  /** How many strings were read, and those that were not well-formed Unicode. */
  strings?: number;
  illFormed?: string[];
  events?: Record<string, unknown>[];
}

/** Reads the whole database at `url` back with the libSQL driver in a child process (see above). */
export function readEverythingInChild(url: string): Promise<ReadBack> {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", CHILD, url],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        if (code !== 0) return resolve({ code, stderr });
        resolve({ code, stderr, ...(JSON.parse(stdout) as Omit<ReadBack, "code" | "stderr">) });
      },
    );
  });
}
