export { type SeedOptions, type SeedResult, seedDemo } from "./seed-demo.ts";
