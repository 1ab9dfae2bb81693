import { describe, expect, it } from "vitest";
import { hashPassword, passwordError, passwordProblem, verifyPassword } from "./password.ts";

describe("password hashing", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
  });

  it("rejects malformed stored hashes instead of throwing", async () => {
    for (const stored of ["", "plain", "bcrypt$1$2$3$x$y", "scrypt$$$$$"]) {
      expect(await verifyPassword("x", stored)).toBe(false);
    }
  });
});

describe("password policy", () => {
  it.each([
    ["twelve characters", "abcdefghijkl", null],
    ["a passphrase with spaces", "correct horse battery staple", null],
    ["twelve code points of emoji", "🔑".repeat(12), null],
    ["eleven characters", "abcdefghijk", "too_short"],
    ["ten spaces", " ".repeat(10), "only_whitespace"],
    ["twelve spaces", " ".repeat(12), "only_whitespace"],
    ["tabs and newlines only", "\t\n\t\n\t\n\t\n\t\n\t\n", "only_whitespace"],
    ["empty", "", "only_whitespace"],
    // Six emoji are twelve UTF-16 units but six characters.
    ["six emoji", "🔑".repeat(6), "too_short"],
    ["201 characters", "x".repeat(201), "too_long"],
  ])("%s → %s", (_name, password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
    expect(passwordError(password)).toBe(problem === null ? null : `password.${problem}`);
  });
});
