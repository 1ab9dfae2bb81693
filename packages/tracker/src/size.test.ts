import { describe, expect, it } from "vitest";
import { BUDGETS, buildTracker, gzipSize } from "../scripts/build.mjs";

// Sizes are deterministic for a given source and esbuild version, so the budget is a test.
describe("tracker size budget (min+gzip)", async () => {
  const scripts = await buildTracker();
  it.each(["core", "full"] as const)("%s build is within its budget", (build) => {
    expect(gzipSize(scripts[build])).toBeLessThanOrEqual(BUDGETS[build]);
  });
  it("builds self-contained scripts that reveal no source paths", () => {
    for (const script of Object.values(scripts)) {
      expect(script).not.toMatch(/import |require\(|\/src\//);
      expect(script.length).toBeGreaterThan(500);
    }
  });
});
