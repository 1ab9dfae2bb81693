// A site's nurture set-up loaded from the database and turned into @leadtrail/nurture's plain data
// (personas, catalogue, tracks), with the stored rows kept beside it for names in payloads and views.
import {
  type ContentItemRecord,
  type Database,
  type Lead,
  listContentItems,
  listNurtureTracks,
  listPersonas,
  type NurtureInputRow,
  type NurtureTrackRecord,
  type PersonaRecord,
} from "@leadtrail/db";
import {
  type ContentItem,
  type NurtureSite,
  type NurtureTrack,
  type Persona,
  type PersonaCriteria,
  siteOrigin,
  validateCatalogue,
  validatePersonas,
  validateTracks,
} from "@leadtrail/nurture";
import type { Stage } from "@leadtrail/scoring";
import { isContactable } from "./contactable.ts";
import { siteRuleVersions } from "./rescore.ts";

/** A site's personas, catalogue and tracks as the nurture package sees them, plus their rows. */
export interface SiteNurture extends NurtureSite {
  siteId: number;
  personaRows: Map<string, PersonaRecord>;
  items: Map<string, ContentItemRecord>;
  trackRows: Map<string, NurtureTrackRecord>;
}

// Rows come from the dashboard's validated editors, but a row written by an older version (or by
// hand) must not stop nurturing for the whole site: each is checked alone and skipped when invalid.
function valid<T>(check: (input: unknown) => { ok: boolean; value?: T[] }, value: T): boolean {
  return check([value]).ok;
}

/** Converts stored persona rows to the package's personas (id = the row id as text). */
export function personaOf(row: PersonaRecord): Persona {
  return {
    id: String(row.id),
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    criteria: row.criteria as PersonaCriteria,
    ...(Object.keys(row.weights).length > 0 ? { weights: row.weights } : {}),
    minMatch: row.minMatch,
    ...(row.defaultContentKey ? { defaultContentId: row.defaultContentKey } : {}),
    enabled: row.enabled,
  };
}

/** Converts a stored catalogue row to the package's content item (id = the key). */
export function contentItemOf(row: ContentItemRecord): ContentItem {
  return {
    id: row.key,
    ...(row.title ? { title: row.title } : {}),
    kind: row.kind as ContentItem["kind"],
    topics: row.topics,
    match: row.match,
    ...(row.href ? { href: row.href } : {}),
  };
}

/** Converts a stored track row to the package's track (id = the row id as text). */
export function trackOf(row: NurtureTrackRecord): NurtureTrack {
  return {
    id: String(row.id),
    name: row.name,
    purpose: row.purpose as NurtureTrack["purpose"],
    personaId: row.personaId === null ? null : String(row.personaId),
    stages: row.stages as Stage[],
    priority: row.priority,
    steps: row.steps as NurtureTrack["steps"],
    enabled: row.enabled,
  };
}

/** Loads a site's nurture set-up (valid rows only) and the half-life its scores decay with. */
export async function loadSiteNurture(db: Database, siteId: number): Promise<SiteNurture> {
  const [personaRows, itemRows, trackRows, rules, site] = await Promise.all([
    listPersonas(db, siteId),
    listContentItems(db, siteId),
    listNurtureTracks(db, siteId),
    siteRuleVersions(db, siteId),
    db.$client.execute({ sql: "SELECT domains FROM sites WHERE id = ?", args: [siteId] }),
  ]);
  const personas = personaRows.map(personaOf).filter((p) => valid(validatePersonas, p));
  const catalogue = itemRows.map(contentItemOf).filter((c) => valid(validateCatalogue, c));
  const tracks = trackRows.map(trackOf).filter((t) => valid(validateTracks, t));
  let domains: unknown = (site.rows[0] as { domains?: unknown } | undefined)?.domains;
  if (typeof domains === "string") domains = JSON.parse(domains);
  return {
    siteId,
    personas,
    catalogue,
    tracks,
    personaRows: new Map(personaRows.map((r) => [String(r.id), r])),
    items: new Map(itemRows.map((r) => [r.key, r])),
    trackRows: new Map(trackRows.map((r) => [String(r.id), r])),
    halfLifeDays: rules.current.halfLifeDays,
    origin: siteOrigin(domains),
  };
}

/** Whether a loaded lead may be handed to outbound tools (see `isContactable`). */
export function leadContactable(input: NurtureInputRow): boolean {
  return isContactable({
    acquisition: input.acquisition as Lead["acquisition"],
    legalBasis: input.legalBasis as Lead["legalBasis"],
  });
}
