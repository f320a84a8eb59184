// The built site: served from a sub-path by a plain static server, it installs a service
// worker and a manifest, and keeps working with the network gone.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { annotations, tag } from "./helpers.js";

const SUB = `http://127.0.0.1:${Number(process.env.E2E_PORT || 4173) + 1}/tools/spanwright/`;

test("from a sub-path: first visit online, then offline it reloads, annotates and keeps the work", async ({ page, context }) => {
  const failed = [];
  page.on("requestfailed", (r) => failed.push(r.url()));
  await page.goto(SUB);
  await expect(page.getByRole("navigation", { name: "Articles" }).getByRole("link")).toHaveCount(2);
  // Every file came from under the sub-path.
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]');
    return (await fetch(link.href)).json();
  });
  expect(manifest.start_url).toBe("./");
  expect(manifest.icons.map((i) => i.sizes)).toEqual(["any", "192x192", "512x512"]);
  // The worker is installed and controls the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller.scriptURL)).toBe(SUB + "sw.js");
  expect(failed).toEqual([]);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("article")).toContainText("Sergey Lavrov");
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  await page.reload();
  await expect(annotations(page)).toHaveCount(1);
  await expect(annotations(page).first()).toContainText("“Sergey Lavrov”");
  // Exports run in the formats worker, whose files come from the offline cache too.
  await page.getByLabel("Export format").selectOption({ label: "JSON Lines (spaCy, Hugging Face)" });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export" }).click()]);
  expect(readFileSync(await download.path(), "utf8")).toContain('"text":"Sergey Lavrov"');
  // Another article, still offline, by its link.
  await page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: /Kosovo and Metohija/ }).click();
  await expect(page.getByRole("article")).toContainText("Botsan-Kharchenko");
  await context.setOffline(false);
});
