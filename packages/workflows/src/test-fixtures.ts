// Shared setup of the workflows tests: a migrated temp database with a site and MQL leads.
import { createSite, type Database, insertLead, type Site } from "@leadtrail/db";
import { createTestDb, type TestDb } from "@leadtrail/db/testing";

export interface Fixture extends TestDb {
  site: Site;
  /** Inserts a lead in `stage` with traits; returns its id. */
  lead(email: string, traits?: Record<string, unknown>, stage?: string): Promise<number>;
  rows(sql: string, args?: (string | number | null)[]): Promise<Record<string, unknown>[]>;
}

/** A fresh database with one site. */
export async function createFixture(): Promise<Fixture> {
  const testDb = await createTestDb();
  const db: Database = testDb.db;
  const site = await createSite(db, { publicKey: "wf", name: "Workflows", domains: ["wf.test"] });
  return {
    ...testDb,
    site,
    async lead(email, traits = {}, stage = "mql") {
      const row = await insertLead(db, {
        siteId: site.id,
        email,
        name: null,
        companyId: null,
        role: null,
        traits,
        unverified: false,
        createdAt: 0,
      });
      await db.$client.execute({ sql: "UPDATE leads SET stage = ? WHERE id = ?", args: [stage, row.id] });
      return row.id;
    },
    async rows(sql, args = []) {
      return (await db.$client.execute({ sql, args })).rows as Record<string, unknown>[];
    },
  };
}
