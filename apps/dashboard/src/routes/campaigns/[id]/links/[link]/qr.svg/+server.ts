import { requireRole } from "$lib/server/access.ts";
import { campaignLinkOf, qrHeaders, qrSvg, shortUrl } from "$lib/server/campaigns-links.ts";
import { collectorUrlFor } from "$lib/server/config.ts";
import type { RequestHandler } from "./$types";

/** The QR code of a campaign's tracked link as SVG, encoding its short URL on the collector. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  requireRole(locals, "admin", "marketer");
  const { link } = await campaignLinkOf(locals.db, params.id, params.link);
  const svg = await qrSvg(shortUrl(collectorUrlFor(url), link.code));
  return new Response(svg, { headers: qrHeaders("image/svg+xml", `qr-${link.code}.svg`) });
};
