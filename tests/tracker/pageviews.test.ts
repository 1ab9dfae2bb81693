import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "../support/browser.ts";
import { html, pageSleep, STUB, trackerReady, useHarness } from "./support.ts";

const SPA = `
<button id="push" onclick="history.pushState({}, '', '/app/second'); document.title = 'Second'">push</button>
<button id="replace" onclick="history.replaceState({}, '', '/app/third')">replace</button>
<button id="same" onclick="history.replaceState({ k: 1 }, '', location.href)">same</button>
<button id="hash" onclick="location.hash = 'tab2'">hash</button>`;

describe.skipIf(skipBrowserTests)("tracker: page views and SPA navigation", () => {
  const h = useHarness();

  it("sends one page view on load, as a cross-origin text/plain POST without preflight", async () => {
    const page = await h.newPage();
    const url = h.site.page("/landing", html(h.collector, "<p>hi</p>", { title: "Landing" }));
    await page.goto(`${url}?x=1#top`);
    await expect.poll(() => h.collector.accepted("pageview").length).toBe(1);
    await pageSleep(page, 300);
    const views = h.collector.accepted("pageview");
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ url: `${url}?x=1`, title: "Landing", referrer: "" });
    expect(views[0]?.id).toMatch(/^[\w-]{8,64}$/);
    expect(Math.abs((views[0]?.time ?? 0) - Date.now())).toBeLessThan(60_000);
    const post = h.collector.requests.find((r) => r.batch);
    expect(post?.contentType).toMatch(/^text\/plain/);
    expect(post?.batch).toMatchObject({ site: h.collector.site });
    expect(post?.batch?.visitor).toMatch(/^[\w-]{8,64}$/);
    expect(h.collector.requests.filter((r) => r.method === "OPTIONS")).toHaveLength(0);
    expect(h.problems).toEqual([]);
  });

  it("counts pushState, replaceState and popstate navigations once each, not a same-URL replace", async () => {
    const page = await h.newPage();
    const url = h.site.page("/app", html(h.collector, SPA));
    await page.goto(url);
    await trackerReady(page);
    await page.click("#same"); // a router's replaceState on load must not count twice
    await page.click("#push");
    await page.click("#replace");
    // Each view is counted once the router has finished (a timeout after pushState/replaceState);
    // a person presses Back long after that, so the test waits for it too.
    await expect
      .poll(() => h.collector.accepted("pageview").map((e) => new URL(e.url ?? "").pathname))
      .toEqual(["/app", "/app/second", "/app/third"]);
    await page.goBack(); // popstate back to /app
    await expect
      .poll(() => h.collector.accepted("pageview").map((e) => new URL(e.url ?? "").pathname))
      .toEqual(["/app", "/app/second", "/app/third", "/app"]);
    await pageSleep(page, 300);
    const views = h.collector.accepted("pageview");
    expect(views).toHaveLength(4);
    expect(views[1]).toMatchObject({ title: "Second", referrer: url });
    expect(new Set(views.map((e) => e.id)).size).toBe(4);
  });

  it("ignores hash changes by default and counts them with data-hash", async () => {
    const page = await h.newPage();
    const plain = h.site.page("/nohash", html(h.collector, SPA));
    await page.goto(plain);
    await trackerReady(page);
    await page.click("#hash");
    await pageSleep(page, 400);
    expect(h.collector.accepted("pageview")).toHaveLength(1);

    const hashed = h.site.page("/hash", html(h.collector, SPA, { attrs: { hash: "true" } }));
    await page.goto(hashed);
    await trackerReady(page);
    await page.click("#hash");
    await expect.poll(() => h.collector.accepted("pageview").map((e) => e.url)).toContain(`${hashed}#tab2`);
  });

  it("replays calls queued by the pre-load stub and exposes the API", async () => {
    const page = await h.newPage();
    const head = `${STUB}<script>leadtrail.track("early", { plan: "pro" }); leadtrail.identify("early@example.com", { name: "Ada" })</script>`;
    await page.goto(h.site.page("/stub", html(h.collector, "", { head })));
    await trackerReady(page);
    await page.evaluate(() =>
      (window as unknown as { leadtrail: { track(n: string): void } }).leadtrail.track("later"),
    );
    await expect.poll(() => h.collector.accepted("custom").map((e) => e.name)).toEqual(["early", "later"]);
    expect(h.collector.accepted("custom")[0]?.props).toEqual({ plan: "pro" });
    await expect
      .poll(() => h.collector.accepted("identify"))
      .toEqual([expect.objectContaining({ email: "early@example.com", traits: { name: "Ada" } })]);
  });
});

describe.skipIf(skipBrowserTests)("tracker: the back/forward cache", () => {
  const b = useHarness({ bfcache: true });

  it.each([
    ["full", false],
    ["core", true],
  ])(
    "%s build: counts the first view once, and a back navigation restored from the bfcache not at all",
    async (build, core) => {
      const page = await b.newPage();
      // Records whether the browser restored the page from the back/forward cache: only then is the
      // "no new view" assertion about the bfcache (a real reload would be a new view).
      const head = `<script>addEventListener("pageshow", (e) => { if (e.persisted) window.restored = (window.restored || 0) + 1 })</script>`;
      const url = b.site.page(`/kept-${build}`, html(b.collector, "<p>kept</p>", { head, core }));
      await page.goto(url);
      await trackerReady(page);
      await expect.poll(() => b.collector.accepted("pageview")).toHaveLength(1);
      await page.goto(`${b.site.origin}/blank`);
      // A restore fires no load event: wait for the commit, then for the page to say it was restored.
      await page.goBack({ waitUntil: "commit" });
      await expect.poll(() => page.evaluate(() => (window as unknown as { restored?: number }).restored)).toBe(1);
      expect(page.url()).toBe(url);
      // The restored tracker is alive: it sends what happens next …
      await page.evaluate(() =>
        (window as unknown as { leadtrail: { track(n: string): void } }).leadtrail.track("after-restore"),
      );
      await expect.poll(() => b.collector.accepted("custom").map((e) => e.name)).toEqual(["after-restore"]);
      // … but neither the load nor the restore made a second page view, under any id.
      const sent = b.collector.batches().flatMap((batch) => batch.events.filter((e) => e.type === "pageview"));
      expect(new Set(sent.map((e) => e.id)).size).toBe(1);
      expect(sent[0]?.url).toBe(url);
    },
  );
});
