// Tagging, seeing, changing and undoing spans, as a user does it with mouse and keys.
import { test, expect } from "@playwright/test";
import { FIRST, annotations, dragSelect, tag, tagEntity } from "./helpers.js";

test.beforeEach(async ({ page }) => {
  await page.goto(`./#/doc/${FIRST}`);
  await expect(page.getByRole("article")).toContainText("Sergey Lavrov");
});

test("tags an entity by mouse drag with a type from the picker", async ({ page }) => {
  await tagEntity(page, "Sergey Lavrov", "Person");
  await expect(annotations(page)).toHaveCount(1);
  await expect(annotations(page).first()).toContainText("Entity (Person)");
  await expect(annotations(page).first()).toContainText("“Sergey Lavrov”");
  const seg = page.locator(".article-text .seg", { hasText: "Sergey Lavrov" });
  await expect(seg).toHaveAttribute("title", "Entity (Person)");
  await expect(page.getByRole("status")).toHaveText("Saved");
  await expect(page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: /BELGRADE/ })).toContainText("1 entity");
});

test("tags with the keyboard shortcuts shown in the toolbar", async ({ page }) => {
  await expect(page.getByRole("button", { name: "Quote" })).toHaveAttribute("aria-keyshortcuts", "q");
  await dragSelect(page, "Russia's position on the issue of Kosovo does not change");
  await page.keyboard.press("q");
  await dragSelect(page, "Aleksandar Vucic");
  await page.keyboard.press("e");
  await expect(page.getByRole("menu", { name: "Entity type" })).toBeVisible();
  await page.keyboard.press("p");
  await dragSelect(page, "Belgrade and Pristina");
  await page.keyboard.press("e");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu", { name: "Entity type" })).toHaveCount(0);
  await expect(annotations(page)).toHaveCount(2);
  await expect(annotations(page).nth(0)).toContainText("Entity (Person)");
  await expect(annotations(page).nth(1)).toContainText("Quote");
});

test("nested and overlapping spans are all visible and listed", async ({ page }) => {
  // A claim containing a quote containing two entities, and a claim overlapping the quote's end.
  const sentence = "Russia's position on the issue of Kosovo does not change, and today we have once again confirmed";
  await tag(page, sentence, "Claim");
  await tag(page, "Russia's position on the issue of Kosovo does not change", "Quote");
  await tagEntity(page, "Russia", "Location", 2);
  await tagEntity(page, "Kosovo", "Location", 2);
  await tag(page, "does not change, and today", "Claim");
  await expect(annotations(page)).toHaveCount(5);
  await expect(page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: /BELGRADE/ })).toContainText("2 claims · 2 entities · 1 quote");
  // The word "Kosovo" inside all three wears three layers and the entity's tint.
  const kosovo = page.locator(".article-text .seg", { hasText: /^Kosovo$/ });
  await expect(kosovo).toHaveAttribute("title", "Claim ⊃ Quote ⊃ Entity (Location)");
  await expect(kosovo).toHaveClass(/o1-0 .*o2-1 .*o3-5/);
  const overlap = page.locator(".article-text .seg", { hasText: /^does not change$/ });
  await expect(overlap).toHaveAttribute("title", "Claim ⊃ Quote ⊃ Claim");
});

test("relabel by undo, delete by key and button, undo and redo by keys and buttons", async ({ page }) => {
  await tag(page, "Sergey Lavrov", "Quote");
  await tagEntity(page, "Aleksandar Vucic", "Person");
  await expect(annotations(page)).toHaveCount(2);

  // Choose one in the list, delete it with the Delete key.
  await annotations(page).filter({ hasText: "Sergey Lavrov" }).getByRole("button", { name: /^Quote/ }).click();
  await page.keyboard.press("Delete");
  await expect(annotations(page)).toHaveCount(1);
  await page.keyboard.press("Control+z");
  await expect(annotations(page)).toHaveCount(2);
  await page.keyboard.press("Control+Shift+Z");
  await expect(annotations(page)).toHaveCount(1);
  await page.keyboard.press("Control+z");
  await expect(annotations(page)).toHaveCount(2);

  // Delete with the button named after the span.
  await page.getByRole("button", { name: "Delete Entity (Person) “Aleksandar Vucic”" }).click();
  await expect(annotations(page)).toHaveCount(1);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(annotations(page)).toHaveCount(2);
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(annotations(page)).toHaveCount(1);
  await page.keyboard.press("Control+y");
  await expect(page.getByRole("button", { name: "Redo" })).toBeDisabled();
});

test("a reload restores articles, spans and the selected article", async ({ page }) => {
  await tagEntity(page, "Sergey Lavrov", "Person");
  await tag(page, "mutually acceptable", "Claim");
  await expect(page.getByRole("status")).toHaveText("Saved");
  await page.reload();
  await expect(page.getByRole("article")).toContainText("Sergey Lavrov");
  await expect(annotations(page)).toHaveCount(2);
  await expect(annotations(page).nth(0)).toContainText("“mutually acceptable”");
  await expect(page.locator(".article-text .seg", { hasText: "Sergey Lavrov" })).toHaveAttribute("title", "Entity (Person)");
});

test("selecting only whitespace tags nothing and says why", async ({ page }) => {
  await page.getByRole("button", { name: "Claim" }).click();
  await expect(page.getByRole("alert")).toHaveText("Select some text in the article first.");
  await expect(annotations(page)).toHaveCount(0);
});

test("attributes a quote to its speaker, shows the link and removes it", async ({ page }) => {
  await tagEntity(page, "Sergey Lavrov", "Person");
  await tag(page, "Russia's position on the issue of Kosovo does not change", "Quote");
  // The new quote is chosen; press a and pick the speaker.
  await page.keyboard.press("a");
  const menu = page.getByRole("menu", { name: "Speaker" });
  await menu.getByRole("menuitem", { name: "Entity (Person): Sergey Lavrov" }).click();
  const quote = annotations(page).filter({ hasText: "Russia's position" });
  await expect(quote).toContainText("speaker → Sergey Lavrov");
  await page.getByRole("button", { name: "Remove link speaker → Sergey Lavrov" }).click();
  await expect(quote).not.toContainText("speaker →");
  await page.keyboard.press("Control+z");
  await expect(quote).toContainText("speaker → Sergey Lavrov");
});

test("switching from an article with spans near its end to a shorter one", async ({ page }) => {
  await page.goto("./#/doc/002_9d1e7b7987df9ab3");
  await tag(page, "the Russian Ambassador concluded", "Quote");
  await expect(annotations(page)).toHaveCount(1);
  await page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: /BELGRADE/ }).click();
  await expect(page.getByRole("heading", { level: 2, name: /BELGRADE/ })).toBeVisible();
  await expect(annotations(page)).toHaveCount(0);
  await page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: /Kosovo and Metohija/ }).click();
  await expect(annotations(page)).toHaveCount(1);
  await expect(page.locator(".article-text .seg", { hasText: "the Russian Ambassador concluded" })).toHaveAttribute("title", "Quote");
});
