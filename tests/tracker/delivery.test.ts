import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "../support/browser.ts";
import { html, pageSleep, trackerReady, useHarness } from "./support.ts";

type Api = { leadtrail: { track(name: string, props?: Record<string, string>): void } };
const track = (name: string) => (window as unknown as Api).leadtrail.track(name);

describe.skipIf(skipBrowserTests)("tracker: delivery", () => {
  const h = useHarness();

  it("retries after three 500s and delivers once, with the same event ids", async () => {
    h.collector.answer(500, 500, 500);
    const page = await h.newPage();
    await page.goto(h.site.page("/retry", html(h.collector, "")));
    await expect.poll(() => h.collector.accepted("pageview"), { timeout: 8000 }).toHaveLength(1);
    const posts = h.collector.requests.filter((r) => r.batch);
    expect(posts.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    const ids = posts.map((r) => r.batch?.events.map((e) => e.id));
    expect(new Set(ids.map((i) => JSON.stringify(i))).size).toBe(1);
    await pageSleep(page, 500);
    expect(h.collector.requests.filter((r) => r.batch)).toHaveLength(4); // nothing more after success
  });

  it("never retries a batch the collector answered with 400", async () => {
    h.collector.answer(400);
    const page = await h.newPage();
    await page.goto(h.site.page("/bad", html(h.collector, "")));
    await trackerReady(page);
    await pageSleep(page, 2000); // several backoff periods
    expect(h.collector.requests.filter((r) => r.batch).map((r) => r.status)).toEqual([400]);
    await page.evaluate(track, "after");
    await expect.poll(() => h.collector.accepted("custom").map((e) => e.name)).toEqual(["after"]);
    expect(h.collector.accepted("pageview")).toHaveLength(0);
  });

  it("holds events while offline and delivers them when the browser is back online", async () => {
    const page = await h.newPage();
    await page.goto(h.site.page("/offline", html(h.collector, "")));
    await expect.poll(() => h.collector.accepted("pageview")).toHaveLength(1);
    await page.context().setOffline(true);
    await page.evaluate(track, "while-offline");
    await pageSleep(page, 1000);
    expect(h.collector.accepted("custom")).toHaveLength(0);
    await page.context().setOffline(false);
    await expect.poll(() => h.collector.accepted("custom").map((e) => e.name)).toEqual(["while-offline"]);
  });

  it("keeps events the collector refused while the page closed and sends them from the next page", async () => {
    // Everything the first page sends fails, its beacon on the way out included.
    h.collector.answerBy((batch) => (batch.events.every((e) => e.url?.endsWith("/first")) ? 503 : undefined));
    const page = await h.newPage();
    await page.goto(h.site.page("/first", html(h.collector, "")));
    await trackerReady(page);
    await expect.poll(() => h.collector.requests.filter((r) => r.batch).length).toBeGreaterThan(1);
    const firstId = h.collector.batches()[0]?.events.find((e) => e.type === "pageview")?.id;
    expect(firstId).toBeDefined();
    await page.goto(h.site.page("/second", html(h.collector, "")));
    await expect
      .poll(() => h.collector.accepted("pageview").map((e) => new URL(e.url ?? "").pathname))
      .toEqual(["/first", "/second"]);
    expect(h.collector.accepted("pageview")[0]?.id).toBe(firstId);
    expect(await page.evaluate(() => localStorage.getItem("lt_q"))).toBeNull();
  });

  it("keeps events whose send was still unanswered when the page closed, and sends them from the next page", async () => {
    // The first page's view is refused, but the answer only comes after the visitor has moved on:
    // the page that sent it is gone by then and can no longer retry it.
    h.collector.answerBy((batch) => (batch.events.every((e) => e.url?.endsWith("/first")) ? 503 : undefined));
    h.collector.hold();
    const page = await h.newPage();
    await page.goto(h.site.page("/first", html(h.collector, "")));
    await expect.poll(() => h.collector.batches().length).toBe(1);
    const firstId = h.collector.batches()[0]?.events.find((e) => e.type === "pageview")?.id;
    expect(firstId).toBeDefined();
    await page.goto(h.site.page("/second", html(h.collector, "")));
    await expect
      .poll(() => h.collector.accepted("pageview").map((e) => new URL(e.url ?? "").pathname))
      .toEqual(["/first", "/second"]);
    expect(h.collector.accepted("pageview")[0]?.id).toBe(firstId);
  });
});
