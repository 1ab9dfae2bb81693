import type { Campaign, EngagementRule, EventMatch, FitRule, Rule, TraitMatch } from "./types.ts";
import { type ValidationError, validateRule } from "./validate.ts";

/**
 * The rule builder's flat form ⇄ a rule. Form fields are named like the rule's JSON paths
 * ("points", "match.path", "caps.perDay", "match.companySize.min"), so an error of `validateRule`
 * lands beside the field it is about. Lists are typed comma-separated; properties and custom traits
 * one `key=value` per line. Pure: the dashboard reads the form, calls these, and stores the rule.
 */

/** The form's fields, by name. */
export type RuleFields = Record<string, string>;

/** An error addressed to one form field (`field` is a name of `RULE_FIELDS`). */
export interface FieldError {
  field: string;
  code: ValidationError["code"];
  message: string;
}

/** The event types the builder offers (what the tracker and the collector store). */
export const EVENT_TYPES = [
  "pageview",
  "click",
  "form",
  "download",
  "outbound",
  "custom",
  "qr_scan",
  "link_click",
  "engagement",
  "identify",
] as const;

const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
const LISTS = ["role", "seniority", "industry", "country"] as const;

/** Every field the builder has, longest first (so an error path finds its most specific field). */
export const RULE_FIELDS = [
  "kind",
  "id",
  "label.en",
  "label.de",
  "points",
  "enabled",
  "match",
  "match.type",
  "match.name",
  "match.path",
  "match.url",
  "match.code",
  "match.props",
  ...UTM.map((k) => `match.campaign.${k}`),
  "match.campaign",
  "match.returningVisit",
  "caps",
  "caps.once",
  "caps.perDay",
  "caps.total",
  ...LISTS.map((k) => `match.${k}`),
  "match.companySize",
  "match.companySize.min",
  "match.companySize.max",
  "match.emailDomain",
  "match.traits",
].sort((a, b) => b.length - a.length);

