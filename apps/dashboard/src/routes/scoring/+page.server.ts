import {
  calibrationLeads,
  deleteRuleSetDraft,
  latestRescoreRun,
  leadsAtOrAbove,
  listRuleSetVersions,
  publishRuleSet,
  saveRuleSetDraft,
} from "@leadtrail/db";
import {
  calibrate,
  EVENT_TYPES,
  type PreviewResult,
  RULE_TEMPLATES,
  type RuleSet,
  validateRuleSet,
} from "@leadtrail/scoring";
import { previewRescore } from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { publicFilter, resolveFilter } from "$lib/server/filters.ts";
import { strictNumber } from "$lib/server/input.ts";
import type { Actions, PageServerLoad } from "./$types";
import { builderState, ruleActions } from "./rule-actions.ts";
import { editing } from "./rule-sets.ts";

/**
 * What publishing the draft would do to every existing lead, replayed from their events in
 * batches (packages/workflows `previewRescore`); nothing is written. Shaped for the page.
 */
async function previewDraft(db: App.Locals["db"], siteId: number, draft: RuleSet) {
  const p: PreviewResult = await previewRescore(db, siteId, draft, Date.now(), { keepChanged: 20 });
  return {
    leads: p.leads,
    stageChanges: p.stageChanges,
    scoreChanged: p.scoreChanged,
    fallBelowThreshold: p.fallBelowThreshold,
    meanBefore: p.meanBefore,
    meanAfter: p.meanAfter,
    edges: p.before.edges,
    before: p.before.counts,
    after: p.after.counts,
    changed: p.changed.map((c) => ({ id: Number(c.id), scoreBefore: c.scoreBefore, scoreAfter: c.scoreAfter })),
  };
}

/** A rule set with the form's changes: threshold, half-life, and each rule's points and switch. */
function applyForm(base: RuleSet, form: FormData): RuleSet {
  const num = (name: string) => {
    const raw = String(form.get(name) ?? "").trim();
    return strictNumber(raw);
  };
  const halfLife = String(form.get("halfLifeDays") ?? "").trim();
  return {
    ...base,
    mqlThreshold: num("mqlThreshold"),
    halfLifeDays: halfLife === "" ? null : strictNumber(halfLife),
    rules: base.rules.map((rule) => ({
      ...rule,
      points: num(`points:${rule.id}`),
      enabled: form.get(`enabled:${rule.id}`) === "on",
    })),
  };
}

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const site = resolved.site;
  if (!site) return { site: null, filter: publicFilter(resolved) };
  const { live, draft } = await editing(locals.db, site.id);
  const [history, leads, versions, rescore] = await Promise.all([
    calibrationLeads(locals.db, site.id),
    draft ? leadsAtOrAbove(locals.db, site.id, draft.mqlThreshold) : Promise.resolve(null),
    listRuleSetVersions(locals.db, site.id),
    latestRescoreRun(locals.db, site.id),
  ]);
  const calibration = calibrate(
    history.map((h) => ({ score: h.score, history: h.history.map((c) => ({ to: c.to as never, score: c.score })) })),
    { threshold: live.mqlThreshold },
  );
  // Every rule the draft adds, changes (points, switch, condition, caps, name) or removes.
  const changes = draft
    ? [
        ...draft.rules
          .map((rule) => {
            const before = live.rules.find((r) => r.id === rule.id);
            return {
              id: rule.id,
              label: rule.label,
              pointsBefore: before?.points ?? null,
              pointsAfter: rule.points as number | null,
              enabledBefore: before ? before.enabled !== false : null,
              enabledAfter: rule.enabled !== false,
              changed: JSON.stringify(before) !== JSON.stringify(rule),
            };
          })
          .filter((c) => c.changed),
        ...live.rules
          .filter((r) => !draft.rules.some((d) => d.id === r.id))
          .map((r) => ({
            id: r.id,
            label: r.label,
            pointsBefore: r.points,
            pointsAfter: null,
            enabledBefore: r.enabled !== false,
            enabledAfter: false,
            changed: true,
          })),
      ]
    : [];
  return {
    site: { key: site.publicKey, name: site.name },
    filter: publicFilter(resolved),
    live,
    draft,
    preview: draft
      ? { changes, thresholdBefore: live.mqlThreshold, thresholdAfter: draft.mqlThreshold, leadsAtNewThreshold: leads }
      : null,
    calibration: {
      ...calibration,
      // Infinite band edges do not survive serialisation: null marks an open end.
      bands: calibration.bands.map((b) => ({
        ...b,
        from: Number.isFinite(b.from) ? b.from : null,
        to: Number.isFinite(b.to) ? b.to : null,
      })),
    },
    versions,
    rescore: rescore ?? null,
    builder: builderState(url, draft ?? live),
    templates: RULE_TEMPLATES.map((t) => ({ id: t.id, label: t.label })),
    eventTypes: EVENT_TYPES,
  };
};

export const actions: Actions = {
  ...ruleActions,
  saveDraft: async ({ locals, request, url }) => {
    const user = requireRole(locals, "admin", "marketer");
    const { site } = await resolveFilter(locals.db, url);
    if (!site) return fail(400, { errors: ["no site"] });
    const { live, draft } = await editing(locals.db, site.id);
    const checked = validateRuleSet(applyForm(draft ?? live, await request.formData()));
    if (!checked.ok) return fail(400, { errors: checked.errors.map((e) => `${e.path}: ${e.message}`) });
    await saveRuleSetDraft(locals.db, site.id, checked.ruleSet, user.id);
    return { saved: true, rescorePreview: await previewDraft(locals.db, site.id, checked.ruleSet) };
  },
  preview: async ({ locals, url }) => {
    requireRole(locals, "admin", "marketer");
    const { site } = await resolveFilter(locals.db, url);
    if (!site) return fail(400, { errors: ["no site"] });
    const { draft } = await editing(locals.db, site.id);
    if (!draft) return fail(400, { errors: ["nothing to preview"] });
    return { rescorePreview: await previewDraft(locals.db, site.id, draft) };
  },
  publish: async ({ locals, request, url }) => {
    const user = requireRole(locals, "admin", "marketer");
    const { site } = await resolveFilter(locals.db, url);
    if (!site) return fail(400, { errors: ["no site"] });
    const { draft } = await editing(locals.db, site.id);
    if (!draft) return fail(400, { errors: ["nothing to publish"] });
    const note = String((await request.formData()).get("note") ?? "").slice(0, 500) || null;
    const version = await publishRuleSet(locals.db, site.id, (v) => ({ ...draft, version: v }), user.id, note);
    return { published: version };
  },
  discard: async ({ locals, url }) => {
    requireRole(locals, "admin", "marketer");
    const { site } = await resolveFilter(locals.db, url);
    if (site) await deleteRuleSetDraft(locals.db, site.id);
    return { discarded: true };
  },
};
