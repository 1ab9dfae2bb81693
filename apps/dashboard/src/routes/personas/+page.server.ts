import {
  findPersona,
  insertPersona,
  listContentItems,
  listPersonas,
  markSiteNurtureStale,
  setPersonaEnabled,
  updatePersona,
  withWriteTransaction,
} from "@leadtrail/db";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { notFound } from "$lib/server/errors.ts";
import { publicFilter, resolveFilter } from "$lib/server/filters.ts";
import { parseId } from "$lib/server/input.ts";
import { formValues, parsePersonaForm } from "$lib/server/nurture-forms.ts";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const resolved = await resolveFilter(locals.db, url);
  const siteId = resolved.site?.id;
  const [personas, items] =
    siteId === undefined
      ? [[], []]
      : await Promise.all([listPersonas(locals.db, siteId), listContentItems(locals.db, siteId)]);
  const editId = parseId(url.searchParams.get("edit"));
  return {
    sites: resolved.sites,
    filter: publicFilter(resolved),
    personas,
    contentKeys: items.map((i) => ({ key: i.key, title: i.title })),
    // Sales sees who the target groups are; only marketing and admins change them.
    canEdit: user.role !== "sales",
    editing: personas.find((p) => p.id === editId) ?? null,
  };
};

/** The site of the request (from the filter) for an editor, or a 400 when there is none. */
async function editorSite(event: RequestEvent) {
  requireRole(event.locals, "admin", "marketer");
  return (await resolveFilter(event.locals.db, event.url)).site;
}

/** A persona id from the form that belongs to the site; otherwise the same 404 as a missing one. */
async function personaId(event: RequestEvent, siteId: number, form: FormData): Promise<number> {
  const id = parseId(form.get("id"));
  if (id === undefined || !(await findPersona(event.locals.db, siteId, id))) notFound();
  return id;
}

export const actions: Actions = {
  save: async (event) => {
    const site = await editorSite(event);
    if (!site) return fail(400, { error: "empty.noSite" as const, field: "site" });
    const form = await event.request.formData();
    const editing = form.get("id") ? await personaId(event, site.id, form) : null;
    const keys = (await listContentItems(event.locals.db, site.id)).map((i) => i.key);
    const parsed = parsePersonaForm(form, keys);
    if (!parsed.ok) return fail(400, { error: parsed.error, field: parsed.field, values: formValues(form) });
    const id = await withWriteTransaction(event.locals.db, async (tx) => {
      let saved = editing;
      if (saved === null) saved = await insertPersona(tx, site.id, parsed.value, Date.now());
      else await updatePersona(tx, site.id, saved, parsed.value);
      // Every lead is matched again by the nurture job's next run.
      await markSiteNurtureStale(tx, site.id);
      return saved;
    });
    return { saved: id, name: parsed.value.name };
  },
  toggle: async (event) => {
    const site = await editorSite(event);
    if (!site) notFound();
    const form = await event.request.formData();
    const id = await personaId(event, site.id, form);
    const enabled = form.get("enabled") === "1";
    await withWriteTransaction(event.locals.db, async (tx) => {
      await setPersonaEnabled(tx, site.id, id, enabled);
      await markSiteNurtureStale(tx, site.id);
    });
    return { toggled: id, enabled };
  },
};
