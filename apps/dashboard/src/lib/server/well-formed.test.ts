import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, wellFormedBodies } from "./well-formed.ts";

const jsonRequest = (body: string) =>
  new Request("http://dash.test/api/me", { method: "POST", body, headers: { "content-type": "application/json" } });

describe("wellFormedBodies", () => {
  it("turns lone surrogate escapes in a JSON body into U+FFFD, keys too (the platform's json() does not)", async () => {
    const body = String.raw`{"name":"A\ud800","\udc00":["\ud83d\ude00"]}`;
    expect(((await jsonRequest(body).json()) as { name: string }).name.isWellFormed()).toBe(false);
    const request = jsonRequest(body);
    wellFormedBodies(request);
    expect(await request.json()).toEqual({ name: "A\ufffd", "\ufffd": ["😀"] });
  });

  it.each([10_000, 100_000])("refuses JSON nested %i deep with a SyntaxError before parsing", async (depth) => {
    const request = jsonRequest(`{"ids":${"[".repeat(depth)}${"]".repeat(depth)}}`);
    wellFormedBodies(request);
    await expect(request.json()).rejects.toThrow(new SyntaxError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
  });

  it("passes a form's names, values and files through unchanged when they are fine", async () => {
    const form = new FormData();
    form.append("note", "Grüße 😀 <b>\u0000");
    form.append("note", "second");
    form.append("file", new File(["x"], "a.csv", { type: "text/csv" }));
    const request = new Request("http://dash.test/leads/1?/note", { method: "POST", body: form });
    wellFormedBodies(request);
    const read = await request.formData();
    expect(read.getAll("note")).toEqual(["Grüße 😀 <b>\u0000", "second"]);
    expect((read.get("file") as File).name).toBe("a.csv");
  });

  it("reads url-encoded forms whose bytes are not UTF-8 as U+FFFD", async () => {
    const request = new Request("http://dash.test/settings?/updateSite", {
      method: "POST",
      body: "name=%ED%A0%80x&%FF=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    wellFormedBodies(request);
    const read = await request.formData();
    expect([...read.entries()]).toEqual([
      ["name", "\ufffd\ufffd\ufffdx"],
      ["\ufffd", "1"],
    ]);
  });
});
