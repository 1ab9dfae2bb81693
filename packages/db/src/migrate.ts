import type { Client } from "@libsql/client";
import { sqlJson } from "./json-text.ts";
import { migrations } from "./migrations.generated.ts";
import { rebuildLeadSummaries } from "./queries/lead-stage.ts";
import { repairInvalidText, TEXT_REPAIR_TASK } from "./text-repair.ts";
import { transactionDatabase } from "./transactions.ts";

// Same bookkeeping table as drizzle-kit's own migrator, so either can be used on one database.
const TABLE = "__drizzle_migrations";

/**
 * Applies the committed migrations that the database has not seen, in one write transaction,
 * so two processes starting at once cannot both apply them. Returns how many were applied.
 *
 * Data the schema alone cannot bring: a database with leads from before the funnel summaries
 * existed (lead_funnel, campaign_daily and their siblings, kept by every stage writer from then on)
 * gets them rebuilt from its leads' history in the same transaction, so its widgets are not empty;
 * and stored text that is not valid UTF-8 (which would abort the process reading it) is rewritten,
 * once per database (text-repair.ts).
 */
export async function migrate(client: Client): Promise<number> {
  const tx = await client.transaction("write");
  try {
    await tx.execute(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC)`,
    );
    const last = await tx.execute(`SELECT created_at FROM ${TABLE} ORDER BY created_at DESC LIMIT 1`);
    const lastCreatedAt = Number(last.rows[0]?.created_at ?? 0);
    const pending = migrations.filter((m) => m.createdAt > lastCreatedAt);
    for (const migration of pending) {
      for (const statement of migration.statements) await tx.execute(statement);
      await tx.execute({
        sql: `INSERT INTO ${TABLE} (hash, created_at) VALUES (?, ?)`,
        args: [migration.hash, migration.createdAt],
      });
    }
    // Each EXISTS stops at its first row (the campaign one through leads_campaign_idx): no scan at start.
    const missing = await tx.execute(
      `SELECT (EXISTS (SELECT 1 FROM leads) AND NOT EXISTS (SELECT 1 FROM lead_funnel))
           OR (EXISTS (SELECT 1 FROM leads WHERE campaign_id IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM campaign_daily)) AS missing`,
    );
    if (Number(missing.rows[0]?.missing) === 1) await rebuildLeadSummaries(transactionDatabase(tx));
    const repairDone = await tx.execute({
      sql: "SELECT 1 FROM maintenance_tasks WHERE name = ?",
      args: [TEXT_REPAIR_TASK],
    });
    if (repairDone.rows.length === 0) {
      const { repaired } = await repairInvalidText(transactionDatabase(tx));
      const total = Object.values(repaired).reduce((sum, n) => sum + n, 0);
      if (total > 0)
        console.warn(`leadtrail: rewrote ${total} stored text value(s) that were not valid UTF-8`, repaired);
      await tx.execute({
        sql: "INSERT INTO maintenance_tasks (name, done_at, note) VALUES (?, ?, ?)",
        args: [TEXT_REPAIR_TASK, Date.now(), sqlJson({ repaired })],
      });
    }
    await tx.commit();
    return pending.length;
  } finally {
    tx.close();
  }
}
