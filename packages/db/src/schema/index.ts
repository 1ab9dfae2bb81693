export * from "./campaigns.ts";
export * from "./events.ts";
export * from "./leads.ts";
export * from "./rollups.ts";
export * from "./scoring.ts";
export * from "./sites.ts";
export * from "./visitors.ts";
