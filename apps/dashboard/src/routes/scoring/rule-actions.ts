import { saveRuleSetDraft } from "@leadtrail/db";
import {
  RULE_TEMPLATES,
  type Rule,
  type RuleFields,
  type RuleSet,
  ruleFromFields,
  ruleIdFrom,
  ruleSetFromJson,
  ruleToFields,
  validateRuleSet,
} from "@leadtrail/scoring";
import { fail, redirect } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import {
  builderFields,
  deleteRule,
  duplicateRule,
  errorsByField,
  moveRule,
  putRule,
  runRuleTest,
} from "$lib/server/rule-builder.ts";
import { editing } from "./rule-sets.ts";

/** Imports larger than this are refused (a rule set of 500 rules stays well under it). */
const MAX_IMPORT_BYTES = 512 * 1024;

/** The page's address with the builder closed (or opened on `edit`), keeping the site and filters. */
function pageHref(url: URL, edit?: string): string {
  const params = new URLSearchParams(url.searchParams);
  params.delete("edit");
  params.delete("new");
  if (edit) params.set("edit", edit);
  const q = params.toString();
  return q ? `/scoring?${q}` : "/scoring";
}

/** The builder the page opens: `?edit=<rule id>` fills it from the draft (or live) rule, `?new=fit|engagement` starts empty. */
export function builderState(url: URL, rules: RuleSet): { fields: RuleFields; isNew: boolean } | null {
  const edit = url.searchParams.get("edit");
  const rule = edit ? rules.rules.find((r) => r.id === edit) : undefined;
  if (rule) return { fields: ruleToFields(rule), isNew: false };
  const kind = url.searchParams.get("new");
  if (kind === "engagement" || kind === "fit") return { fields: { kind, enabled: "on" }, isNew: true };
  return null;
}

async function context(locals: App.Locals, url: URL) {
  const user = requireRole(locals, "admin", "marketer");
  const { site } = await resolveFilter(locals.db, url);
  if (!site) return null;
  const { live, draft } = await editing(locals.db, site.id);
  return { user, site, base: draft ?? live };
}

/** Saves a changed draft after checking the whole set (ids unique, limits); false when it is not valid. */
async function save(locals: App.Locals, siteId: number, userId: number, ruleSet: RuleSet): Promise<boolean> {
  const checked = validateRuleSet(ruleSet);
  if (!checked.ok) return false;
  await saveRuleSetDraft(locals.db, siteId, checked.ruleSet, userId);
  return true;
}

/** The builder's rule from the form, with the ids it must not take (the draft's other rules). */
function ruleFromForm(form: FormData, base: RuleSet) {
  const fields = builderFields(form);
  const editingId = fields.id && base.rules.some((r) => r.id === fields.id) ? fields.id : "";
  fields.id = editingId;
  const taken = base.rules.map((r) => r.id).filter((id) => id !== editingId);
  return { fields, result: ruleFromFields(fields, taken) };
}

/** Form actions of the rule builder: each changes the site's draft (never the live rules). */
export const ruleActions = {
  saveRule: async ({ locals, request, url }: { locals: App.Locals; request: Request; url: URL }) => {
    const ctx = await context(locals, url);
    if (!ctx) return fail(400, { errors: ["no site"] });
    const { fields, result } = ruleFromForm(await request.formData(), ctx.base);
    if (!result.ok) return fail(400, { builder: { fields, errors: errorsByField(result.errors) } });
    if (!(await save(locals, ctx.site.id, ctx.user.id, putRule(ctx.base, result.rule))))
      return fail(400, { builder: { fields, errors: { match: { code: "too_long", message: "Too many rules." } } } });
    redirect(303, pageHref(url));
  },
  testRule: async ({ locals, request, url }: { locals: App.Locals; request: Request; url: URL }) => {
    const ctx = await context(locals, url);
    if (!ctx) return fail(400, { errors: ["no site"] });
    const { fields, result } = ruleFromForm(await request.formData(), ctx.base);
    if (!result.ok) return fail(400, { builder: { fields, errors: errorsByField(result.errors) } });
    const test = await runRuleTest(locals.db, ctx.site.id, ctx.base, result.rule as Rule, Date.now());
    return { builder: { fields, errors: {} }, test };
  },
  duplicateRule: async ({ locals, request, url }: { locals: App.Locals; request: Request; url: URL }) => {
    const ctx = await context(locals, url);
    if (!ctx) return fail(400, { errors: ["no site"] });
    const copy = duplicateRule(ctx.base, String((await request.formData()).get("rule") ?? ""));
    if (!copy || !(await save(locals, ctx.site.id, ctx.user.id, copy.ruleSet)))
      return fail(400, { errors: ["no such rule"] });
    return { changed: true };
  },
  moveRule: async ({ locals, request, url }: { locals: App.Locals; request: Request; url: URL }) => {
    const ctx = await context(locals, url);
    if (!ctx) return fail(400, { errors: ["no site"] });
    const [id, direction] = String((await request.formData()).get("move") ?? "").split(":");
    if (!id || (direction !== "up" && direction !== "down")) return fail(400, { errors: ["bad move"] });
    await save(locals, ctx.site.id, ctx.user.id, moveRule(ctx.base, id, direction));
    return { changed: true };
  },
  deleteRule: async ({ locals, request, url }: { locals: App.Locals; request: Request; url: URL }) => {
    const ctx = await context(locals, url);
    if (!ctx) return fail(400, { errors: ["no site"] });
    const id = String((await request.formData()).get("rule") ?? "");
    if (!ctx.base.rules.some((r) => r.id === id)) return fail(400, { errors: ["no such rule"] });
    await save(locals, ctx.site.id, ctx.user.id, deleteRule(ctx.base, id));
    return { changed: true };
  },
  addTemplate: async ({ locals, request, url }: { locals: App.Locals; request: Request; url: URL }) => {
    const ctx = await context(locals, url);
    if (!ctx) return fail(400, { errors: ["no site"] });
    const wanted = (await request.formData()).get("template");
    const template = RULE_TEMPLATES.find((t) => t.id === wanted);
    if (!template) return fail(400, { errors: ["no such template"] });
    const id = ruleIdFrom(
      template.id,
      ctx.base.rules.map((r) => r.id),
    );
    const rule = { ...structuredClone(template.rule), id } as Rule;
    if (!(await save(locals, ctx.site.id, ctx.user.id, putRule(ctx.base, rule))))
      return fail(400, { errors: ["too many rules"] });
    // Open it in the builder: a template is a starting point the marketer adapts to the site.
    redirect(303, pageHref(url, id));
  },
  importRules: async ({ locals, request, url }: { locals: App.Locals; request: Request; url: URL }) => {
    const ctx = await context(locals, url);
    if (!ctx) return fail(400, { errors: ["no site"] });
    const form = await request.formData();
    const file = form.get("file");
    const text =
      file instanceof File && file.size > 0
        ? file.size > MAX_IMPORT_BYTES
          ? null
          : await file.text()
        : String(form.get("json") ?? "");
    if (text === null || text.length > MAX_IMPORT_BYTES)
      return fail(413, { importErrors: [{ path: "", message: "The file is larger than 512 KB." }] });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(400, { importErrors: [{ path: "", message: "This is not valid JSON." }] });
    }
    const checked = ruleSetFromJson(json, ctx.base);
    if (!checked.ok)
      return fail(400, {
        importErrors: checked.errors.slice(0, 50).map((e) => ({ path: e.path, message: e.message })),
      });
    await saveRuleSetDraft(locals.db, ctx.site.id, checked.ruleSet, ctx.user.id);
    return { imported: checked.ruleSet.rules.length };
  },
};
