// Nothing leaves the machine and nothing is injected: a whole working session makes no
// request other than for the app's own files, under a Content-Security-Policy that the
// page never violates.
import { test, expect } from "@playwright/test";
import { readdirSync } from "node:fs";
import { FIRST, annotations, tag, tagEntity } from "./helpers.js";

const own = new Set(readdirSync(new URL("../../dist/", import.meta.url)));

test("a session of annotating, exporting and downloading requests only the app's own files", async ({ page, baseURL }) => {
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const violations = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto(`./#/doc/${FIRST}`);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain("unsafe-inline");

  await tagEntity(page, "Sergey Lavrov", "Person");
  await tag(page, "Russia's position on the issue of Kosovo does not change", "Quote");
  await page.keyboard.press("a");
  await page.getByRole("menu", { name: "Speaker" }).getByRole("menuitem", { name: /Sergey Lavrov/ }).click();
  await annotations(page).first().getByRole("button", { name: /^Entity/ }).click();
  await page.getByLabel("Note").fill('<img src="https://example.org/pixel.gif"> <script>fetch("https://example.org")</script>');
  await page.getByRole("button", { name: "Save note" }).click();
  await expect(page.locator(".saved-note")).toContainText('<img src="https://example.org/pixel.gif">');
  // The formats worker (exports and uploads) is only fetched when first needed.
  expect(requests.filter((u) => u.includes("formats-worker"))).toEqual([]);
  for (const format of ["JSON Lines (spaCy, Hugging Face)", "W3C Web Annotation"]) {
    await page.getByLabel("Export format").selectOption({ label: format });
    await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export" }).click()]);
  }
  expect(requests.filter((u) => /formats-worker(_loader\.js|\.js|_bg\.wasm)$/.test(u)).length).toBe(3);
  await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
  await page.reload();
  await expect(annotations(page)).toHaveCount(2);

  const foreign = requests.filter((u) => {
    if (u.startsWith("blob:")) return false; // downloads, made in the page
    const url = new URL(u);
    const file = url.pathname.slice(1) || "index.html";
    return url.origin !== new URL(baseURL).origin || !own.has(file);
  });
  expect(foreign).toEqual([]);
  expect(requests.length).toBeGreaterThan(3);
  expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
  expect(violations).toEqual([]);
});

test("the policy is enforced: an injected inline script does not run", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByRole("navigation", { name: "Articles" })).toBeVisible();
  const ran = await page.evaluate(() => {
    window.injected = false;
    const s = document.createElement("script");
    s.textContent = "window.injected = true";
    document.body.append(s);
    return window.injected;
  });
  expect(ran).toBe(false);
});
