import { describe, expect, it } from "vitest";
import { createLinkTokens } from "./link-token.ts";

const NOW = 1_764_230_400_000;
const claims = { siteId: 3, eventId: "r_6f1c2d3e-0000-4000-8000-000000000001", expiresAt: NOW + 60_000 };

describe("link tokens", () => {
  const tokens = createLinkTokens("installation secret");

  it("verifies its own token for the same site before expiry, and hides the content in base64url", async () => {
    const token = await tokens.sign(claims);
    expect(token).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(token).not.toContain(claims.eventId);
    expect(await tokens.verify(token, 3, NOW)).toEqual(claims);
  });

  it.each([
    ["expired", async () => tokens.sign(claims), 3, NOW + 60_001],
    ["of another site", async () => tokens.sign(claims), 4, NOW],
    ["signed with another secret", async () => createLinkTokens("other secret").sign(claims), 3, NOW],
    [
      "with an altered payload",
      async () => {
        const [, mac] = (await tokens.sign(claims)).split(".");
        const forged = Buffer.from(`3.${NOW + 999_999_999}.${claims.eventId}`).toString("base64url");
        return `${forged}.${mac}`;
      },
      3,
      NOW,
    ],
    ["with a truncated signature", async () => (await tokens.sign(claims)).slice(0, -4), 3, NOW],
    ["that is garbage", async () => "not.a.token", 3, NOW],
    ["that is over-long", async () => `${"a".repeat(400)}.${"b".repeat(43)}`, 3, NOW],
  ])("refuses a token %s", async (_name, make, siteId, now) => {
    expect(await tokens.verify(await make(), siteId, now)).toBeUndefined();
  });
});
