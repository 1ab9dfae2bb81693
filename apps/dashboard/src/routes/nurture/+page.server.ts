import {
  insertContentItem,
  insertNurtureTrack,
  listContentItems,
  listNurtureTracks,
  listPersonas,
  markSiteNurtureStale,
  updateContentItem,
  updateNurtureTrack,
  withWriteTransaction,
} from "@leadtrail/db";
import { siteTrackReports } from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { notFound } from "$lib/server/errors.ts";
import { publicFilter, resolveFilter } from "$lib/server/filters.ts";
import { parseId } from "$lib/server/input.ts";
import {
  CONTENT_KINDS,
  formValues,
  MAX_STEP_ROWS,
  parseContentItemForm,
  parseTrackForm,
  TRACK_PURPOSES,
  TRACK_STAGES,
} from "$lib/server/nurture-forms.ts";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const resolved = await resolveFilter(locals.db, url);
  const site = resolved.site;
  const db = locals.db;
  const [items, tracks, personas, reports] = site
    ? await Promise.all([
        listContentItems(db, site.id),
        listNurtureTracks(db, site.id),
        listPersonas(db, site.id),
        siteTrackReports(locals.db, site.id),
      ])
    : [[], [], [], []];
  const editItem = parseId(url.searchParams.get("item"));
  const editTrack = parseId(url.searchParams.get("track"));
  return {
    sites: resolved.sites,
    filter: publicFilter(resolved),
    items,
    tracks,
    personas: personas.map((p) => ({ id: p.id, name: p.name })),
    reports,
    kinds: CONTENT_KINDS,
    purposes: TRACK_PURPOSES,
    stages: TRACK_STAGES,
    maxSteps: MAX_STEP_ROWS,
    canEdit: user.role !== "sales",
    editingItem: items.find((i) => i.id === editItem) ?? null,
    editingTrack: tracks.find((t) => t.id === editTrack) ?? null,
  };
};

async function editorSite(event: RequestEvent) {
  requireRole(event.locals, "admin", "marketer");
  return (await resolveFilter(event.locals.db, event.url)).site;
}

/** The `id` of the form when it names a record of the site (`ids`); null for a new one; 404 otherwise. */
function recordId(form: FormData, ids: readonly number[]): number | null {
  const raw = form.get("id");
  if (raw === null || raw === "") return null;
  const id = parseId(raw);
  if (id === undefined || !ids.includes(id)) notFound();
  return id;
}

export const actions: Actions = {
  saveItem: async (event) => {
    const site = await editorSite(event);
    if (!site) return fail(400, { error: "empty.noSite" as const, field: "site", form: "item" as const });
    const form = await event.request.formData();
    const items = await listContentItems(event.locals.db, site.id);
    const id = recordId(
      form,
      items.map((i) => i.id),
    );
    const parsed = parseContentItemForm(
      form,
      items.filter((i) => i.id !== id).map((i) => i.key),
    );
    if (!parsed.ok) {
      return fail(400, { error: parsed.error, field: parsed.field, form: "item" as const, values: formValues(form) });
    }
    const old = items.find((i) => i.id === id);
    // A key is what tracks and personas refer to: renaming one that is in use would orphan them.
    if (old && old.key !== parsed.value.key) {
      return fail(400, {
        error: "nurture.keyFixed" as const,
        field: "key",
        form: "item" as const,
        values: formValues(form),
      });
    }
    await withWriteTransaction(event.locals.db, async (tx) => {
      if (id === null) await insertContentItem(tx, site.id, parsed.value, Date.now());
      else await updateContentItem(tx, site.id, id, parsed.value);
      await markSiteNurtureStale(tx, site.id);
    });
    return { savedItem: parsed.value.key };
  },
  saveTrack: async (event) => {
    const site = await editorSite(event);
    if (!site) return fail(400, { error: "empty.noSite" as const, field: "site", form: "track" as const });
    const form = await event.request.formData();
    const db = event.locals.db;
    const [tracks, items, personas] = await Promise.all([
      listNurtureTracks(db, site.id),
      listContentItems(db, site.id),
      listPersonas(db, site.id),
    ]);
    const id = recordId(
      form,
      tracks.map((t) => t.id),
    );
    const parsed = parseTrackForm(form, {
      contentKeys: items.map((i) => i.key),
      personaIds: personas.map((p) => p.id),
    });
    if (!parsed.ok) {
      return fail(400, { error: parsed.error, field: parsed.field, form: "track" as const, values: formValues(form) });
    }
    await withWriteTransaction(db, async (tx) => {
      if (id === null) await insertNurtureTrack(tx, site.id, parsed.value, Date.now());
      else await updateNurtureTrack(tx, site.id, id, parsed.value);
      await markSiteNurtureStale(tx, site.id);
    });
    return { savedTrack: parsed.value.name };
  },
};
