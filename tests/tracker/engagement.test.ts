import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "../support/browser.ts";
import { html, sleep, trackerReady, useHarness } from "./support.ts";

const TALL = `<div style="height: 4000px">tall</div><button id="nav" onclick="history.pushState({}, '', '/read/next')">next</button>`;

describe.skipIf(skipBrowserTests)("tracker: engagement", () => {
  const h = useHarness();

  it("reports engaged time and scroll depth when the page is left", async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 800, height: 1000 });
    const url = h.site.page("/read", html(h.collector, TALL));
    const opened = Date.now();
    await page.goto(url);
    await trackerReady(page);
    await sleep(1200);
    await page.mouse.wheel(0, 1500); // reaches 2500 of 4000+ px
    await sleep(300);
    await page.goto(`${h.site.origin}/blank`);
    const left = Date.now(); // the page was hidden before the next one loaded
    await expect.poll(() => h.collector.accepted("engagement")).toHaveLength(1);
    const [engagement] = h.collector.accepted("engagement");
    expect(engagement?.url).toBe(url);
    expect(engagement?.engagedMs).toBeGreaterThanOrEqual(1300);
    // At most the time the page was open (however slowly the machine ran it), not twice that.
    expect(engagement?.engagedMs).toBeLessThanOrEqual(left - opened);
    expect(engagement?.scroll).toBeGreaterThan(0.5);
    expect(engagement?.scroll).toBeLessThan(0.75);
  });

  it("stops counting after data-idle milliseconds without input", async () => {
    const page = await h.newPage();
    await page.goto(h.site.page("/idle", html(h.collector, TALL, { attrs: { idle: "300" } })));
    await trackerReady(page);
    await sleep(1500); // no input at all: only the first 300 ms count
    await page.goto(`${h.site.origin}/blank`);
    await expect.poll(() => h.collector.accepted("engagement")).toHaveLength(1);
    const idleMs = h.collector.accepted("engagement")[0]?.engagedMs ?? 0;
    expect(idleMs).toBeGreaterThan(0);
    expect(idleMs).toBeLessThanOrEqual(400);

    h.collector.reset();
    await page.goto(h.site.page("/active", html(h.collector, TALL, { attrs: { idle: "300" } })));
    await trackerReady(page);
    for (let i = 0; i < 8; i++) {
      await page.mouse.move(10 + i * 10, 10); // input every 200 ms keeps the visitor engaged
      await sleep(200);
    }
    await page.goto(`${h.site.origin}/blank`);
    await expect.poll(() => h.collector.accepted("engagement")).toHaveLength(1);
    expect(h.collector.accepted("engagement")[0]?.engagedMs).toBeGreaterThanOrEqual(1200);
  });

  it("reports the engagement of an SPA page to that page when the visitor navigates on", async () => {
    const page = await h.newPage();
    const url = h.site.page("/read", html(h.collector, TALL));
    await page.goto(url);
    await trackerReady(page);
    await sleep(500);
    await page.click("#nav");
    await expect.poll(() => h.collector.accepted("pageview")).toHaveLength(2);
    await expect.poll(() => h.collector.accepted("engagement")).toHaveLength(1);
    const [engagement] = h.collector.accepted("engagement");
    expect(engagement?.url).toBe(url);
    expect(engagement?.engagedMs).toBeGreaterThanOrEqual(400);
    // The engagement of the page left goes out before the next page's view.
    const order = h.collector.accepted().map((e) => e.type);
    expect(order.indexOf("engagement")).toBeLessThan(order.lastIndexOf("pageview"));
  });
});
