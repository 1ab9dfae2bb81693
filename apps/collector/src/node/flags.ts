/**
 * Node flags the collector runs with (`node ${COLLECTOR_NODE_FLAGS} dist/server.js`): the heap is
 * capped so that memory at saturation stays within the budget (≤ 200 MB RSS, DESIGN.md). The
 * collector's own memory is bounded (LRU caches, a queue bounded by items and bytes), so a cap well
 * above what it holds costs nothing; without one, V8 lets garbage grow far past it (about 230 MB RSS
 * at full load). A smaller young generation than the default also means shorter pauses.
 */
export const COLLECTOR_NODE_FLAGS = ["--max-old-space-size=160", "--max-semi-space-size=4", "--enable-source-maps"];
