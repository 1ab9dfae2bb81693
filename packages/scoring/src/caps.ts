import type { EngagementRule } from "./types.ts";

/** The effective total cap of a rule (`once` = 1; the smaller if both are set), or undefined. */
export function totalCap(rule: EngagementRule): number | undefined {
  const caps = rule.caps;
  if (!caps) return undefined;
  if (caps.once) return caps.total === undefined ? 1 : Math.min(1, caps.total);
  return caps.total;
}

/** The per-day cap of a rule, or undefined. */
export function perDayCap(rule: EngagementRule): number | undefined {
  return rule.caps?.perDay;
}
