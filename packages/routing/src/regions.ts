/**
 * Sales territories as regions of ISO 3166-1 alpha-2 countries. A country may lie in several regions
 * (Germany is in DACH and in EMEA), so a rule for "EMEA" after a rule for "DACH" catches the rest of
 * Europe. Installations add or replace regions by name through `RoutingConfig.regions`.
 */

const DACH = ["DE", "AT", "CH", "LI"];
const BENELUX = ["BE", "NL", "LU"];
const NORDICS = ["DK", "FI", "IS", "NO", "SE"];
const UKI = ["GB", "IE"];
const EUROPE = [
  ...DACH,
  ...BENELUX,
  ...NORDICS,
  ...UKI,
  ...["AD", "AL", "BA", "BG", "BY", "CY", "CZ", "EE", "ES", "FR", "GR", "HR", "HU", "IT", "LT", "LV", "MC", "MD"],
  ...["ME", "MK", "MT", "PL", "PT", "RO", "RS", "SI", "SK", "SM", "UA", "VA", "XK", "FO", "GI", "GG", "IM", "JE"],
];
const MIDDLE_EAST = ["AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"];
const AFRICA = [
  ...["DZ", "AO", "BJ", "BW", "BF", "BI", "CM", "CV", "CF", "TD", "KM", "CG", "CD", "CI", "DJ", "EG", "GQ", "ER"],
  ...["SZ", "ET", "GA", "GM", "GH", "GN", "GW", "KE", "LS", "LR", "LY", "MG", "MW", "ML", "MR", "MU", "MA", "MZ"],
  ...["NA", "NE", "NG", "RW", "ST", "SN", "SC", "SL", "SO", "ZA", "SS", "SD", "TZ", "TG", "TN", "UG", "ZM", "ZW"],
];
const NORTH_AMERICA = ["US", "CA"];
const LATAM = [
  ...["MX", "GT", "BZ", "SV", "HN", "NI", "CR", "PA", "CU", "DO", "HT", "JM", "PR", "TT", "BS", "BB"],
  ...["AR", "BO", "BR", "CL", "CO", "EC", "GY", "PY", "PE", "SR", "UY", "VE"],
];
const APAC = [
  ...["AU", "NZ", "CN", "HK", "MO", "TW", "JP", "KR", "MN", "IN", "PK", "BD", "LK", "NP", "BT", "MV"],
  ...["SG", "MY", "ID", "TH", "VN", "PH", "KH", "LA", "MM", "BN", "TL", "PG", "FJ"],
  ...["KZ", "UZ", "KG", "TJ", "TM", "AF"],
];

/** The built-in region map: region name → member countries. */
export const DEFAULT_REGIONS: Readonly<Record<string, readonly string[]>> = {
  DACH,
  BENELUX,
  NORDICS,
  UKI,
  EUROPE,
  MIDDLE_EAST,
  AFRICA,
  EMEA: [...EUROPE, ...MIDDLE_EAST, ...AFRICA],
  NA: NORTH_AMERICA,
  LATAM,
  AMER: [...NORTH_AMERICA, ...LATAM],
  APAC,
};

/** A prepared region index: country → the regions (upper-case names) it belongs to. */
export type RegionIndex = ReadonlyMap<string, ReadonlySet<string>>;

// Routing builds the index on every call. The default map never changes, so its index is built once;
// a custom map is indexed afresh each time, because a caller may edit its settings object in place.
let defaultIndex: RegionIndex | undefined;

/** Merges custom regions over the defaults (by name) and indexes them by country. */
export function buildRegionIndex(custom?: Readonly<Record<string, readonly string[]>>): RegionIndex {
  if (custom !== undefined) return indexRegions(custom);
  defaultIndex ??= indexRegions(undefined);
  return defaultIndex;
}

function indexRegions(custom: Readonly<Record<string, readonly string[]>> | undefined): RegionIndex {
  const merged: Record<string, readonly string[]> = { ...DEFAULT_REGIONS };
  for (const [name, countries] of Object.entries(custom ?? {})) merged[name.trim().toUpperCase()] = countries;
  const index = new Map<string, Set<string>>();
  for (const [name, countries] of Object.entries(merged)) {
    for (const country of countries) {
      const code = country.trim().toUpperCase();
      let regions = index.get(code);
      if (!regions) {
        regions = new Set();
        index.set(code, regions);
      }
      regions.add(name.toUpperCase());
    }
  }
  return index;
}

/** Lists the regions a country belongs to, sorted by name; unknown or empty countries belong to none. */
export function regionsOf(country: string | null | undefined, index: RegionIndex = buildRegionIndex()): string[] {
  if (!country) return [];
  return [...(index.get(country.trim().toUpperCase()) ?? [])].sort();
}

/** Names of all regions known with the given custom map, upper-case. */
export function knownRegions(custom?: Readonly<Record<string, readonly string[]>>): Set<string> {
  const names = new Set(Object.keys(DEFAULT_REGIONS));
  for (const name of Object.keys(custom ?? {})) names.add(name.trim().toUpperCase());
  return names;
}
