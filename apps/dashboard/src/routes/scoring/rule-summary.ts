import type { EventMatch, Rule } from "@leadtrail/scoring";

const list = (v: string | string[]) => (typeof v === "string" ? v : v.join("|"));

function patternSummary(m: EventMatch): string {
  const parts: string[] = [];
  for (const k of ["type", "name", "path", "url", "code"] as const) {
    const v = m[k];
    if (v !== undefined) parts.push(`${k}=${list(v)}`);
  }
  for (const [k, v] of Object.entries(m.props ?? {})) parts.push(`${k}=${String(v)}`);
  for (const [k, v] of Object.entries(m.campaign ?? {})) if (v !== undefined) parts.push(`${k}=${list(v)}`);
  if (m.returningVisit) parts.push("returning visit");
  return parts.join(" ∧ ");
}

/** A rule's condition and caps in one short line, in the JSON's own field names (as the API and the export spell them). */
export function ruleSummary(rule: Rule): string {
  if (rule.kind === "fit") {
    const m = rule.match;
    const parts: string[] = [];
    for (const k of ["role", "seniority", "industry", "country"] as const) {
      const v = m[k];
      if (v) parts.push(`${k}=${v.join("|")}`);
    }
    if (m.companySize) parts.push(`companySize ${m.companySize.min ?? 0}–${m.companySize.max ?? "∞"}`);
    if (m.emailDomain) parts.push(`emailDomain=${m.emailDomain}`);
    for (const [k, v] of Object.entries(m.traits ?? {})) parts.push(`${k}=${v.join("|")}`);
    return parts.join(" ∧ ");
  }
  const patterns = Array.isArray(rule.match) ? rule.match : [rule.match];
  const caps = rule.caps
    ? [
        rule.caps.once ? "once" : "",
        rule.caps.perDay ? `≤${rule.caps.perDay}/day` : "",
        rule.caps.total ? `≤${rule.caps.total} total` : "",
      ]
        .filter(Boolean)
        .join(", ")
    : "";
  return `${patterns.map(patternSummary).join(" ∨ ")}${caps ? ` (${caps})` : ""}`;
}
