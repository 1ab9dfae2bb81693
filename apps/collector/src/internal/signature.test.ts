import { describe, expect, it } from "vitest";
import { ReplayGuard, SIGNATURE_MAX_AGE_MS, signRequest, verifyRequest } from "./signature.ts";

const SECRET = "unit-test-secret-0123456789abcdef0123";
const NOW = 1_764_230_400_000;
const request = { method: "POST", path: "/internal/ingest", body: '{"requests":[]}' };

describe("signed internal requests", () => {
  it("accepts a fresh, correctly signed request once", async () => {
    const guard = new ReplayGuard();
    const header = await signRequest(SECRET, request.method, request.path, request.body, NOW);
    expect(await verifyRequest(SECRET, header, request, guard, NOW + 5_000)).toBeUndefined();
    expect(await verifyRequest(SECRET, header, request, guard, NOW + 6_000)).toBe("replayed");
  });

  it("gives two signatures of the same request in the same millisecond different nonces", async () => {
    const guard = new ReplayGuard();
    const a = await signRequest(SECRET, "GET", "/internal/sites/x", "", NOW);
    const b = await signRequest(SECRET, "GET", "/internal/sites/x", "", NOW);
    expect(a).not.toBe(b);
    const get = { method: "GET", path: "/internal/sites/x", body: "" };
    expect(await verifyRequest(SECRET, a, get, guard, NOW)).toBeUndefined();
    expect(await verifyRequest(SECRET, b, get, guard, NOW)).toBeUndefined();
  });

  it.each([
    ["no header", undefined, request, "unsigned"],
    ["garbage", "t=1,s=zz", request, "malformed"],
    ["another body", "sign", { ...request, body: '{"requests":[1]}' }, "bad_signature"],
    ["another path", "sign", { ...request, path: "/internal/sites/x" }, "bad_signature"],
    ["another method", "sign", { ...request, method: "GET" }, "bad_signature"],
  ] as const)("refuses %s", async (_name, header, checked, problem) => {
    const value =
      header === "sign" ? await signRequest(SECRET, request.method, request.path, request.body, NOW) : header;
    expect(await verifyRequest(SECRET, value, checked, new ReplayGuard(), NOW)).toBe(problem);
  });

  it("refuses another secret's signature", async () => {
    const header = await signRequest(
      "another-secret-0123456789abcdef012345",
      request.method,
      request.path,
      request.body,
      NOW,
    );
    expect(await verifyRequest(SECRET, header, request, new ReplayGuard(), NOW)).toBe("bad_signature");
  });

  it("refuses a signature more than a minute old or ahead", async () => {
    const header = await signRequest(SECRET, request.method, request.path, request.body, NOW);
    const guard = new ReplayGuard();
    expect(await verifyRequest(SECRET, header, request, guard, NOW + SIGNATURE_MAX_AGE_MS + 1)).toBe("expired");
    expect(await verifyRequest(SECRET, header, request, guard, NOW - SIGNATURE_MAX_AGE_MS - 1)).toBe("expired");
  });

  it("forgets nonces once their signatures have expired, so memory stays bounded", () => {
    const guard = new ReplayGuard();
    for (let i = 0; i < 1000; i++) expect(guard.claim(`n${i}`, NOW + i, NOW)).toBe(true);
    expect(guard.claim("n999", NOW + 999, NOW)).toBe(false);
    // Later, every earlier nonce has expired: claiming one prunes them all.
    expect(guard.claim("fresh", NOW + 5_000, NOW + 2_000)).toBe(true);
    expect(guard.size).toBe(1);
  });
});
