import { listSites } from "@leadtrail/db";
import {
  IMPORT_FIELDS,
  IMPORT_LIMITS,
  type ImportMapping,
  importLeads,
  type LeadImportPreview,
  previewLeadImport,
} from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import type { Actions, PageServerLoad } from "./$types";

// CSV import (admins, marketers): the page is thin; parsing, checks and the one write transaction
// are @leadtrail/workflows `previewLeadImport` / `importLeads`.

/** Errors shown at once; the count says how many more there are. */
const SHOWN_ERRORS = 200;

async function siteOf(locals: App.Locals, key: string | null) {
  const sites = await listSites(locals.db);
  return { sites, site: sites.find((s) => s.publicKey === key) ?? sites[0] };
}

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const { sites, site } = await siteOf(locals, url.searchParams.get("site"));
  return {
    sites: sites.map((s) => ({ key: s.publicKey, name: s.name })),
    site: site?.publicKey ?? null,
    fields: IMPORT_FIELDS,
    maxMegabytes: IMPORT_LIMITS.maxBytes / 1024 / 1024,
  };
};

/** The uploaded file's text and the chosen mapping (absent on the first preview: suggested then). */
async function readForm(request: Request) {
  const form = await request.formData();
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return { ok: false as const, error: "import.noFile" as const, status: 400 };
  if (file.size > IMPORT_LIMITS.maxBytes) return { ok: false as const, error: "import.tooLarge" as const, status: 413 };
  let mapping: ImportMapping | undefined;
  if (form.get("mapped") === "1") {
    mapping = {};
    for (const field of IMPORT_FIELDS) {
      const column = Number(form.get(`map.${field}`));
      if (form.get(`map.${field}`) !== "" && Number.isInteger(column) && column >= 0 && column < 1000)
        mapping[field] = column;
    }
  }
  return {
    ok: true as const,
    csv: await file.text(),
    mapping,
    skipInvalid: form.get("skipInvalid") === "on",
    route: form.get("route") === "on",
  };
}

function shown(preview: LeadImportPreview) {
  return { ...preview, errorCount: preview.errors.length, errors: preview.errors.slice(0, SHOWN_ERRORS) };
}

export const actions: Actions = {
  preview: async ({ locals, request, url }) => {
    requireRole(locals, "admin", "marketer");
    const { site } = await siteOf(locals, url.searchParams.get("site"));
    const input = await readForm(request);
    if (!input.ok) return fail(input.status, { error: input.error });
    if (!site) return fail(400, { error: "import.noSite" as const });
    return {
      preview: shown(await previewLeadImport(locals.db, { siteId: site.id, csv: input.csv, mapping: input.mapping })),
    };
  },
  commit: async ({ locals, request, url }) => {
    const user = requireRole(locals, "admin", "marketer");
    const { site } = await siteOf(locals, url.searchParams.get("site"));
    const input = await readForm(request);
    if (!input.ok) return fail(input.status, { error: input.error });
    if (!site) return fail(400, { error: "import.noSite" as const });
    const result = await importLeads(locals.db, {
      siteId: site.id,
      csv: input.csv,
      mapping: input.mapping,
      skipInvalid: input.skipInvalid,
      route: input.route,
      actor: `user:${user.id}`,
      now: Date.now(),
    });
    if (!result.ok) {
      const preview = await previewLeadImport(locals.db, { siteId: site.id, csv: input.csv, mapping: input.mapping });
      const error =
        result.reason === "too_large"
          ? "import.tooLarge"
          : result.reason === "no_rows"
            ? "import.noRows"
            : "import.refused";
      return fail(result.reason === "too_large" ? 413 : 400, { error, preview: shown(preview) });
    }
    return { done: { ...result, errors: result.errors.slice(0, SHOWN_ERRORS), errorCount: result.errors.length } };
  },
};
