import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The Pulumi runtime is process-global: each test file gets its own process.
    pool: "forks",
    isolate: true,
    testTimeout: 30_000,
  },
});
