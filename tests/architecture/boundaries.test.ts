// The package boundaries DESIGN.md promises, checked on the source so a slip fails the suite:
// the collector's app code is web-standard (only its Node entry may use node: modules), and the
// pure packages do no I/O and read no clock, randomness or environment.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/processes.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

function offenders(dir: string, pattern: RegExp, except: (file: string) => boolean = () => false): string[] {
  return sourceFiles(join(repoRoot, dir))
    .filter((file) => !except(relative(repoRoot, file)))
    .filter((file) => pattern.test(readFileSync(file, "utf8")))
    .map((file) => relative(repoRoot, file));
}

describe("package boundaries", () => {
  it("the collector's app code imports no node: modules outside its Node entry and test helpers", () => {
    const nodeImport = /(from|import)\s*\(?\s*["']node:|require\(["']node:/;
    const allowed = (f: string) =>
      f.startsWith("apps/collector/src/node/") || f.startsWith("apps/collector/src/testing/");
    expect(offenders("apps/collector/src", nodeImport, allowed)).toEqual([]);
  });

  it.each(["packages/scoring/src", "packages/routing/src", "packages/nurture/src"])(
    "%s does no I/O and reads no clock, randomness or environment",
    (dir) => {
      const impure =
        /from\s+["'](node:|@libsql|drizzle-orm|@leadtrail\/db)|Date\.now\(|new Date\(\)|Math\.random\(|process\.env|\bfetch\(/;
      expect(offenders(dir, impure)).toEqual([]);
    },
  );
});
