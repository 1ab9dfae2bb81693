import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { choice, optionalWholeNumber, parsedText, readForm, recordId, required, text } from "./form-schema.ts";
import { parseDomains } from "./validate.ts";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, value] of Object.entries(fields)) f.append(k, value);
  return f;
};

const Schema = v.object({
  id: recordId(),
  name: required(10, "settings.nameRequired"),
  role: choice(["admin", "sales"], "settings.badRole"),
  sla: optionalWholeNumber({ min: 1, max: 100 }, "routing.badSla"),
  domains: parsedText(4000, parseDomains, "settings.badDomains"),
  note: text(5),
});
const valid = { id: "7", name: " Acme ", role: "sales ", sla: "", domains: "A.test, b.test", note: "a long note" };

describe("readForm", () => {
  it("reads trimmed, capped and parsed fields", () => {
    expect(readForm(form(valid), Schema)).toEqual({
      ok: true,
      value: { id: 7, name: "Acme", role: "sales", sla: null, domains: ["a.test", "b.test"], note: "a lon" },
    });
  });

  it("treats a missing text field as empty and a file as missing", () => {
    const f = form({ ...valid });
    f.delete("note");
    f.set("sla", new File(["3"], "sla.txt"));
    expect(readForm(f, Schema)).toMatchObject({ ok: true, value: { note: "", sla: null } });
  });

  it.each([
    ["id", "abc", "input.badId"],
    ["id", "1e3", "input.badId"],
    ["id", "-1", "input.badId"],
    ["id", "9".repeat(17), "input.badId"],
    ["name", "   ", "settings.nameRequired"],
    ["role", "root", "settings.badRole"],
    ["sla", "1.5", "routing.badSla"],
    ["sla", "0", "routing.badSla"],
    ["sla", "NaN", "routing.badSla"],
    ["domains", "not a host!", "settings.badDomains"],
  ])("names %s when it is %j", (field, value, error) => {
    expect(readForm(form({ ...valid, [field]: value }), Schema)).toEqual({ ok: false, field, error });
  });

  it("names the first bad field in the schema's order", () => {
    expect(readForm(form({ ...valid, role: "x", id: "x" }), Schema)).toMatchObject({ field: "id" });
  });
});
