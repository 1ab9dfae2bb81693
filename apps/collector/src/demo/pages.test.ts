// @leadtrail/demo (the traffic generator) is used here only to check it against the site.
import { DEMO_PAGES, TRACKED_LINKS, WHITEPAPER_PATH } from "@leadtrail/demo";
import { describe, expect, it } from "vitest";
import { SITE_NAME } from "./layout.ts";
import { DEMO_LINKS, demoPageTitles, demoSite } from "./pages.ts";

const SITE_KEY = "demo_site_key";
const site = demoSite(SITE_KEY);
const htmlPages = [...site].filter(([, asset]) => asset.contentType.startsWith("text/html"));
const linkCodes = new Set(DEMO_LINKS.map((link) => link.code));

/** Attribute values of every `attr="..."` in the html. */
function attributeValues(html: string, attr: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${attr}="([^"]*)"`, "g"))].map((m) => m[1] ?? "");
}

/** The site path a root-relative /demo URL points to, as the collector route looks it up. */
function demoPath(url: string): string {
  const path = url.replace(/[?#].*$/, "").slice("/demo".length);
  return path === "" ? "/" : path;
}

/** Resolves a root-relative URL: a page of the demo site or a seeded tracked link. */
function resolves(url: string): boolean {
  if (url.startsWith("/demo/") || url === "/demo") return site.has(demoPath(url));
  const redirect = /^\/r\/([\w-]+)$/.exec(url);
  return redirect !== null && linkCodes.has(redirect[1] ?? "");
}

describe("demoSite", () => {
  it("serves the pages the brief asks for", () => {
    for (const path of [
      "/",
      "/products/lead-scoring",
      "/products/pipeline-insights",
      "/pricing",
      "/whitepaper",
      "/files/whitepaper.pdf",
      "/newsletter",
      "/contact",
      "/demo-request",
      "/careers",
      "/poster",
    ]) {
      expect(site.has(path), path).toBe(true);
    }
    expect([...site.keys()].filter((p) => p.startsWith("/blog/"))).toHaveLength(2);
    expect([...site.keys()].filter((p) => p.startsWith("/careers/"))).toHaveLength(1);
  });

  it("marks paths without an extension as HTML and the PDF as PDF", () => {
    for (const [path, asset] of site) {
      const expected = /\.[a-z]+$/.test(path) ? "application/pdf" : "text/html; charset=utf-8";
      expect(asset.contentType, path).toBe(expected);
    }
  });

  it.each(htmlPages)("%s embeds the tracking snippet, a nav and its title", (path, asset) => {
    expect(asset.body).toContain(`<script defer src="/t.js" data-site="${SITE_KEY}"></script>`);
    expect(asset.body).toMatch(/<nav[\s>]/);
    expect(asset.body).toContain(`<title>${demoPageTitles().get(path)} · ${SITE_NAME}</title>`);
  });

  it.each(htmlPages)("%s links only to pages of the site or seeded tracked links", (_path, asset) => {
    const urls = [...attributeValues(asset.body, "href"), ...attributeValues(asset.body, "action")];
    const internal = urls.filter((url) => url.startsWith("/"));
    const broken = internal.filter((url) => !resolves(url));
    expect(broken).toEqual([]);
    // `data:,` is the empty favicon: it keeps browsers from asking for a /favicon.ico that is not there.
    expect(urls.filter((url) => !url.startsWith("/") && !/^(https?:|mailto:)/.test(url) && url !== "data:,")).toEqual(
      [],
    );
  });

  it("opts every form in and sends it to a page that exists", () => {
    const forms = htmlPages.flatMap(([path, asset]) =>
      [...asset.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => ({
        path,
        tag: m[1] ?? "",
        inner: m[2] ?? "",
      })),
    );
    expect(forms.length).toBeGreaterThanOrEqual(3);
    for (const form of forms) {
      expect(form.tag, form.path).toMatch(/data-lt-form="(newsletter|contact|demo_request)"/);
      expect(form.tag, form.path).toContain('method="get"');
      const action = /action="([^"]*)"/.exec(form.tag)?.[1] ?? "";
      expect(resolves(action), `${form.path} → ${action}`).toBe(true);
      expect(form.inner, form.path).toMatch(/<input type="email" name="email"/);
    }
    const names = new Set(forms.map((f) => /data-lt-form="([^"]+)"/.exec(f.tag)?.[1]));
    expect(names).toEqual(new Set(["newsletter", "contact", "demo_request"]));
    const contact = forms.find((f) => f.tag.includes('data-lt-form="contact"'));
    for (const field of ["name", "email", "company", "role", "message"]) {
      expect(contact?.inner, field).toContain(`name="${field}"`);
    }
  });

  it("strips the submitted fields from the thank-you page's URL before the tracker runs", () => {
    const body = site.get("/thanks")?.body ?? "";
    const strip = body.indexOf("history.replaceState");
    expect(strip).toBeGreaterThan(0);
    expect(strip).toBeLessThan(body.indexOf('src="/t.js"'));
  });

  it.each([
    ["/products/lead-scoring", "lead-scoring"],
    ["/products/pipeline-insights", "pipeline-insights"],
  ])("%s tags its product image for click tracking", (path, product) => {
    const body = site.get(path)?.body ?? "";
    expect(body).toMatch(
      new RegExp(`<figure[^>]*data-lt-event="product_image"[^>]*data-lt-prop-product="${product}"[^>]*>\\s*<svg`),
    );
  });

  it("shows a poster with a QR code and a simulated scan of the seeded QR link", () => {
    const body = site.get("/poster")?.body ?? "";
    expect(body).toMatch(/<div class="poster">[\s\S]*<svg[^>]*viewBox="0 0 \d+ \d+"[\s\S]*<path/);
    expect(body).toContain('<a href="/r/spring-poster">Simulate a scan</a>');
    expect(DEMO_LINKS.find((link) => link.code === "spring-poster")).toEqual({
      code: "spring-poster",
      kind: "qr",
      targetPath: "/demo/products/lead-scoring",
      utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring-launch" },
    });
  });

  it("points every seeded link at a page of the site", () => {
    for (const link of DEMO_LINKS) expect(resolves(link.targetPath), link.code).toBe(true);
  });

  it("links the whitepaper page to the PDF", () => {
    expect(site.get("/whitepaper")?.body).toContain('href="/demo/files/whitepaper.pdf"');
  });

  it("serves a structurally valid PDF (header, objects and cross-reference offsets)", () => {
    const pdf = site.get("/files/whitepaper.pdf")?.body ?? "";
    expect(pdf.startsWith("%PDF-1.")).toBe(true);
    expect(pdf.trimEnd().endsWith("%%EOF")).toBe(true);
    const xrefAt = Number(/startxref\n(\d+)\n%%EOF/.exec(pdf)?.[1]);
    expect(pdf.slice(xrefAt, xrefAt + 4)).toBe("xref");
    const offsets = [...pdf.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets.length).toBeGreaterThan(0);
    offsets.forEach((offset, i) => {
      const header = `${i + 1} 0 obj\n`;
      expect(pdf.slice(offset, offset + header.length)).toBe(header);
    });
    expect(/[^\x20-\x7e\n]/.test(pdf)).toBe(false);
  });

  it.each([
    ['"><script>alert(1)</script>', "&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"],
    ["a&b", "a&#38;b"],
    ["it's", "it&#39;s"],
  ])("escapes the site key %j in the snippet", (siteKey, escaped) => {
    for (const [path, asset] of demoSite(siteKey)) {
      if (!asset.contentType.startsWith("text/html")) continue;
      expect(asset.body, path).toContain(`data-site="${escaped}"`);
      expect(asset.body, path).not.toContain(siteKey);
    }
  });

  it("has every page the traffic generator visits, with the title it reports", () => {
    const titles = demoPageTitles();
    for (const page of Object.values(DEMO_PAGES)) expect(titles.get(page.path), page.path).toBe(page.title);
    expect(site.get(WHITEPAPER_PATH)?.contentType).toBe("application/pdf");
  });

  it("seeds the tracked links the traffic generator follows", () => {
    const seeded = Object.values(TRACKED_LINKS).map((link) => ({
      code: link.code,
      targetPath: `/demo${DEMO_PAGES[link.target].path}`,
      utm: link.utm,
    }));
    expect(DEMO_LINKS.map(({ code, targetPath, utm }) => ({ code, targetPath, utm }))).toEqual(seeded);
  });
});
