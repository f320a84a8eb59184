// Navigating a corpus: a virtual list of 5,000 articles, filter, sort, status per article,
// "Mark done", the next article not done by key, and the corpus chart.
import { test, expect } from "@playwright/test";
import { writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { tag } from "./helpers.js";

function nav(page) {
  return page.getByRole("navigation", { name: "Articles" });
}

async function importJsonl(page, rows) {
  const path = join(mkdtempSync(join(tmpdir(), "spanwright-nav-")), "corpus.jsonl");
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join("\n"));
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), nav(page).getByRole("button", { name: "Import corpus" }).click()]);
  await chooser.setFiles(path);
}

// The key "n", pressed with the focus outside any text field.
async function pressN(page) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("n");
}

const pad = (n) => String(n).padStart(4, "0");

test("5,000 articles in a virtual list: scroll to the end, filter, sort", async ({ page }) => {
  await page.goto("./");
  const rows = [];
  for (let i = 1; i <= 5000; i++) {
    rows.push({ id: `s${i}`, title: `Story ${pad(i)}`, date: `20${String(10 + (i % 10))}-0${1 + (i % 9)}-1${i % 10}`, text: `Story ${i} text. ${i % 2 ? "Harbour" : "Airport"} news ${i}.` });
  }
  await importJsonl(page, rows);
  await expect(page.getByRole("status")).toHaveText("Imported 5000 articles.", { timeout: 20_000 });
  await expect(nav(page).getByText("5002 articles", { exact: true })).toBeVisible();
  expect(await nav(page).getByRole("listitem").filter({ has: page.getByRole("link") }).count()).toBeLessThan(40);

  // Scrolling to the end draws the last rows, and still only a few.
  const box = nav(page).locator(".article-scroll");
  await box.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(nav(page).getByRole("link", { name: /^Story 5000\b/ })).toBeVisible();
  expect(await nav(page).getByRole("link").count()).toBeLessThan(40);
  await expect(nav(page).getByRole("link", { name: /^Story 5000\b/ }).locator("..")).toHaveAttribute("aria-posinset", "5002");

  const filter = nav(page).getByRole("searchbox", { name: "Filter articles" });
  await filter.fill("HARBOUR news 4999");
  await expect(nav(page).getByText("1 of 5002 articles", { exact: true })).toBeVisible();
  await expect(nav(page).getByRole("link")).toHaveCount(1);
  await expect(nav(page).getByRole("link")).toHaveText(/^Story 4999/);
  await filter.fill("airport");
  await expect(nav(page).getByText("2500 of 5002 articles", { exact: true })).toBeVisible();
  await filter.fill("");

  const sort = nav(page).getByLabel("Sort by");
  await sort.selectOption({ label: "Title" });
  await expect(nav(page).getByRole("link").first()).toHaveText(/^BELGRADE/);
  await sort.selectOption({ label: "Date (newest first)" });
  await expect(nav(page).getByRole("link").first()).toContainText("2020-06-18");
  await expect(nav(page).getByRole("link").nth(2)).toContainText("2019-09-19");
  await sort.selectOption({ label: "Order added" });
  await expect(nav(page).getByRole("link").first()).toHaveText(/^BELGRADE/);
});

test("Mark done, status, sort by status and count, the next article not done by key, and the chart", async ({ page }) => {
  await page.goto("./");
  const rows = [1, 2, 3, 4].map((i) => ({ id: `n${i}`, title: `Note ${i}`, text: `Note ${i}: the mayor said the road will open.` }));
  await importJsonl(page, rows);
  await expect(page.getByRole("status")).toHaveText("Imported 4 articles.");
  const link = (name) => nav(page).getByRole("link", { name: new RegExp(`^${name}\\b`) });
  await expect(link("Note 1")).toContainText("not started");

  await link("Note 2").click();
  await tag(page, "the mayor said", "Quote");
  await expect(link("Note 2")).toContainText("in progress");
  await expect(link("Note 2")).toContainText("1 quote");
  await page.getByRole("button", { name: "Mark done" }).click();
  await expect(link("Note 2")).toContainText("done");
  // Each set says whether it is done.
  await expect(page.getByRole("group", { name: "Annotation sets" }).getByLabel("Set").getByRole("option")).toHaveText(["Annotations (1, done)"]);
  await expect(page.getByRole("meter", { name: "Done: 1 of 6 articles" })).toBeVisible();
  await expect(page.getByRole("meter", { name: "Not started: 5 of 6 articles" })).toBeVisible();
  await expect(page.getByRole("meter", { name: "Quote: 1 spans" })).toBeVisible();

  // Note 3 is done with nothing tagged (an article can have nothing to tag).
  await link("Note 3").click();
  await page.getByRole("button", { name: "Mark done" }).click();
  await expect(link("Note 3")).toContainText("done");
  await expect(page.getByRole("meter", { name: "Done: 2 of 6 articles" })).toBeVisible();

  // "n" opens the next article in the list that is not done, skipping done ones and going round.
  await link("Note 1").click();
  await pressN(page);
  await expect(page).toHaveURL(/#\/doc\/n4$/);
  await pressN(page);
  await expect(page).toHaveURL(/#\/doc\/000_b97f63946d109184$/);
  await pressN(page);
  await expect(page).toHaveURL(/#\/doc\/002_9d1e7b7987df9ab3$/);
  await pressN(page);
  await expect(page).toHaveURL(/#\/doc\/n1$/);
  // With a filter, it follows the filtered list.
  await nav(page).getByRole("searchbox", { name: "Filter articles" }).fill("mayor");
  await pressN(page);
  await expect(page).toHaveURL(/#\/doc\/n4$/);
  await page.getByRole("button", { name: "Mark done" }).click();
  await pressN(page);
  await expect(page).toHaveURL(/#\/doc\/n1$/);
  await page.getByRole("button", { name: "Mark done" }).click();
  await pressN(page);
  await expect(page.getByRole("status")).toHaveText("Every article in the list is done.");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  await nav(page).getByRole("searchbox", { name: "Filter articles" }).fill("");
  const sort = nav(page).getByLabel("Sort by");
  await sort.selectOption({ label: "Status" });
  await expect(nav(page).getByRole("link").first()).toHaveText(/^BELGRADE/);
  await expect(nav(page).getByRole("link").last()).toContainText("done");
  await sort.selectOption({ label: "Span count" });
  await expect(nav(page).getByRole("link").first()).toHaveText(/^Note 2/);

  // Undo takes the last mark back.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(link("Note 1")).toContainText("not started");
});
