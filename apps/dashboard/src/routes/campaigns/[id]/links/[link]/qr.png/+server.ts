import { requireRole } from "$lib/server/access.ts";
import { campaignLinkOf, qrHeaders, qrPng, shortUrl } from "$lib/server/campaigns-links.ts";
import { collectorUrlFor } from "$lib/server/config.ts";
import type { RequestHandler } from "./$types";

/** The QR code of a campaign's tracked link as a 1024-pixel PNG for print. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  requireRole(locals, "admin", "marketer");
  const { link } = await campaignLinkOf(locals.db, params.id, params.link);
  const png = await qrPng(shortUrl(collectorUrlFor(url), link.code));
  return new Response(png, { headers: qrHeaders("image/png", `qr-${link.code}.png`) });
};
