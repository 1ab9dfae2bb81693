export { createDb, type Database, type DbConfig } from "./client.ts";
export { migrate } from "./migrate.ts";
export * from "./queries/ingest.ts";
export * from "./queries/links.ts";
export * from "./queries/sites.ts";
export * from "./queries/visitors.ts";
export * from "./schema/index.ts";
