import { listSites } from "@leadtrail/db";
import { chooseSite } from "$lib/server/site-choice.ts";
import type { LayoutServerLoad } from "./$types";

export const load: LayoutServerLoad = async ({ locals, url }) => {
  const user = locals.user;
  if (!user) return { locale: locals.locale, user: null, sites: [], currentSite: null };
  // The header's site switcher: the same choice every page makes (chooseSite), so they agree.
  const sites = await listSites(locals.db);
  const current = await chooseSite(locals.db, sites, url.searchParams.get("site"), user.id);
  return {
    locale: locals.locale,
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    sites: sites.map((s) => ({ key: s.publicKey, name: s.name })),
    currentSite: current?.publicKey ?? null,
  };
};
