import { describe, expect, it } from "vitest";
import { campaignFrom } from "./campaign.ts";

describe("campaignFrom", () => {
  const cases: [string, string, string, ReturnType<typeof campaignFrom>][] = [
    ["no campaign, no referrer", "", "", undefined],
    ["own site as referrer", "", "https://shop.example/a", undefined],
    [
      "utm parameters",
      "?utm_source=news&utm_medium=email&utm_campaign=spring&x=1",
      "",
      {
        utm_source: "news",
        utm_medium: "email",
        utm_campaign: "spring",
      },
    ],
    ["ad click id keeps its network", "?gclid=abc123", "", { clickId: "gclid:abc123" }],
    ["first click id wins", "?fbclid=f1&gclid=g1", "", { clickId: "fbclid:f1" }],
    ["empty values are no campaign", "?utm_source=&gclid=", "", undefined],
    ["external referrer", "", "https://search.example/?q=x", { referrer: "https://search.example/?q=x" }],
    ["garbage referrer is kept as text", "", "not a url", { referrer: "not a url" }],
    [
      "referrer from the same host on another port",
      "",
      "https://shop.example:8443/",
      { referrer: "https://shop.example:8443/" },
    ],
  ];
  it.each(cases)("%s", (_name, search, referrer, expected) => {
    expect(campaignFrom(search, referrer, "shop.example")).toEqual(expected);
  });
});
