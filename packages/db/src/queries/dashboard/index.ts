export * from "./admin.ts";
export * from "./behaviour.ts";
export * from "./content.ts";
export * from "./filters.ts";
export * from "./funnel.ts";
export * from "./overview.ts";
export * from "./raw.ts";
export * from "./scoring-rules.ts";
