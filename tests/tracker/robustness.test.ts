import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "../support/browser.ts";
import { html, pageSleep, trackerReady, useHarness } from "./support.ts";

type Api = {
  leadtrail: { track(n: string, p?: unknown): void; identify(e: unknown): void; consent(g: boolean): void };
};

describe.skipIf(skipBrowserTests)("tracker: living with the host page", () => {
  const h = useHarness();

  it("keeps working on a page with its own errors and a fetch monkeypatch, and adds no errors", async () => {
    const page = await h.newPage();
    const head = `<script>
      window.hostFetches = 0;
      const original = window.fetch;
      window.fetch = function (...args) { window.hostFetches++; return original.apply(this, args); };
      throw new Error("host error before");
    </script>`;
    const body = `<script>setTimeout(() => { throw new Error("host error after") }, 0)</script>
      <button id="host" onclick="fetch('/blank').then((r) => { document.title = 'host ' + r.status })">host fetch</button>`;
    await page.goto(h.site.page("/host", html(h.collector, body, { head })));
    await trackerReady(page);
    await page.click("#host");
    await expect.poll(() => page.title()).toBe("host 200");
    await page.evaluate(() => {
      const api = (window as unknown as Api).leadtrail;
      api.track("ok");
      // Misuse must not throw into the page either.
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      api.track("circular", circular);
      api.identify(42);
      (api as unknown as { track(...a: unknown[]): void }).track();
    });
    await expect.poll(() => h.collector.accepted("custom").map((e) => e.name)).toContain("ok");
    // The host's own errors, and nothing else, even once the tracker's timers have run.
    const hostErrors = ["pageerror: host error after", "pageerror: host error before"];
    await expect.poll(() => [...h.problems].sort()).toEqual(hostErrors);
    await pageSleep(page, 300);
    expect([...h.problems].sort()).toEqual(hostErrors);
  });

  it("still delivers when the host replaced fetch with one that throws", async () => {
    const page = await h.newPage();
    const head = `<script>window.brokenCalls = 0; window.fetch = () => { brokenCalls++; throw new Error("fetch is broken here") }</script>`;
    await page.goto(h.site.page("/broken", html(h.collector, "", { head })));
    await trackerReady(page);
    // Several failed sends through the broken fetch (the first and two retries) …
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { brokenCalls: number }).brokenCalls))
      .toBeGreaterThanOrEqual(3);
    // … none of which reached the collector by another way while the page was open.
    expect(h.collector.requests).toHaveLength(0);
    await page.goto(`${h.site.origin}/blank`); // the page view leaves by beacon on page hide
    await expect.poll(() => h.collector.accepted("pageview")).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });

  it("counts once when the snippet is included twice", async () => {
    const page = await h.newPage();
    const again = `<script defer src="${h.collector.origin}/t.js" data-site="${h.collector.site}" data-flush="100"></script>`;
    await page.goto(h.site.page("/twice", html(h.collector, again)));
    await trackerReady(page);
    await pageSleep(page, 600);
    expect(h.collector.accepted("pageview")).toHaveLength(1);
  });
});

describe.skipIf(skipBrowserTests)("tracker: the core build", () => {
  const h = useHarness();

  it("records page views, SPA navigation, custom events, identify, forms and engagement", async () => {
    const page = await h.newPage();
    const body = `<button id="push" onclick="history.pushState({}, '', '/core/next')">next</button>
      <form data-lt-form="demo" onsubmit="event.preventDefault()"><input type="email" name="email" value="eve@example.com">
      <input name="company" value="Acme"><input type="password" name="pw" value="CORE-SECRET"><button id="send">Go</button></form>`;
    const url = h.site.page("/core", html(h.collector, body, { core: true }));
    await page.goto(url);
    await trackerReady(page);
    await page.click("#push");
    await page.click("#send");
    await page.evaluate(() => {
      const api = (window as unknown as Api).leadtrail;
      api.track("core-custom");
      api.identify("eve@example.com");
    });
    await page.goto(`${h.site.origin}/blank`);
    await expect
      .poll(() =>
        h.collector
          .accepted()
          .map((e) => e.type)
          .sort(),
      )
      .toEqual(["custom", "engagement", "engagement", "form", "identify", "pageview", "pageview"]);
    expect(h.collector.accepted("form")[0]).toMatchObject({
      name: "demo",
      email: "eve@example.com",
      traits: { company: "Acme" },
    });
    expect(JSON.stringify(h.collector.batches())).not.toMatch(/CORE-SECRET/);
    expect(h.problems).toEqual([]);
  });

  it("with consent required sends nothing until consent(true)", async () => {
    const page = await h.newPage();
    await page.goto(
      h.site.page("/core-consent", html(h.collector, "", { core: true, attrs: { consent: "required" } })),
    );
    await trackerReady(page);
    await pageSleep(page, 1300); // longer than the core's fixed one-second flush delay
    expect(h.collector.requests).toHaveLength(0);
    expect(await page.evaluate(() => ({ ...localStorage }))).toEqual({});
    await page.evaluate(() => (window as unknown as Api).leadtrail.consent(true));
    await expect.poll(() => h.collector.accepted("pageview")).toHaveLength(1);
  });
});
