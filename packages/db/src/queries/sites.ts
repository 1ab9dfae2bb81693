import { asc, eq } from "drizzle-orm";
import type { Database } from "../client.ts";
import { type NewSite, type Site, sites } from "../schema/sites.ts";
import { writeSiteOffsets } from "./site-time-zone.ts";

/** The site with this public key (from the snippet), or undefined. */
export async function findSiteByKey(db: Database, publicKey: string): Promise<Site | undefined> {
  const rows = await db.select().from(sites).where(eq(sites.publicKey, publicKey)).limit(1);
  return rows[0];
}

/** Every site, oldest first. */
export function listSites(db: Database): Promise<Site[]> {
  return db.select().from(sites).orderBy(asc(sites.id));
}

/** Creates a site and returns it. */
export async function createSite(
  db: Database,
  site: Omit<NewSite, "createdAt"> & { createdAt?: number },
): Promise<Site> {
  const rows = await db
    .insert(sites)
    .values({ ...site, createdAt: site.createdAt ?? Date.now() })
    .returning();
  const created = rows[0];
  if (!created) throw new Error("site insert returned no row");
  // A new site has no rollups yet: its zone's offsets are written now, nothing to rebuild.
  if (created.timeZone !== "UTC") await writeSiteOffsets(db, created.id, created.timeZone);
  return created;
}
