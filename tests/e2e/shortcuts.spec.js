// One keymap: the "Keyboard shortcuts" dialog lists it, opened by ? or its button, closed by
// Escape or Close; the toolbar's aria-keyshortcuts come from it; names are unique.
import { test, expect } from "@playwright/test";

test("? opens the shortcuts dialog, Escape closes it, and the button opens it too", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByRole("article")).toBeVisible();
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  const anywhere = dialog.getByRole("table", { name: "Anywhere" });
  await expect(anywhere.getByRole("row", { name: /tag the selection as Claim/ })).toContainText("c");
  await expect(anywhere.getByRole("row", { name: /^Ctrl\+Z\s+undo$/ })).toBeVisible();
  await expect(dialog.getByRole("table", { name: "In the entity type menu" }).getByRole("row", { name: /tag as Person/ })).toContainText("p");
  await expect(dialog.getByRole("table", { name: "In the article text" }).getByRole("row", { name: /move word by word/ })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  const button = page.getByRole("button", { name: "Keyboard shortcuts" });
  await expect(button).toHaveAttribute("aria-keyshortcuts", "?");
  await button.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(button).toBeVisible();
});

test("toolbar shortcuts are announced from the keymap", async ({ page }) => {
  await page.goto("./");
  const toolbar = page.getByRole("toolbar", { name: "Annotate" });
  await expect(toolbar.getByRole("button", { name: "Claim" })).toHaveAttribute("aria-keyshortcuts", "c");
  await expect(toolbar.getByRole("button", { name: "Entity" })).toHaveAttribute("aria-keyshortcuts", "e");
  await expect(toolbar.getByRole("button", { name: "Attribute" })).toHaveAttribute("aria-keyshortcuts", "a");
  await expect(toolbar.getByRole("button", { name: "Undo" })).toHaveAttribute("aria-keyshortcuts", "Control+Z");
  await expect(toolbar.getByRole("button", { name: "Redo" })).toHaveAttribute("aria-keyshortcuts", "Control+Shift+Z Control+Y");
});

test("the article text and the text to add have names of their own", async ({ page }) => {
  await page.goto("./");
  await page.getByRole("navigation", { name: "Articles" }).getByRole("button", { name: "Add article" }).click();
  await expect(page.getByRole("form", { name: "Add article" }).getByLabel("Text to add")).toBeVisible();
  await expect(page.getByLabel("Article text", { exact: true })).toHaveCount(1);
});
