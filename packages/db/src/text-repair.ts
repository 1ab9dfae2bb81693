import type { Database } from "./client.ts";
import { wellFormedJsonText } from "./json-text.ts";

/** The name `migrate` records in `maintenance_tasks` once the repair has run on a database. */
export const TEXT_REPAIR_TASK = "repair-invalid-utf8-text";

/** Rows read per page while scanning a table (bounded memory on a large events table). */
const PAGE = 500;

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

export interface TextRepairResult {
  /** Values rewritten, per `table.column`. */
  repaired: Record<string, number>;
}

/**
 * Rewrites, in every table, the text values that would make the libSQL driver abort the process
 * when read: bytes that are not valid UTF-8 (before issue #13 the collector could store a lone
 * surrogate as ED A0 80, and the dashboard died on every page that read the row, restart after
 * restart), and JSON text holding an escape of a lone surrogate (`{"k":"\ud800"}`: harmless as
 * bytes, but SQLite's `->>` decodes it into the same invalid bytes). Bad bytes become U+FFFD.
 *
 * The driver is never asked for a suspect value as text: candidates are read as `hex(...)` and
 * checked here with a strict UTF-8 decoder. Only rows that contain a byte 0xED (the lead byte of
 * every encoded surrogate; SQLite itself writes invalid UTF-8 only that way, from JSON escapes and
 * `char()`) or the two bytes `\u` are candidates, found by a byte search (`instr` on a BLOB), so
 * the scan of a large events table is one pass without decoding text. Runs inside `migrate`'s write
 * transaction, once per database (recorded in `maintenance_tasks`). With `dryRun` it only counts.
 */
export async function repairInvalidText(db: Database, { dryRun = false } = {}): Promise<TextRepairResult> {
  const repaired: Record<string, number> = {};
  const tables = await db.$client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%'",
  );
  for (const { name } of tables.rows as unknown as { name: string }[]) {
    const info = await db.$client.execute(`PRAGMA table_info(${quote(name)})`);
    const columns = (info.rows as unknown as { name: string; type: string }[])
      .filter((c) => /TEXT|CHAR|CLOB/i.test(c.type))
      .map((c) => c.name);
    if (columns.length === 0) continue;
    const suspect = columns
      .map((c) => `instr(CAST(${quote(c)} AS BLOB), x'ED') > 0 OR instr(CAST(${quote(c)} AS BLOB), x'5C75') > 0`)
      .join(" OR ");
    const hexes = columns.map((c, i) => `hex(${quote(c)}) AS h${i}`).join(", ");
    let after = -Infinity;
    for (;;) {
      const page = await db.$client.execute({
        sql: `SELECT rowid AS rid, ${hexes} FROM ${quote(name)} WHERE rowid > ? AND (${suspect}) ORDER BY rowid LIMIT ${PAGE}`,
        args: [after === -Infinity ? Number.MIN_SAFE_INTEGER : after],
      });
      for (const row of page.rows as unknown as Record<string, unknown>[]) {
        after = Number(row.rid);
        for (const [i, column] of columns.entries()) {
          const hex = row[`h${i}`];
          if (typeof hex !== "string" || hex === "") continue;
          const fixed = repairedText(hex);
          if (fixed === undefined) continue;
          if (!dryRun) await rewrite(db, name, column, after, fixed);
          const key = `${name}.${column}`;
          repaired[key] = (repaired[key] ?? 0) + 1;
        }
      }
      if (page.rows.length < PAGE) break;
    }
  }
  return { repaired };
}

/**
 * The `table.column`s holding values that would abort a reader, with how many — without reading any
 * of them as text (empty when all is well). For tests and health checks.
 */
export async function findInvalidText(db: Database): Promise<Record<string, number>> {
  return (await repairInvalidText(db, { dryRun: true })).repaired;
}

/**
 * The value to store instead of the text whose UTF-8 bytes are `hex`, or undefined when it is fine:
 * invalid bytes become U+FFFD, and JSON text (an object or array) loses its lone surrogate escapes.
 */
export function repairedText(hex: string): string | undefined {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  let text: string;
  let changed = false;
  try {
    text = strict.decode(bytes);
  } catch {
    text = lenient.decode(surrogatesAsReplacement(bytes));
    changed = true;
  }
  if (text.includes("\\u") && /^\s*[[{]/.test(text) && isJson(text)) {
    const json = wellFormedJsonText(text);
    if (json !== text) {
      text = json;
      changed = true;
    }
  }
  return changed ? text : undefined;
}

/**
 * Stores the repaired value. Should it now equal another row's value under a unique key (a rollup
 * row for the same page title written after the fix), the row keeps a distinct value instead of
 * failing the migration or deleting the other row.
 */
async function rewrite(db: Database, table: string, column: string, rowid: number, value: string) {
  const sql = `UPDATE ${quote(table)} SET ${quote(column)} = ? WHERE rowid = ?`;
  try {
    await db.$client.execute({ sql, args: [value, rowid] });
  } catch (error) {
    if (!String((error as { code?: string }).code ?? "").startsWith("SQLITE_CONSTRAINT")) throw error;
    await db.$client.execute({ sql, args: [`${value} (repaired ${rowid})`, rowid] });
  }
}

/**
 * An encoded surrogate (ED A0–BF 80–BF, what SQLite makes of `\ud800`) as one U+FFFD (EF BF BD), the
 * character the fixed write path stores for it; a plain decoder would make three of it.
 */
function surrogatesAsReplacement(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i + 2 < out.length; i++) {
    const [a, b, c] = [out[i] ?? 0, out[i + 1] ?? 0, out[i + 2] ?? 0];
    if (a === 0xed && b >= 0xa0 && b <= 0xbf && c >= 0x80 && c <= 0xbf) {
      out.set([0xef, 0xbf, 0xbd], i);
      i += 2;
    }
  }
  return out;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
