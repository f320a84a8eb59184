// End-to-end tests: the release build in dist/, served on 127.0.0.1 by tests/serve.mjs
// (started and stopped by Playwright), in Debian's headless Chromium.
import { defineConfig } from "@playwright/test";

// E2E_PORT lets two checkouts run their browser tests side by side.
const port = Number(process.env.E2E_PORT || 4173);

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 30_000,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: "target/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    browserName: "chromium",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
  },
  webServer: [
    {
      command: `node tests/serve.mjs dist ${port}`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 15_000,
    },
    // The same dist/ under a sub-path, as a deployment at example.org/tools/spanwright/.
    {
      command: `node tests/serve.mjs dist ${port + 1} /tools/spanwright/`,
      url: `http://127.0.0.1:${port + 1}/tools/spanwright/`,
      reuseExistingServer: false,
      timeout: 15_000,
    },
  ],
});
