export { DEMO_PAGES, type PageId, SITE_NAME, TRACKED_LINKS, WHITEPAPER_PATH } from "./catalog.ts";
export { checkItem } from "./check-item.ts";
export { countEvents, EVENTS_PER_VISITOR, estimateEvents, generateDemo } from "./generate.ts";
export { PERSONA_SHARES } from "./personas.ts";
export { mulberry32, type Random } from "./random.ts";
export type { DemoItem, DemoOptions, SalesAction } from "./types.ts";
