import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The Pulumi runtime is process-global: each test file gets its own process.
    pool: "forks",
    isolate: true,
    testTimeout: 30_000,
    // Hooks start servers, spawn commands and run the whole program under the mock runtime; vitest's 10 s default
    // fails them on a busy machine. Hooks doing subprocess or mock-runtime work also give their own timeout.
    hookTimeout: 120_000,
  },
});
