import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "bench/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and server tests share ports and CPU: one file at a time keeps them honest.
    fileParallelism: false,
  },
});
