import { createDb, type Database, migrate } from "@leadtrail/db";

let database: Database | undefined;

/** Opens and migrates the database once, from the configuration read in hooks.server.ts. */
export async function openDatabase(url: string, authToken?: string): Promise<Database> {
  database ??= await createDb({ url, authToken });
  await migrate(database.$client);
  return database;
}

/** The database opened at start-up; throws if `init` has not run. */
export function getDatabase(): Database {
  if (!database) throw new Error("database not opened: hooks.server.ts init has not run");
  return database;
}
