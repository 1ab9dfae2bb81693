import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "../support/browser.ts";
import { html, pageSleep, STUB, trackerReady, useHarness } from "./support.ts";

type Api = { leadtrail: { track(n: string): void; identify(e: string): void; consent(g: boolean): void } };
const storage = (page: Page) =>
  page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));

describe.skipIf(skipBrowserTests)("tracker: privacy", () => {
  const h = useHarness();

  it("with consent required sends and stores nothing until consent(true), and consent(false) clears it", async () => {
    const page = await h.newPage();
    const url = h.site.page("/consent", html(h.collector, "", { attrs: { consent: "required" } }));
    await page.goto(`${url}?utm_source=news`);
    await trackerReady(page);
    await page.evaluate(() => {
      const api = (window as unknown as Api).leadtrail;
      api.track("before");
      api.identify("dana@example.com");
    });
    await pageSleep(page, 1000);
    expect(h.collector.requests).toHaveLength(0);
    expect(await storage(page)).toEqual({ local: {}, session: {}, cookie: "" });

    await page.evaluate(() => (window as unknown as Api).leadtrail.consent(true));
    await expect
      .poll(() =>
        h.collector
          .accepted()
          .map((e) => e.type)
          .sort(),
      )
      .toEqual(["custom", "identify", "pageview"]);
    const visitor = h.collector.batches()[0]?.visitor;
    expect(visitor).toMatch(/^[\w-]{8,64}$/);
    expect((await storage(page)).local).toEqual({ lt_v: visitor });
    expect(h.collector.accepted("pageview")[0]?.campaign).toEqual({ utm_source: "news" });

    await page.evaluate(() => (window as unknown as Api).leadtrail.consent(false));
    expect(await storage(page)).toEqual({ local: {}, session: {}, cookie: "" });
    h.collector.reset();
    await page.evaluate(() => (window as unknown as Api).leadtrail.track("after-refusal"));
    await pageSleep(page, 600);
    expect(h.collector.requests).toHaveLength(0);
  });

  it("remembers consent given on an earlier page, and replays a consent call from the stub", async () => {
    const page = await h.newPage();
    const head = `${STUB}<script>leadtrail.consent(true)</script>`;
    await page.goto(h.site.page("/given", html(h.collector, "", { attrs: { consent: "required" }, head })));
    await expect.poll(() => h.collector.accepted("pageview")).toHaveLength(1);
    await page.goto(h.site.page("/later", html(h.collector, "", { attrs: { consent: "required" } })));
    await expect.poll(() => h.collector.accepted("pageview")).toHaveLength(2);
    const [first, second] = h.collector.batches().filter((b) => b.events.some((e) => e.type === "pageview"));
    expect(second?.visitor).toBe(first?.visitor);
  });

  it("in cookieless mode sends page views without a visitor id and holds everything else", async () => {
    const page = await h.newPage();
    await page.goto(h.site.page("/cookieless", html(h.collector, "", { attrs: { consent: "cookieless" } })));
    await trackerReady(page);
    await page.evaluate(() => (window as unknown as Api).leadtrail.track("held"));
    await expect.poll(() => h.collector.accepted("pageview")).toHaveLength(1);
    await pageSleep(page, 400);
    expect(h.collector.accepted("custom")).toHaveLength(0);
    expect(h.collector.batches().every((b) => b.visitor === undefined)).toBe(true);
    expect(await storage(page)).toEqual({ local: {}, session: {}, cookie: "" });
  });

  for (const [signal, init] of [
    ["Do Not Track", () => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" })],
    [
      "Global Privacy Control",
      () => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }),
    ],
  ] as const) {
    it(`sends nothing when the browser signals ${signal}, unless the site sets data-dnt="false"`, async () => {
      const page = await h.newPage();
      await page.addInitScript(init);
      await page.goto(h.site.page("/dnt", html(h.collector, "<a id=out href='https://example.invalid/'>x</a>")));
      await page.evaluate(() => (window as unknown as { leadtrail?: Api["leadtrail"] }).leadtrail?.track("x"));
      await pageSleep(page, 800);
      expect(h.collector.requests.filter((r) => r.method === "POST")).toHaveLength(0);
      expect(await storage(page)).toEqual({ local: {}, session: {}, cookie: "" });

      await page.goto(h.site.page("/dnt-off", html(h.collector, "", { attrs: { dnt: "false" } })));
      await expect.poll(() => h.collector.accepted("pageview")).toHaveLength(1);
    });
  }
});
