// Every malformed id, number or body the REST API can be sent is a 400 naming the field, checked
// before anything reaches libSQL (no NaN, float or 17-digit id as a statement argument), and the
// API keeps answering afterwards.
import { createApiKey, grantApiKey } from "@leadtrail/db";
import { apiKeyHash } from "@leadtrail/workflows";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../../testing/test-collector.ts";
import { encodeCursor } from "./leads.ts";

const KEY = "lt_write_key_bad_input";
let t: TestCollector;
let leadId: number;

beforeAll(async () => {
  t = await createTestCollector();
  const key = await createApiKey(t.db, {
    name: "k",
    prefix: KEY.slice(0, 10),
    keyHash: await apiKeyHash(KEY),
    createdBy: null,
  });
  await grantApiKey(t.db, { apiKeyId: key.id, siteId: t.site.id, scopes: ["read", "write"] });
  await t.post(batch([pageview("/id", { type: "identify", email: "ada@corp.test" })]));
  leadId = Number((await t.db.$client.execute("SELECT id FROM leads")).rows[0]?.id);
});
afterAll(() => t.cleanup());

const call = (path: string, init: RequestInit = {}) =>
  t.app.request(path, { ...init, headers: { authorization: `Bearer ${KEY}`, ...init.headers } });
const post = (path: string, body: string) =>
  call(path, { method: "POST", body, headers: { "content-type": "application/json" } });

async function expect400(res: Response, field: string) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("bad_request");
  expect(body.error.message).toContain(field);
}

const BAD_IDS = [
  "abc",
  "0",
  "-1",
  "1.5",
  "1e3",
  "0x10",
  "NaN",
  "Infinity",
  "%20",
  "9007199254740993",
  "1234567890123456",
];

describe("ids in the path", () => {
  it.each(BAD_IDS)("GET /v1/leads/%s answers 400", async (id) => {
    await expect400(await call(`/v1/leads/${id}`), "id");
  });
  it.each(BAD_IDS)("POST /v1/leads/%s/stage answers 400", async (id) => {
    await expect400(await post(`/v1/leads/${id}/stage`, '{"action":"accept"}'), "id");
  });
  it.each(BAD_IDS)("POST /v1/leads/%s/merge answers 400", async (id) => {
    await expect400(await post(`/v1/leads/${id}/merge`, '{"merge":1}'), "id");
  });
  it("a well-formed id of no lead is still 404, and a real one 200", async () => {
    expect((await call("/v1/leads/999999")).status).toBe(404);
    expect((await call(`/v1/leads/${leadId}`)).status).toBe(200);
  });
});

describe("query parameters of GET /v1/leads", () => {
  it.each([
    ["limit", "abc"],
    ["limit", "0"],
    ["limit", "201"],
    ["limit", "1e2"],
    ["limit", ""],
    ["owner", "abc"],
    ["owner", "-1"],
    ["owner", "99999999999999999"],
    ["min_score", "abc"],
    ["min_score", ""],
    ["min_score", " "],
    ["min_score", "Infinity"],
    ["min_score", "1e400"],
    ["min_score", "0x10"],
    ["updated_since", "NaN"],
    ["updated_since", "1.5"],
    ["stage", "hot"],
    ["cursor", "???"],
    ["cursor", encodeURIComponent(btoa("l:abc"))],
    ["cursor", btoa("l:99999999999999999999").replaceAll("=", "")],
  ])("%s=%s answers 400", async (name, value) => {
    const res = await call(`/v1/leads?${name}=${value}`);
    await expect400(res, name === "cursor" ? "cursor" : name);
  });

  it("well-formed values are answered", async () => {
    const res = await call(`/v1/leads?limit=5&owner=7&min_score=-2.5&updated_since=0&cursor=${encodeCursor(0)}`);
    expect(res.status).toBe(200);
  });
});

describe("JSON bodies", () => {
  it.each([
    ["nested 5,000 deep", `{"action":"accept","reason":${"[".repeat(5000)}${"]".repeat(5000)}}`, "nested deeper"],
    ["not JSON", "{", "not valid JSON"],
    ["a number as the action", '{"action":5}', "action"],
    ["NaN written as a string value", '{"action":"win","value":"NaN"}', "value"],
  ])("stage body %s answers 400", async (_name, body, field) => {
    await expect400(await post(`/v1/leads/${leadId}/stage`, body), field);
  });

  it.each([
    ["a string id", '{"merge":"abc"}'],
    ["a float id", '{"merge":1.5}'],
    ["an id past 2^53", '{"merge":9007199254740993}'],
    ["nesting 5,000 deep", `{"merge":${"[".repeat(5000)}${"]".repeat(5000)}}`],
  ])("merge body with %s answers 400", async (_name, body) => {
    await expect400(await post(`/v1/leads/${leadId}/merge`, body), "");
  });

  it("the API still answers afterwards", async () => {
    expect((await call(`/v1/leads/${leadId}`)).status).toBe(200);
  });
});
