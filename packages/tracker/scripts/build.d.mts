/** Budgets from DESIGN.md, in bytes of min+gzip. */
export declare const BUDGETS: { core: number; full: number };
/** Published min+gzip sizes of peers' scripts. */
export declare const PEERS: Record<string, number>;
/** Size of a script as served: gzip at the highest level. */
export declare function gzipSize(text: string): number;
/** Builds both variants in memory: minified script texts. */
export declare function buildTracker(): Promise<{ full: string; core: string }>;