const list = (raw: string | undefined): string[] =>
  (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
const oneOrMany = (values: string[]): string | string[] => (values.length === 1 ? (values[0] as string) : values);
const joined = (v: string | string[] | undefined): string =>
  v === undefined ? "" : typeof v === "string" ? v : v.join(", ");

/** `key=value` lines (blank lines ignored); a line without `=` is an error at `field`. */
function pairs(raw: string | undefined, field: string, errors: FieldError[]): [string, string][] {
  const out: [string, string][] = [];
  for (const line of (raw ?? "").split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const eq = line.indexOf("=");
    if (eq <= 0) {
      errors.push({ field, code: "type", message: `"${line.trim().slice(0, 40)}" is not key=value.` });
      continue;
    }
    out.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return out;
}

/** A property value as the tracker sends it: `true`/`false` and plain numbers compare as such. */
function propValue(raw: string): string | number | boolean {
  if (raw === "true" || raw === "false") return raw === "true";
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

/** A whole number from a field ("" is absent), or an error at the field. */
function count(fields: RuleFields, field: string, errors: FieldError[]): number | undefined {
  const raw = (fields[field] ?? "").trim();
  if (raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) errors.push({ field, code: "type", message: "Enter a number." });
  return n;
}

/** A rule id from its name: lower-case words joined by "-", made unique among `taken`. */
export function ruleIdFrom(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 56) || "rule";
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

function eventMatchFrom(fields: RuleFields, errors: FieldError[]): EventMatch {
  const m: EventMatch = {};
  if (fields["match.type"]) m.type = oneOrMany(list(fields["match.type"]));
  for (const k of ["name", "path", "url", "code"] as const) {
    const values = list(fields[`match.${k}`]);
    if (values.length > 0) m[k] = oneOrMany(values);
  }
  const props = pairs(fields["match.props"], "match.props", errors);
  if (props.length > 0) m.props = Object.fromEntries(props.map(([k, v]) => [k, propValue(v)]));
  const campaign: Partial<Record<keyof Campaign, string | string[]>> = {};
  for (const k of UTM) {
    const values = list(fields[`match.campaign.${k}`]);
    if (values.length > 0) campaign[k] = oneOrMany(values);
  }
  if (Object.keys(campaign).length > 0) m.campaign = campaign;
  if (fields["match.returningVisit"] === "on") m.returningVisit = true;
  return m;
}

function traitMatchFrom(fields: RuleFields, errors: FieldError[]): TraitMatch {
  const m: TraitMatch = {};
  for (const k of LISTS) {
    const values = list(fields[`match.${k}`]);
    if (values.length > 0) m[k] = values;
  }
  const min = count(fields, "match.companySize.min", errors);
  const max = count(fields, "match.companySize.max", errors);
  if (min !== undefined || max !== undefined) {
    m.companySize = {};
    if (min !== undefined) m.companySize.min = min;
    if (max !== undefined) m.companySize.max = max;
  }
  const domain = fields["match.emailDomain"];
  if (domain) m.emailDomain = domain as TraitMatch["emailDomain"];
  const traits = pairs(fields["match.traits"], "match.traits", errors);
  if (traits.length > 0) m.traits = Object.fromEntries(traits.map(([k, v]) => [k, list(v)]));
  return m;
}

/** The field an error path belongs to: the longest field name that is the path or a prefix of it. */
export function fieldOfPath(path: string): string {
  // The builder edits a rule's first pattern; the others travel unchanged in `extraPatterns`.
  const p = path.replace(/^match\[0\]/, "match").replace(/^match\[\d+\].*$/, "match");
  if (p === "id") return "label.en";
  return RULE_FIELDS.find((f) => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`)) ?? "match";
}

/**
 * A rule from the builder's fields, checked. `taken` are the ids of the draft's other rules (a new
 * rule gets an id from its name). The German label is optional: empty means the English one.
 */
export function ruleFromFields(
  fields: RuleFields,
  taken: Iterable<string>,
): { ok: true; rule: Rule } | { ok: false; rule: unknown; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const en = (fields["label.en"] ?? "").trim();
  const de = (fields["label.de"] ?? "").trim() || en;
  const id = fields.id?.trim() || ruleIdFrom(en, taken);
  const pointsRaw = (fields.points ?? "").trim();
  const points = pointsRaw === "" ? Number.NaN : Number(pointsRaw);
  const enabled = fields.enabled === undefined ? true : fields.enabled === "on";
  let rule: Rule;
  if (fields.kind === "fit") {
    rule = { id, kind: "fit", label: { en, de }, points, match: traitMatchFrom(fields, errors) } satisfies FitRule;
  } else {
    const first = eventMatchFrom(fields, errors);
    let match: EventMatch | EventMatch[] = first;
    if (fields.extraPatterns) {
      try {
        const extra = JSON.parse(fields.extraPatterns) as unknown;
        if (Array.isArray(extra) && extra.length > 0) match = [first, ...(extra as EventMatch[])];
      } catch {
        errors.push({ field: "match", code: "type", message: "The rule's other patterns could not be read." });
      }
    }
    const caps: NonNullable<EngagementRule["caps"]> = {};
    if (fields["caps.once"] === "on") caps.once = true;
    const perDay = count(fields, "caps.perDay", errors);
    const total = count(fields, "caps.total", errors);
    if (perDay !== undefined) caps.perDay = perDay;
    if (total !== undefined) caps.total = total;
    rule = { id, kind: "engagement", label: { en, de }, points, match };
    if (Object.keys(caps).length > 0) rule.caps = caps;
  }
  if (!enabled) rule.enabled = false;
  const known = new Set(errors.map((e) => e.field));
  for (const e of validateRule(rule)) {
    const field = fieldOfPath(e.path);
    // A number that did not parse is reported once, as typed, not again as out of range.
    if (!known.has(field)) errors.push({ field, code: e.code, message: e.message });
  }
  return errors.length === 0 ? { ok: true, rule } : { ok: false, rule, errors };
}

/** The builder's fields for an existing rule (the inverse of `ruleFromFields`). */
export function ruleToFields(rule: Rule): RuleFields {
  const f: RuleFields = {
    kind: rule.kind,
    id: rule.id,
    "label.en": rule.label.en,
    "label.de": rule.label.de === rule.label.en ? "" : rule.label.de,
    points: String(rule.points),
    enabled: rule.enabled === false ? "" : "on",
  };
  if (rule.kind === "engagement") {
    const [first, ...rest] = Array.isArray(rule.match) ? rule.match : [rule.match];
    const m = first ?? {};
    f["match.type"] = joined(m.type);
    for (const k of ["name", "path", "url", "code"] as const) f[`match.${k}`] = joined(m[k]);
    f["match.props"] = Object.entries(m.props ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n");
    for (const k of UTM) f[`match.campaign.${k}`] = joined(m.campaign?.[k]);
    f["match.returningVisit"] = m.returningVisit ? "on" : "";
    f["caps.once"] = rule.caps?.once ? "on" : "";
    f["caps.perDay"] = rule.caps?.perDay === undefined ? "" : String(rule.caps.perDay);
    f["caps.total"] = rule.caps?.total === undefined ? "" : String(rule.caps.total);
    f.extraPatterns = rest.length > 0 ? JSON.stringify(rest) : "";
  } else {
    for (const k of LISTS) f[`match.${k}`] = joined(rule.match[k]);
    f["match.companySize.min"] = rule.match.companySize?.min === undefined ? "" : String(rule.match.companySize.min);
    f["match.companySize.max"] = rule.match.companySize?.max === undefined ? "" : String(rule.match.companySize.max);
    f["match.emailDomain"] = rule.match.emailDomain ?? "";
    f["match.traits"] = Object.entries(rule.match.traits ?? {})
      .map(([k, v]) => `${k}=${v.join(", ")}`)
      .join("\n");
  }
  return f;
}
