import { createHash, randomBytes } from "node:crypto";
import {
  API_KEY_SCOPES,
  countAdmins,
  createGrantedApiKey,
  createSite,
  createUser,
  deleteUser,
  findUserById,
  latestRollupRebuilds,
  listApiKeyGrants,
  listApiKeys,
  listSiteStatus,
  listSites,
  listUserAccess,
  listUsers,
  NO_PASSWORD_HASH,
  ROLES,
  type Role,
  revokeApiKey,
  setSiteTimeZone,
  setUserRole,
  updateSite,
  withWriteTransaction,
} from "@leadtrail/db";
import { issueInvitation } from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";
import * as v from "valibot";
import { requireRole } from "$lib/server/access.ts";
import { parseKeyGrant } from "$lib/server/api-keys.ts";
import { collectorUrlFor } from "$lib/server/config.ts";
import { notFound } from "$lib/server/errors.ts";
import { choice, type FormProblem, parsedText, readForm, recordId, required, text } from "$lib/server/form-schema.ts";
import { isEmail, parseDomains, parseTimeZone, TIME_ZONES } from "$lib/server/validate.ts";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireRole(locals, "admin");
  const [siteRows, users, access, keys, grants] = await Promise.all([
    listSiteStatus(locals.db),
    listUsers(locals.db),
    listUserAccess(locals.db),
    listApiKeys(locals.db),
    listApiKeyGrants(locals.db),
  ]);
  // Each site with the newest rebuild of its rollups (after a time zone change), if any.
  const rebuilds = new Map(
    (
      await latestRollupRebuilds(
        locals.db,
        siteRows.map((s) => s.id),
      )
    ).map((r) => [r.siteId, r]),
  );
  const sites = siteRows.map((s) => ({ ...s, rebuild: rebuilds.get(s.id) ?? null }));
  // Each key with what it may do: the site it sees and its scopes (none: the key is refused).
  const apiKeys = keys.map((k) => ({ ...k, grant: grants.get(k.id) ?? null }));
  // The snippet points at the collector; installs behind a proxy set COLLECTOR_URL.
  const collectorUrl = collectorUrlFor(url);
  return {
    sites,
    users: users.map((u) => ({ ...u, access: access.get(u.id) ?? { hasPassword: false, openLink: null } })),
    apiKeys,
    scopes: API_KEY_SCOPES,
    collectorUrl,
    me: me.id,
    roles: ROLES,
    timeZones: TIME_ZONES,
  };
};

/** The link as the admin sees it once: absolute, on the dashboard's own origin (ORIGIN). */
function shownLink(url: URL, email: string, link: { path: string; expiresAt: number }) {
  return { email, url: new URL(link.path, url.origin).href, expiresAt: link.expiresAt };
}

// The forms' fields, checked in the order the page shows them; each check names its message.
const role = choice<Role>(ROLES, "settings.badRole");
const domains = (message: "settings.badDomains") => parsedText(4000, parseDomains, message);
const id = recordId();
const ById = v.object({ id });
const AddSite = v.object({ name: required(200, "settings.nameRequired"), domains: domains("settings.badDomains") });
const UpdateSite = v.object({
  id,
  name: required(200, "settings.badDomains"),
  domains: domains("settings.badDomains"),
  // Absent (an older form): the zone stays; present but unknown: refused.
  timeZone: v.optional(parsedText(64, parseTimeZone, "settings.badTimeZone")),
});
const AddUser = v.object({
  email: v.pipe(text(254), v.check(isEmail, "setup.badEmail")),
  role,
  name: text(100),
});
const SetRole = v.object({ id, role });
const CreateKey = v.object({ name: required(100, "settings.nameRequired") });

/** The 400 of a form with a field that is not valid ("abc" for an id: never NaN into a query). */
function refused(section: string, problem: FormProblem) {
  return fail(400, { section, error: problem.error, field: problem.field });
}

