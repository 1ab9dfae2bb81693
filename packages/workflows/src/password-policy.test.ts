import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy.ts";

describe("passwordProblem", () => {
  it.each([
    { name: "twelve letters", password: "abcdefghijkl", problem: null },
    { name: "a passphrase with spaces", password: "correct horse battery", problem: null },
    { name: "eleven letters", password: "abcdefghijk", problem: "too_short" },
    { name: "ten spaces", password: "          ", problem: "only_whitespace" },
    { name: "twenty tabs and newlines", password: "\t\n".repeat(10), problem: "only_whitespace" },
    { name: "empty", password: "", problem: "only_whitespace" },
    // Counted in code points after NFKC: six emoji are six characters, not twelve UTF-16 units.
    { name: "six emoji", password: "😀😀😀😀😀😀", problem: "too_short" },
    { name: "twelve emoji", password: "😀".repeat(12), problem: null },
    { name: "200 characters", password: "a".repeat(200), problem: null },
    { name: "201 characters", password: "a".repeat(201), problem: "too_long" },
  ])("$name → $problem", ({ password, problem }) => {
    expect(passwordProblem(password)).toBe(problem);
  });
});
