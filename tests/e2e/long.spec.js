// A long article is drawn only near the viewport, and stays fully usable: scrolling,
// tagging by mouse at its far end, choosing a span from the list, keyboard selection, and
// offsets that slice the whole text.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { annotations, cpSlice, dragSelect } from "./helpers.js";

const lines = Array.from({ length: 2500 }, (_, i) => `Paragraph ${i}: the minister 🙂 said that talks with Ana Petrović would go on.`);
const text = lines.join("\n") + "\n";

test("a 180,000-character article: few elements, and every part reachable", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("./");
  await page.getByRole("navigation", { name: "Articles" }).getByRole("button", { name: "Add article" }).click();
  const form = page.getByRole("form", { name: "Add article" });
  await form.getByLabel("Title (optional)").fill("Long article");
  await form.getByLabel("Text to add").fill(text);
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Long article" })).toBeVisible();

  const drawn = () => page.locator(".article-text [data-i]").count();
  expect(await drawn()).toBeLessThan(120);
  expect(await page.evaluate(() => document.getElementsByTagName("*").length)).toBeLessThan(400);

  // The far end, by scrolling.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(page.getByRole("article")).toContainText("Paragraph 2499:");
  await dragSelect(page, "Paragraph 2498");
  await page.keyboard.press("q");
  await expect(annotations(page).first()).toContainText("“Paragraph 2498”");
  expect(await drawn()).toBeLessThan(120);

  // Back at the top, the list takes us to the span, which is drawn and chosen.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(page.getByRole("article")).toContainText("Paragraph 3:");
  await annotations(page).first().getByRole("button", { name: /^Quote/ }).click();
  await expect(page.locator(".article-text .seg.focused")).toHaveText("Paragraph 2498");
  await expect(page.locator(".article-text .seg.focused")).toBeInViewport();

  // Keyboard selection from there (the caret is where the mouse left it): the next two words.
  await page.getByLabel("Article text").focus();
  await page.keyboard.press("Control+ArrowRight");
  await page.keyboard.press("Control+ArrowLeft");
  await page.keyboard.press("Control+Shift+ArrowRight");
  await page.keyboard.press("Control+Shift+ArrowRight");
  await page.keyboard.press("c");
  await expect(annotations(page).filter({ hasText: "Claim" })).toContainText("“the minister”");

  // The saved offsets slice the whole text.
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
  const ws = JSON.parse(readFileSync(await dl.path(), "utf8"));
  const doc = ws.documents.find((d) => d.title === "Long article");
  expect(doc.text).toBe(text);
  const set = ws.sets.find((s) => s.document === doc.id);
  expect(set.spans.map((s) => s.text)).toEqual(["Paragraph 2498", "the minister"]);
  for (const s of set.spans) expect(cpSlice(text, s.start, s.end)).toBe(s.text);
});
