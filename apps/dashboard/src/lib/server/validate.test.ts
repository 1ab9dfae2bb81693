import { describe, expect, it } from "vitest";
import { formText } from "./validate.ts";

describe("formText", () => {
  const form = new FormData();
  form.set("name", "  Spring launch  ");
  form.set("file", new Blob(["x"]), "x.txt");
  it.each([
    ["trims", "name", undefined, "Spring launch"],
    ["cuts to the cap", "name", 6, "Spring"],
    ["a missing field is empty", "nope", undefined, ""],
    ["a file is not text", "file", undefined, ""],
  ])("%s", (_name, field, max, text) => expect(formText(form, field, max)).toBe(text));
});
