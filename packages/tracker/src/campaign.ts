import type { CampaignContext } from "./protocol.ts";

/** UTM parameters, and ad networks' click-id parameters. */
const UTM = /^utm_(source|medium|campaign|term|content)$/;
const CLICK_ID = /^(gclid|fbclid|msclkid|li_fat_id|ttclid)$/;

/**
 * The campaign context of a landing: UTM parameters, the first ad click id (as `param:value`, so
 * the network stays known within one string), and the referrer when it is another site's.
 * Returns undefined for a landing with none of these, so an internal page keeps the visit's
 * context. Values are not cut here: the tracker cuts every string to the collector's limits.
 */
export function campaignFrom(search: string, referrer: string, pageHost: string): CampaignContext | undefined {
  const campaign: Record<string, string> = {};
  new URLSearchParams(search).forEach((value, key) => {
    if (value && UTM.test(key)) campaign[key] = value;
    if (value && CLICK_ID.test(key)) campaign.clickId ||= `${key}:${value}`;
  });
  // "https://host:port/path" → "host:port"; anything unparseable counts as another site.
  if (referrer && referrer.split("/")[2] !== pageHost) campaign.referrer = referrer;
  for (const _ in campaign) return campaign;
}
