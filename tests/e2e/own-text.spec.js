// Bringing your own text: paste it or open .txt files; it is kept exactly, saved, and removable.
import { test, expect } from "@playwright/test";
import { writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { annotations, tag } from "./helpers.js";

function nav(page) {
  return page.getByRole("navigation", { name: "Articles" });
}

async function openFiles(page, files) {
  const dir = mkdtempSync(join(tmpdir(), "spanwright-"));
  const paths = files.map(([name, bytes]) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  });
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), nav(page).getByRole("button", { name: "Open .txt files" }).click()]);
  await chooser.setFiles(paths);
}

test("pasted text becomes an article that is annotated, saved, removed and brought back", async ({ page }) => {
  await page.goto("./");
  await nav(page).getByRole("button", { name: "Add article" }).click();
  const form = page.getByRole("form", { name: "Add article" });
  await form.getByLabel("Title (optional)").fill("Council minutes");
  const text = "The mayor 👩‍⚖️ said: <img src=x onerror=alert(1)> is <script>alert(2)</script> text.\nThe council agreed.";
  await form.getByLabel("Text to add").fill(text);
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("status")).toHaveText("Added “Council minutes”.");
  await expect(nav(page).getByRole("link", { name: /Council minutes/ })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { level: 2, name: "Council minutes" })).toBeVisible();
  expect(await page.getByLabel("Article text").textContent()).toBe(text);
  await expect(page.locator(".article-text img, .article-text script")).toHaveCount(0);

  await tag(page, "The council agreed", "Claim");
  await expect(annotations(page).first()).toContainText("“The council agreed”");
  await page.reload();
  await expect(nav(page).getByRole("link", { name: /Council minutes/ })).toContainText("1 claim");
  expect(await page.getByLabel("Article text").textContent()).toBe(text);

  // The same text again is found, not duplicated.
  await nav(page).getByRole("button", { name: "Add article" }).click();
  await page.getByRole("form", { name: "Add article" }).getByLabel("Text to add").fill(text);
  await page.getByRole("form", { name: "Add article" }).getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("alert")).toHaveText("This text is already here, as “Council minutes”; nothing was added.");
  await expect(nav(page).getByRole("link")).toHaveCount(3);

  await page.getByRole("button", { name: "Remove article" }).click();
  await expect(page.getByRole("status")).toHaveText("Removed “Council minutes” and its annotations. Undo brings them back.");
  await expect(nav(page).getByRole("link")).toHaveCount(2);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(nav(page).getByRole("link", { name: /Council minutes/ })).toContainText("1 claim");
  // Bundled articles have no Remove button.
  await nav(page).getByRole("link", { name: /BELGRADE/ }).click();
  await expect(page.getByRole("button", { name: "Remove article" })).toHaveCount(0);
});

test("opened .txt files keep CRLF and emoji exactly; a non-UTF-8 file is refused by name", async ({ page }) => {
  await page.goto("./");
  const crlf = "\uFEFFFirst line 🇺🇦\r\nSecond line, said Ana.\r\n";
  await openFiles(page, [["notes.txt", Buffer.from(crlf, "utf8")]]);
  await expect(nav(page).getByRole("link")).toHaveCount(3);
  expect(await page.getByLabel("Article text").textContent()).toBe(crlf.slice(1));
  await tag(page, "Ana", "Quote");
  await expect(annotations(page).first()).toContainText("“Ana”");

  await openFiles(page, [["latin1.txt", Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]]);
  await expect(page.getByRole("alert")).toHaveText(
    "latin1.txt was not added: it is not UTF-8 text (the first invalid byte is at offset 3); save it as UTF-8 and try again.",
  );
  await expect(nav(page).getByRole("link")).toHaveCount(3);
});
