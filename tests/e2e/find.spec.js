// The find bar: "/" or Ctrl+F opens it, hits are counted in the whole article (drawn or not),
// Enter and Shift+Enter go to them, "Tag all" tags them in one undo step and says what it
// skipped; the options (whole words, match case, regular expressions) and quotes.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { annotations, cpSlice } from "./helpers.js";

async function addArticle(page, title, text) {
  await page.goto("./");
  await page.getByRole("navigation", { name: "Articles" }).getByRole("button", { name: "Add article" }).click();
  const form = page.getByRole("form", { name: "Add article" });
  await form.getByLabel("Title (optional)").fill(title);
  await form.getByLabel("Text to add").fill(text);
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
}

// Hits of "Kharkiv" only near the end of a 180,000-character article, which is not drawn at
// first; the last one is followed by a combining accent, so a span there would split "v́".
const lines = Array.from({ length: 2500 }, (_, i) => {
  const extra = i === 2495 ? " Kharkiv\u0301 was named." : i >= 2450 && i % 10 === 0 ? " Kharkiv held." : "";
  return `Paragraph ${i}: the minister 🙂 said that talks with Ana Petrović would go on.${extra}`;
});
const text = lines.join("\n") + "\n";

test("find a word in the undrawn end of a long article and tag all its hits in one step", async ({ page }) => {
  test.setTimeout(90_000);
  await addArticle(page, "Long article", text);
  await expect(page.getByRole("article")).not.toContainText("Paragraph 2450:");

  await page.keyboard.press("/");
  const bar = page.getByRole("search", { name: "Find in the article" });
  const field = bar.getByRole("searchbox", { name: "Find" });
  await expect(field).toBeFocused();
  await page.keyboard.type("kharkiv");
  const count = bar.getByRole("status");
  await expect(count).toHaveText("1 of 6");
  // Typing went to the first hit, far down: its block is drawn and on screen.
  const current = page.locator(".article-text .hit.current");
  const blockOfCurrent = page.locator(".article-text [data-i]", { has: page.locator(".hit.current") });
  await expect(current).toHaveText("Kharkiv");
  await expect(current).toBeInViewport();
  await expect(blockOfCurrent).toContainText("Paragraph 2450:");

  await field.press("Enter");
  await field.press("Enter");
  await expect(count).toHaveText("3 of 6");
  await expect(blockOfCurrent).toContainText("Paragraph 2470:");
  await expect(current).toBeInViewport();
  await field.press("Shift+Enter");
  await expect(count).toHaveText("2 of 6");
  await expect(blockOfCurrent).toContainText("Paragraph 2460:");
  await bar.getByRole("button", { name: "Previous hit" }).click();
  await bar.getByRole("button", { name: "Previous hit" }).click();
  await expect(count).toHaveText("6 of 6");
  await bar.getByRole("button", { name: "Next hit" }).click();
  await expect(count).toHaveText("1 of 6");

  // Tag all: five spans, one skipped because it would split the accented letter.
  await bar.getByLabel("Tag hits as").selectOption({ label: "Entity (Location)" });
  await bar.getByRole("button", { name: "Tag all 6 hits" }).click();
  await expect(page.getByText("Tagged 5 hits as Entity (Location). Skipped 1 that would split a character.")).toBeVisible();
  await expect(annotations(page)).toHaveCount(5);
  await expect(annotations(page).first()).toContainText("“Kharkiv”");

  // One undo step takes them all back; redo brings them all.
  const toolbar = page.getByRole("toolbar", { name: "Annotate" });
  await toolbar.getByRole("button", { name: "Undo" }).click();
  await expect(annotations(page)).toHaveCount(0);
  await toolbar.getByRole("button", { name: "Redo" }).click();
  await expect(annotations(page)).toHaveCount(5);
  // Again: nothing new to tag, and it says why.
  await bar.getByRole("button", { name: "Tag all 6 hits" }).click();
  await expect(page.getByText("Tagged no hits as Entity (Location). Skipped 1 that would split a character. Skipped 5 already tagged as Entity (Location).")).toBeVisible();
  await expect(annotations(page)).toHaveCount(5);

  // Escape closes the bar and gives the keyboard back to the article; Ctrl+F opens it again
  // with the same search.
  await field.press("Escape");
  await expect(bar).toBeHidden();
  await expect(page.locator(".article-text .hit")).toHaveCount(0);
  await expect(page.getByLabel("Article text", { exact: true })).toBeFocused();
  await page.keyboard.press("Control+f");
  await expect(field).toBeFocused();
  await expect(field).toHaveValue("kharkiv");
  await expect(count).toHaveText("1 of 6");

  // The saved offsets slice the whole text.
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
  const ws = JSON.parse(readFileSync(await dl.path(), "utf8"));
  const doc = ws.documents.find((d) => d.title === "Long article");
  const set = ws.sets.find((s) => s.document === doc.id);
  expect(set.spans.map((s) => s.text)).toEqual(Array(5).fill("Kharkiv"));
  for (const s of set.spans) expect(cpSlice(text, s.start, s.end)).toBe("Kharkiv");
});

test("whole words, match case, regular expressions and quotes", async ({ page }) => {
  await addArticle(page, "Names", "Lavrov met lavrov. LAVROV said \"no\" and Lavrovsky said “no”.");
  await page.getByLabel("Article text", { exact: true }).focus();
  await page.keyboard.press("Control+f");
  const bar = page.getByRole("search", { name: "Find in the article" });
  const field = bar.getByRole("searchbox", { name: "Find" });
  const count = bar.getByRole("status");
  await field.fill("lavrov");
  await expect(count).toHaveText("1 of 4");
  await expect(page.locator(".article-text .hit")).toHaveCount(4);
  await bar.getByRole("checkbox", { name: "Whole words" }).check();
  await expect(count).toHaveText("1 of 3");
  await bar.getByRole("checkbox", { name: "Match case" }).check();
  await expect(count).toHaveText("1 of 1");
  await field.fill("LAVROV");
  await expect(count).toHaveText("1 of 1");
  await field.fill("lavrovsky");
  await expect(count).toHaveText("No hits");
  await bar.getByRole("checkbox", { name: "Match case" }).uncheck();
  await bar.getByRole("checkbox", { name: "Whole words" }).uncheck();

  // A regular expression that does not parse says so and finds nothing.
  await bar.getByRole("checkbox", { name: "Regular expression" }).check();
  await field.fill("lavrov(sky");
  await expect(bar.getByRole("alert")).toContainText("Not a valid regular expression");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".article-text .hit")).toHaveCount(0);
  await field.fill("lavrov\\w+");
  await expect(count).toHaveText("1 of 1");
  await expect(page.locator(".article-text .hit.current")).toHaveText("Lavrovsky");
  await bar.getByRole("checkbox", { name: "Regular expression" }).uncheck();

  // Straight quotes find curly ones too.
  await field.fill('"no"');
  await expect(count).toHaveText("1 of 2");
  await expect(page.locator(".article-text .hit")).toHaveText(['"no"', "“no”"]);

  // The keys are in the shortcuts dialog.
  await bar.getByRole("button", { name: "Close find" }).click();
  await expect(bar).toBeHidden();
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog.getByRole("table", { name: "Anywhere" }).getByRole("row", { name: /find in the article/ })).toContainText("Ctrl+F");
  await expect(dialog.getByRole("table", { name: "In the find bar" }).getByRole("row", { name: /go to the next hit/ })).toContainText("Enter");
});
