import { type Database, preferredSiteId, repSiteId, type Site, setPreferredSite } from "@leadtrail/db";
import { getRequestEvent } from "$app/server";

/** The logged-in user of the request being served, if any (outside a request: none). */
function currentUserId(): number | undefined {
  try {
    return getRequestEvent().locals.user?.id;
  } catch {
    return undefined;
  }
}

/**
 * The site a page shows. `?site=KEY` naming a site wins and becomes the user's remembered choice
 * (the header's switcher sets it that way, and a shared link does too); without it, the site the
 * user chose last (kept across log-ins in `user_preferences`); else, for a rep who never chose, the
 * site they take leads for (Settings → Routing); else the first site. Every page
 * and filter resolves its site here, so they all follow the switcher.
 */
export async function chooseSite(
  db: Database,
  sites: readonly Site[],
  requested: string | null,
  userId: number | undefined = currentUserId(),
): Promise<Site | undefined> {
  const explicit = requested ? sites.find((s) => s.publicKey === requested) : undefined;
  const remembered = userId === undefined ? null : await preferredSiteId(db, userId);
  if (explicit) {
    if (userId !== undefined && remembered !== explicit.id) await setPreferredSite(db, userId, explicit.id);
    return explicit;
  }
  const fallback = remembered === null && userId !== undefined ? await repSiteId(db, userId) : null;
  return sites.find((s) => s.id === (remembered ?? fallback)) ?? sites[0];
}
