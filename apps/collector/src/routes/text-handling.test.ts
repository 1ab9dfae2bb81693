// Text from outside is made well-formed at the door, and nothing a client sends can store bytes that
// make the libSQL driver abort the process on the next read (issue #13, defect 1); JSON depth is
// bounded before anything recursive runs (defect 5).

import { readEverythingInChild } from "@leadtrail/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../ingest/parse-json.ts";
import { BROWSER_UA, batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

const LONE = "\ud800";
const LOW = "\udfff";
const SECRET = "sk_test_secret";

let t: TestCollector;
beforeEach(async () => {
  t = await createTestCollector();
});
afterEach(() => t.cleanup());

const identify = (body: string) =>
  t.app.request("/v1/identify", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", authorization: `Bearer ${SECRET}` },
  });

describe("lone UTF-16 surrogates", { timeout: 60_000 }, () => {
  it("the tracker's title `\\ud800x` is stored as U+FFFD and the row reads back without aborting the reader", async () => {
    // Exactly the attack: the escape in the JSON text (JSON.stringify of a lone surrogate writes it too).
    const body = JSON.stringify(batch([pageview("/x", { title: "TITLE" })])).replace('"TITLE"', String.raw`"\ud800x"`);
    expect(body).toContain(String.raw`\ud800x`);
    expect((await t.post(body)).status).toBe(200);

    const read = await readEverythingInChild(t.url);
    expect(read.stderr).not.toContain("panicked");
    expect(read.code).toBe(0);
    expect(read.events?.map((e) => e.title)).toEqual(["\ufffdx"]);
  });

  it("every text field of a batch, identify, pixel and REST body is stored well-formed and reads back", async () => {
    const events = [
      pageview(`/p${LONE}`, {
        title: `t${LONE}`,
        referrer: `https://ref.test/${LOW}`,
        name: `n${LOW}${LONE}`,
        props: { [`k${LONE}`]: `v${LOW}`, ok: "😀" },
        campaign: { utm_source: `s${LONE}`, utm_campaign: `c${LOW}`, referrer: `https://ref.test/${LONE}` },
      }),
      pageview("/form", { type: "form", name: `f${LONE}`, email: "ada@acme.test", traits: { [`r${LOW}`]: LONE } }),
      pageview("/id", { type: "identify", email: "bob@acme.test", traits: { name: `B${LONE}b`, role: LOW } }),
      pageview("/c", { type: "custom", name: `custom${LONE}`, props: { [LOW]: LONE } }),
    ];
    const res = await t.post(batch(events));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 4 });
    const crm = await identify(
      JSON.stringify({ site: "site_test", email: "cy@corp.test", traits: { name: `C${LONE}y`, [`x${LOW}`]: "1" } }),
    );
    expect(crm.status).toBe(201);
    const pixel = await t.app.request(`/p.gif?site=site_test&n=${encodeURIComponent("open")}%ED%A0%80`, {
      headers: { "user-agent": BROWSER_UA },
    });
    expect(pixel.status).toBe(200);

    const read = await readEverythingInChild(t.url);
    expect(read.stderr).not.toContain("panicked");
    expect(read.code).toBe(0);
    expect(read.illFormed).toEqual([]);
    expect(read.strings).toBeGreaterThan(100);
    const titles = read.events?.map((e) => e.title);
    expect(titles).toContain("t\ufffd");
    const custom = read.events?.find((e) => String(e.name).startsWith("custom"));
    expect(custom?.name).toBe("custom\ufffd");
    expect(JSON.parse(String(custom?.props))).toEqual({ "\ufffd": "\ufffd" });
  });
});

describe("JSON nesting", () => {
  const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
  const deepBatch = (depth: number) =>
    JSON.stringify(batch([pageview("/", { props: { deep: "DEEP" } })])).replace('"DEEP"', nested(depth));

  it.each([10_000, 100_000])("answers 400 to a batch nested %i deep, and the next batch is stored", async (depth) => {
    const res = await t.post(deepBatch(depth));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: "bad_request", message: `body is nested deeper than ${MAX_JSON_DEPTH} levels` },
    });
    expect((await t.post(batch([pageview("/after")]))).status).toBe(200);
  });

  // 10,000 levels are 20 KB: inside identify's 32 KB cap (100,000 would be refused as too large first).
  it("answers 400 to an identify body nested 10,000 deep", async () => {
    const res = await identify(`{"site":"site_test","email":"a@b.test","traits":${nested(10_000)}}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/nested deeper/);
  });

  it("still accepts the nesting a real batch has, and brackets inside strings do not count", async () => {
    const res = await t.post(batch([pageview("/", { title: "[".repeat(400), props: { a: "{".repeat(900) } })]));
    expect(res.status).toBe(200);
  });
});
