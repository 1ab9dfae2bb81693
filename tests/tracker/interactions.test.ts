import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "../support/browser.ts";
import { html, trackerReady, useHarness } from "./support.ts";

const SIGNUP = `
<form data-lt-form="signup" action="/blank" method="get">
  <input type="email" name="work" value="ada@example.com">
  <input name="full_name" value="Ada Lovelace">
  <input name="company" value="Analytical Engines Ltd">
  <select name="role"><option selected>CTO</option></select>
  <input name="job_title" value="Chief Engineer">
  <input type="password" name="password" value="PASSWORD-SECRET">
  <input type="hidden" name="company_token" value="HIDDEN-SECRET">
  <input name="phone" value="SENSITIVE-SECRET" data-lt-sensitive>
  <input name="card_name" autocomplete="cc-name" value="CARD-SECRET">
  <input name="notes" value="NOTES-SECRET">
  <button id="send">Send</button>
</form>`;

const UNOPTED = `
<form action="/blank" method="get">
  <input type="email" name="email" value="bob@example.com">
  <input name="name" value="Bob UNOPTED">
  <input type="password" name="pw" value="UNOPTED-PASSWORD">
  <button id="send">Send</button>
</form>`;

describe.skipIf(skipBrowserTests)("tracker: clicks and forms", () => {
  const h = useHarness();

  it("reports outbound links and downloads, not ordinary internal links", async () => {
    const page = await h.newPage();
    const body = `<a id="internal" href="#x">internal</a> <a id="file" href="/files/report.pdf" download>pdf</a>
      <a id="mail" href="mailto:someone@example.com">mail</a> <a id="out" href="${h.collector.origin}/elsewhere">out</a>`;
    const url = h.site.page("/links", html(h.collector, body));
    await page.goto(url);
    await trackerReady(page);
    await page.click("#internal");
    await page.click("#mail").catch(() => {});
    await page.click("#file");
    await expect
      .poll(() => h.collector.accepted("download").map((e) => e.name))
      .toEqual([`${h.site.origin}/files/report.pdf`]);
    await page.click("#out"); // navigates away: delivered on page hide
    await page.waitForURL(`${h.collector.origin}/elsewhere`);
    await expect
      .poll(() => h.collector.accepted("outbound").map((e) => e.name))
      .toEqual([`${h.collector.origin}/elsewhere`]);
    expect(h.collector.accepted("outbound")[0]?.url).toBe(url);
    const types = h.collector.accepted().map((e) => e.type);
    expect(types.filter((t) => t !== "pageview" && t !== "engagement").sort()).toEqual(["download", "outbound"]);
  });

  it("reports clicks on tagged elements with their data-lt-prop-* properties", async () => {
    const page = await h.newPage();
    const body = `<button data-lt-event="pricing_cta" data-lt-prop-plan="pro" data-lt-prop-seats="5"><span id="inner">Buy</span></button>
      <button id="plain">plain</button>`;
    await page.goto(h.site.page("/tagged", html(h.collector, body)));
    await trackerReady(page);
    await page.click("#plain");
    await page.click("#inner");
    await expect
      .poll(() => h.collector.accepted("click"))
      .toEqual([expect.objectContaining({ name: "pricing_cta", props: { plan: "pro", seats: "5" } })]);
  });

  it("captures an opted-in form's e-mail and traits, never secrets or other fields", async () => {
    const page = await h.newPage();
    await page.goto(h.site.page("/signup", html(h.collector, SIGNUP)));
    await trackerReady(page);
    await page.click("#send"); // submits and navigates: delivered on page hide
    await page.waitForURL(/\/blank/);
    await expect.poll(() => h.collector.accepted("form")).toHaveLength(1);
    expect(h.collector.accepted("form")[0]).toMatchObject({
      name: "signup",
      email: "ada@example.com",
      traits: {
        full_name: "Ada Lovelace",
        company: "Analytical Engines Ltd",
        role: "CTO",
        job_title: "Chief Engineer",
      },
    });
    const everything = JSON.stringify(h.collector.batches());
    expect(everything).not.toMatch(/SECRET/);
    expect(Object.keys(h.collector.accepted("form")[0]?.traits ?? {}).sort()).toEqual([
      "company",
      "full_name",
      "job_title",
      "role",
    ]);
  });

  it("sends nothing about forms that are not opted in", async () => {
    const page = await h.newPage();
    await page.goto(h.site.page("/contact", html(h.collector, UNOPTED)));
    await trackerReady(page);
    await page.click("#send");
    await page.waitForURL(/\/blank/);
    // The form page's last batch, sent as it was left, is where a form event would have been.
    await expect.poll(() => h.collector.accepted("engagement")).toHaveLength(1);
    expect(h.collector.accepted("pageview")).toHaveLength(1); // the tracker was running
    expect(h.collector.accepted("form")).toHaveLength(0);
    expect(JSON.stringify(h.collector.batches())).not.toMatch(/bob@example.com|UNOPTED/);
  });

  it("captures forms matched by a data-forms selector", async () => {
    const page = await h.newPage();
    const body = `<form id="newsletter" onsubmit="event.preventDefault()"><input name="email" value="carol@example.com"><button id="send">Go</button></form>`;
    await page.goto(h.site.page("/selector", html(h.collector, body, { attrs: { forms: "#newsletter" } })));
    await trackerReady(page);
    await page.click("#send");
    await expect
      .poll(() => h.collector.accepted("form"))
      .toEqual([expect.objectContaining({ name: "newsletter", email: "carol@example.com" })]);
  });
});
