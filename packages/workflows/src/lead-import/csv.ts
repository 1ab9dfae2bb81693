import { ACQUISITIONS, LEGAL_BASES, STAGES } from "@leadtrail/db";
import Papa from "papaparse";

/** The lead fields a CSV column can be mapped to. */
export const IMPORT_FIELDS = [
  "email",
  "name",
  "company",
  "role",
  "country",
  "stage",
  "owner",
  "acquisition",
  "legalBasis",
  "seniority",
  "industry",
  "companySize",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Which column (0-based index) feeds each field; unmapped fields are absent. */
export type ImportMapping = Partial<Record<ImportField, number>>;

/** Limits of one import (the dashboard answers 413 beyond them). */
export const IMPORT_LIMITS = { maxRows: 100_000, maxBytes: 20 * 1024 * 1024, maxColumns: 100, maxCell: 500 } as const;

/** A parsed file: the header row and the data rows (cells as text, exactly as in the file). */
export interface ParsedCsv {
  headers: string[];
  rows: string[][];
}

/**
 * Parses CSV text with papaparse (quotes, embedded newlines and separators, `,` `;` or tab
 * detected). The first row is the header; blank lines are dropped. Cells are kept as text exactly
 * as written, so `=cmd|…`, `+1`, `-2` or `@x` stay what they are (the CSV export neutralises
 * them on the way out).
 */
export function parseCsv(text: string): ParsedCsv {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), {
    skipEmptyLines: "greedy",
    dynamicTyping: false,
  });
  const [headers = [], ...rows] = result.data;
  return { headers: headers.map((h) => h.trim()), rows };
}

const HEADER_WORDS: Record<ImportField, RegExp> = {
  email: /^(e-?mail|email address|e-mail address|mail)$/,
  name: /^(name|full ?name|contact|contact name|person)$/,
  company: /^(company|company name|account|account name|organi[sz]ation|firma)$/,
  role: /^(role|job ?title|title|position)$/,
  country: /^(country|country code|land)$/,
  stage: /^(stage|lifecycle ?stage|lead ?status|status)$/,
  owner: /^(owner|lead owner|contact owner|owner e-?mail|rep)$/,
  acquisition: /^(acquisition|source type)$/,
  legalBasis: /^(legal ?basis|consent|lawful basis)$/,
  seniority: /^(seniority|level)$/,
  industry: /^(industry|branche)$/,
  companySize: /^(company ?size|employees|size)$/,
};

/** A first mapping from the header names a CRM export usually has (the user adjusts it). */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {};
  for (const field of IMPORT_FIELDS) {
    const index = headers.findIndex((h) => HEADER_WORDS[field].test(h.trim().toLowerCase().replace(/[_]+/g, " ")));
    if (index >= 0 && !Object.values(mapping).includes(index)) mapping[field] = index;
  }
  return mapping;
}

/** One problem with one row (1-based line number of the file, the header being line 1). */
export interface RowError {
  line: number;
  field: ImportField | "row";
  message: string;
}

/** A valid row, normalised. `null` = the file left the cell empty (keep what the lead has). */
export interface ImportRow {
  line: number;
  email: string;
  name: string | null;
  company: string | null;
  role: string | null;
  country: string | null;
  stage: (typeof STAGES)[number] | null;
  ownerId: number | null;
  acquisition: (typeof ACQUISITIONS)[number] | null;
  legalBasis: (typeof LEGAL_BASES)[number] | null;
  seniority: string | null;
  industry: string | null;
  companySize: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STAGE_ALIASES: Record<string, (typeof STAGES)[number]> = {
  "closed won": "won",
  "closed lost": "lost",
  subscriber: "lead",
  "marketing qualified lead": "mql",
  "sales accepted lead": "sal",
  "sales qualified lead": "sql",
};

function pick<T extends string>(allowed: readonly T[], value: string): T | undefined {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return allowed.find((a) => a === v);
}

/**
 * Checks and normalises the rows under a mapping: e-mail required and well-formed (lower-cased),
 * a stage, acquisition and legal basis among the known values, an owner among the users who can
 * own leads, a two-letter country, no cell over the length cap, no e-mail twice in the file.
 * Pure: returns the valid rows and every error, never throws.
 */
export function validateRows(
  parsed: ParsedCsv,
  mapping: ImportMapping,
  owners: ReadonlyMap<string, number>,
): { rows: ImportRow[]; errors: RowError[] } {
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  if (mapping.email === undefined) {
    return { rows, errors: [{ line: 1, field: "email", message: "map a column to e-mail" }] };
  }
  const seen = new Map<string, number>();
  parsed.rows.forEach((cells, index) => {
    const line = index + 2;
    const rowErrors: RowError[] = [];
    const cell = (field: ImportField): string | null => {
      const column = mapping[field];
      if (column === undefined) return null;
      const value = (cells[column] ?? "").trim();
      if (value.length > IMPORT_LIMITS.maxCell) {
        rowErrors.push({ line, field, message: `longer than ${IMPORT_LIMITS.maxCell} characters` });
        return null;
      }
      return value === "" ? null : value;
    };
    const email = (cell("email") ?? "").toLowerCase();
    if (!email) rowErrors.push({ line, field: "email", message: "e-mail is empty" });
    else if (!EMAIL.test(email) || email.length > 254)
      rowErrors.push({ line, field: "email", message: "not an e-mail address" });
    else if (seen.has(email))
      rowErrors.push({ line, field: "email", message: `same e-mail as line ${seen.get(email)}` });
    else seen.set(email, line);

    const stageText = cell("stage");
    const stage = stageText === null ? null : (pick(STAGES, stageText) ?? STAGE_ALIASES[stageText.toLowerCase()]);
    if (stageText !== null && !stage) rowErrors.push({ line, field: "stage", message: `unknown stage "${stageText}"` });
    const acquisitionText = cell("acquisition");
    const acquisition = acquisitionText === null ? null : pick(ACQUISITIONS, acquisitionText);
    if (acquisitionText !== null && !acquisition)
      rowErrors.push({ line, field: "acquisition", message: `expected warm or cold, not "${acquisitionText}"` });
    const basisText = cell("legalBasis");
    const legalBasis = basisText === null ? null : pick(LEGAL_BASES, basisText);
    if (basisText !== null && !legalBasis)
      rowErrors.push({ line, field: "legalBasis", message: `unknown legal basis "${basisText}"` });
    const ownerText = cell("owner");
    const ownerId = ownerText === null ? null : owners.get(ownerText.toLowerCase());
    if (ownerText !== null && ownerId === undefined)
      rowErrors.push({ line, field: "owner", message: `no sales user or admin "${ownerText}"` });
    const countryText = cell("country");
    const country = countryText === null ? null : countryText.toUpperCase();
    if (country !== null && !/^[A-Z]{2}$/.test(country))
      rowErrors.push({ line, field: "country", message: `expected a two-letter country code, not "${countryText}"` });

    const rest = {
      name: cell("name"),
      company: cell("company"),
      role: cell("role"),
      seniority: cell("seniority"),
      industry: cell("industry"),
      companySize: cell("companySize"),
    };
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      return;
    }
    rows.push({
      line,
      email,
      ...rest,
      country,
      stage: stage ?? null,
      ownerId: ownerId ?? null,
      acquisition: acquisition ?? null,
      legalBasis: legalBasis ?? null,
    });
  });
  return { rows, errors };
}
