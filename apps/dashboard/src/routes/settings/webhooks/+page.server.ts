import { randomBytes } from "node:crypto";
import {
  API_KEY_SCOPES,
  createWebhookEndpoint,
  grantApiKey,
  listApiKeyGrants,
  listApiKeys,
  listSites,
  listWebhookDeliveries,
  listWebhookEndpoints,
  WEBHOOK_EVENTS,
  WEBHOOK_FORMATS,
  withWriteTransaction,
} from "@leadtrail/db";
import { isAllowedWebhookUrl } from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { parseKeyGrant } from "$lib/server/api-keys.ts";
import { parseId } from "$lib/server/input.ts";
import { chooseSite } from "$lib/server/site-choice.ts";
import type { Actions, PageServerLoad } from "./$types";

/** The events an endpoint can subscribe to (packages/workflows sends these). */
const EVENTS = WEBHOOK_EVENTS;

async function siteOf(locals: App.Locals, key: string | null) {
  const sites = await listSites(locals.db);
  return { sites, site: await chooseSite(locals.db, sites, key) };
}

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin");
  const { sites, site } = await siteOf(locals, url.searchParams.get("site"));
  const keys = await listApiKeys(locals.db);
  const grants = await listApiKeyGrants(locals.db);
  return {
    sites: sites.map((s) => ({ id: s.id, key: s.publicKey, name: s.name })),
    site: site?.publicKey ?? null,
    events: EVENTS,
    formats: WEBHOOK_FORMATS,
    scopes: API_KEY_SCOPES,
    // Secrets stay on the server after creation: the list shows where they go, not how they sign.
    endpoints: site ? (await listWebhookEndpoints(locals.db, site.id)).map(({ secret: _secret, ...e }) => e) : [],
    deliveries: site ? await listWebhookDeliveries(locals.db, { siteId: site.id, limit: 100 }) : [],
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      revoked: k.revokedAt !== null,
      grant: grants.get(k.id) ?? null,
    })),
  };
};

export const actions: Actions = {
  addEndpoint: async ({ locals, request, url }) => {
    requireRole(locals, "admin");
    const { site } = await siteOf(locals, url.searchParams.get("site"));
    const form = await request.formData();
    const target = String(form.get("url") ?? "")
      .trim()
      .slice(0, 2000);
    if (!site || !isAllowedWebhookUrl(target)) return fail(400, { error: "webhooks.badUrl" as const });
    const events = form.getAll("events").filter((e): e is (typeof EVENTS)[number] => EVENTS.includes(e as never));
    if (events.length === 0) return fail(400, { error: "webhooks.noEvents" as const });
    const format = String(form.get("format") ?? "json");
    if (!WEBHOOK_FORMATS.includes(format as never)) return fail(400, { error: "webhooks.badFormat" as const });
    const secret = `whsec_${randomBytes(24).toString("base64url")}`;
    await withWriteTransaction(locals.db, (tx) =>
      createWebhookEndpoint(tx, { siteId: site.id, url: target, secret, events, format }),
    );
    // Shown once, like API keys: the receiver needs it to verify signatures.
    return { secret };
  },
  grantKey: async ({ locals, request }) => {
    requireRole(locals, "admin");
    const form = await request.formData();
    const keyId = parseId(form.get("key"));
    if (keyId === undefined) return fail(400, { error: "input.badId" as const });
    const keys = await listApiKeys(locals.db);
    if (!keys.some((k) => k.id === keyId && k.revokedAt === null))
      return fail(400, { error: "webhooks.badGrant" as const });
    const grant = parseKeyGrant(
      form,
      (await listSites(locals.db)).map((s) => s.id),
    );
    if (!grant.ok) return fail(400, { error: grant.error });
    const { siteId, scopes } = grant;
    await withWriteTransaction(locals.db, (tx) => grantApiKey(tx, { apiKeyId: keyId, siteId, scopes }));
    return { granted: keyId };
  },
};