export const actions: Actions = {
  addSite: async ({ locals, request }) => {
    requireRole(locals, "admin");
    const input = readForm(await request.formData(), AddSite);
    if (!input.ok) return refused("sites", input);
    const { name, domains } = input.value;
    const site = await createSite(locals.db, { publicKey: `site_${randomBytes(8).toString("hex")}`, name, domains });
    return { section: "sites", created: site.publicKey };
  },
  updateSite: async ({ locals, request }) => {
    requireRole(locals, "admin");
    const input = readForm(await request.formData(), UpdateSite);
    if (!input.ok) return refused("sites", input);
    const { id, name, domains, timeZone } = input.value;
    if (!(await updateSite(locals.db, id, { name, domains }))) notFound();
    // A new zone re-keys the site's rollups in the background (the collector's rebuild job).
    if (timeZone) await setSiteTimeZone(locals.db, id, timeZone, Date.now());
    return { section: "sites", saved: true };
  },
  // Admins never choose or see passwords: a new user gets a one-time invitation link and sets
  // their own (see /invite/[token]).
  addUser: async ({ locals, request, url }) => {
    const me = requireRole(locals, "admin");
    const input = readForm(await request.formData(), AddUser);
    if (!input.ok) return refused("users", input);
    const { email, role, name } = input.value;
    const user = await createUser(locals.db, {
      email,
      name: name || null,
      passwordHash: NO_PASSWORD_HASH,
      role,
    });
    if (!user) return fail(409, { section: "users", error: "settings.emailTaken" as const });
    const link = await issueInvitation(locals.db, {
      userId: user.id,
      purpose: "invite",
      createdBy: me.id,
      now: Date.now(),
    });
    return { section: "users", createdUser: user.id, link: shownLink(url, user.email, link) };
  },
  setRole: async ({ locals, request }) => {
    const me = requireRole(locals, "admin");
    const input = readForm(await request.formData(), SetRole);
    if (!input.ok) return refused("users", input);
    const { id, role } = input.value;
    // The last admin cannot demote themselves: someone must be able to manage users.
    if (id === me.id && role !== "admin" && (await countAdmins(locals.db)) <= 1) {
      return fail(400, { section: "users", error: "settings.lastAdmin" as const });
    }
    if (!(await setUserRole(locals.db, id, role))) notFound();
    return { section: "users", saved: true };
  },
  // A new link for a user: an invitation while they have no password, otherwise a reset link.
  // Either replaces the user's older links; a reset ends their sessions once it is used.
  issueLink: async ({ locals, request, url }) => {
    const me = requireRole(locals, "admin");
    const input = readForm(await request.formData(), ById);
    if (!input.ok) return refused("users", input);
    const { id } = input.value;
    const user = await findUserById(locals.db, id);
    if (!user) notFound();
    const purpose = (await listUserAccess(locals.db)).get(id)?.hasPassword ? "reset" : "invite";
    const link = await issueInvitation(locals.db, { userId: id, purpose, createdBy: me.id, now: Date.now() });
    return { section: "users", link: shownLink(url, user.email, link) };
  },
  deleteUser: async ({ locals, request }) => {
    const me = requireRole(locals, "admin");
    const input = readForm(await request.formData(), ById);
    if (!input.ok) return refused("users", input);
    const { id } = input.value;
    if (id === me.id) return fail(400, { section: "users", error: "settings.notSelf" as const });
    if (!(await deleteUser(locals.db, id))) notFound();
    return { section: "users", deleted: id };
  },
  createKey: async ({ locals, request }) => {
    const me = requireRole(locals, "admin");
    const form = await request.formData();
    const input = readForm(form, CreateKey);
    if (!input.ok) return refused("keys", input);
    const { name } = input.value;
    // The key gets its site and scopes here: a key that can do nothing would only confuse.
    const grant = parseKeyGrant(
      form,
      (await listSites(locals.db)).map((s) => s.id),
    );
    if (!grant.ok) return fail(400, { section: "keys", error: grant.error });
    const secret = `lt_${randomBytes(24).toString("base64url")}`;
    const keyId = await withWriteTransaction(locals.db, (tx) =>
      createGrantedApiKey(tx, {
        name,
        prefix: secret.slice(0, 10),
        keyHash: createHash("sha256").update(secret).digest("hex"),
        createdBy: me.id,
        siteId: grant.siteId,
        scopes: grant.scopes,
        createdAt: Date.now(),
      }),
    );
    // Shown once: only the hash is stored.
    return { section: "keys", secret, keyId };
  },
  revokeKey: async ({ locals, request }) => {
    requireRole(locals, "admin");
    const input = readForm(await request.formData(), ById);
    if (!input.ok) return refused("keys", input);
    const { id } = input.value;
    if (!(await revokeApiKey(locals.db, id))) notFound();
    return { section: "keys", revoked: id };
  },
};
