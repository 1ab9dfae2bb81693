import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Database } from "./client.ts";
import { migrate } from "./migrate.ts";

export interface TestDb {
  db: Database;
  url: string;
  /** Closes the client and deletes the temporary folder. */
  cleanup(): void;
}

/** A fresh, migrated libSQL file in its own temporary folder: tests never touch the developer's database. */
export async function createTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "leadtrail-test-"));
  const url = `file:${join(dir, "test.db")}`;
  const db = await createDb({ url });
  await migrate(db.$client);
  return {
    db,
    url,
    cleanup() {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export { type ReadBack, readEverythingInChild } from "./read-back.ts";
