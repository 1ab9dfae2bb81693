export {
  IMPORT_FIELDS,
  IMPORT_LIMITS,
  type ImportField,
  type ImportMapping,
  type ImportRow,
  type ParsedCsv,
  parseCsv,
  type RowError,
  suggestMapping,
  validateRows,
} from "./csv.ts";
export {
  importLeads,
  type LeadImportInput,
  type LeadImportPreview,
  type LeadImportResult,
  previewLeadImport,
} from "./import-leads.ts";
