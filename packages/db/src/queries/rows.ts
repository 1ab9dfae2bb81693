// Small helpers for reading result rows (internal to packages/db: not exported by the index).

/** A result's rows as plain records. */
export const rowsOf = (result: { rows: unknown[] }) => result.rows as Record<string, unknown>[];

/** A nullable numeric column as a number or null. */
export const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));
