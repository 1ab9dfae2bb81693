import { eq } from "drizzle-orm";
import type { Database } from "../client.ts";
import { type Link, links } from "../schema/campaigns.ts";

/** The tracked link or QR code with this code, or undefined. */
export async function findLinkByCode(db: Database, code: string): Promise<Link | undefined> {
  const rows = await db.select().from(links).where(eq(links.code, code)).limit(1);
  return rows[0];
}

/** Creates a tracked link or QR code. */
export async function createLink(db: Database, link: Omit<typeof links.$inferInsert, "createdAt">): Promise<Link> {
  const rows = await db
    .insert(links)
    .values({ ...link, createdAt: Date.now() })
    .returning();
  const created = rows[0];
  if (!created) throw new Error("link insert returned no row");
  return created;
}
