// The suggestions' gazetteer and extra speech verbs: a gazetteer with a bad line is refused
// with the line named and nothing changed; a good one becomes a suggestion source; extra
// speech verbs cue quotations; both survive a reload; the gazetteer downloads as it is kept,
// and Clear gazetteer forgets it, saying so.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";

const text = "Shoigu met Ana. Ana whispered: “Later.” Shoigu left.";

test("import a gazetteer, extend the speech verbs, keep both across a reload, download and clear the gazetteer", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("./");
  await page.getByRole("navigation", { name: "Articles" }).getByRole("button", { name: "Add article" }).click();
  const form = page.getByRole("form", { name: "Add article" });
  await form.getByLabel("Title (optional)").fill("Gazetteer");
  await form.getByLabel("Text to add").fill(text);
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Gazetteer" })).toBeVisible();

  const panel = page.getByRole("region", { name: "Suggestions" });
  // Switching suggestions on in an article without a set makes one for the switch.
  await panel.getByRole("button", { name: "Suggest spans" }).click();
  await expect(panel.getByText("No open suggestions in this set.")).toBeVisible();
  await expect(page.getByRole("group", { name: "Annotation sets" }).getByLabel("Set").getByRole("option")).toHaveText(["Annotations (0)"]);

  // A bad line: refused, named by number, nothing kept.
  const file = (name, body) => ({ name, mimeType: "text/tab-separated-values", buffer: Buffer.from(body, "utf8") });
  await panel.getByLabel("Import gazetteer").setInputFiles(file("bad.tsv", "Shoigu\tEntity\tPerson\nAna\tNope\n"));
  await expect(page.getByRole("alert")).toContainText("bad.tsv: the gazetteer was not imported, nothing changed: line 2: no label “Nope”");
  await expect(panel.getByText("Gazetteer: 0 entries")).toBeVisible();
  await expect(panel.getByText("No open suggestions in this set.")).toBeVisible();

  // A good one becomes a source of suggestions.
  await panel.getByLabel("Import gazetteer").setInputFiles(file("good.tsv", "# people\nShoigu\tEntity\tPerson\n"));
  await expect(panel.getByText("Gazetteer: 1 entry")).toBeVisible();
  const items = panel.getByRole("list", { name: "Open suggestions" }).locator("button.suggestion");
  await expect(items).toHaveText(["Shoigu — gazetteer: Shoigu → Person", "Shoigu — gazetteer: Shoigu → Person"]);

  // An extra speech verb cues the quotation.
  const verbs = panel.getByLabel("Extra speech verbs (comma-separated)");
  await verbs.fill("claimed, whispered");
  await verbs.press("Tab");
  await expect(items).toHaveText([
    "Shoigu — gazetteer: Shoigu → Person",
    "Later. — quote cue: quotation near “whispered”",
    "Shoigu — gazetteer: Shoigu → Person",
  ]);

  // Both are kept in this browser across a reload.
  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: "Gazetteer" })).toBeVisible();
  await expect(verbs).toHaveValue("claimed, whispered");
  await expect(panel.getByText("Gazetteer: 1 entry")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Suggest spans" })).toHaveAttribute("aria-pressed", "true");
  await expect(items).toHaveCount(3);
  await items.first().focus();
  await page.keyboard.press("Enter");
  await expect(items).toHaveCount(2);

  // Download gives the entries back as kept, labels by id.
  const [dl] = await Promise.all([page.waitForEvent("download"), panel.getByRole("button", { name: "Download gazetteer" }).click()]);
  expect(dl.suggestedFilename()).toBe("gazetteer.tsv");
  expect(readFileSync(await dl.path(), "utf8")).toBe("Shoigu\tentity\tperson\n");

  // Clear gazetteer, from the keyboard: the status line says what went, the gazetteer's
  // suggestions go, and it stays cleared after a reload. (The accepted span is undone first:
  // as a dictionary entry it would suggest the other "Shoigu" itself.)
  await page.getByRole("toolbar", { name: "Annotate" }).getByRole("button", { name: "Undo" }).click();
  await expect(items).toHaveText(["Shoigu — gazetteer: Shoigu → Person", "Later. — quote cue: quotation near “whispered”", "Shoigu — gazetteer: Shoigu → Person"]);
  const clear = panel.getByRole("button", { name: "Clear gazetteer" });
  await clear.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Cleared the gazetteer (1 entry). 1 suggestion." })).toBeVisible();
  await expect(panel.getByText("Gazetteer: 0 entries")).toBeVisible();
  await expect(items).toHaveText(["Later. — quote cue: quotation near “whispered”"]);
  await page.reload();
  await expect(panel.getByText("Gazetteer: 0 entries")).toBeVisible();
  await expect(items).toHaveText(["Later. — quote cue: quotation near “whispered”"]);
  await clear.click();
  await expect(page.getByRole("status").filter({ hasText: "There is no gazetteer to clear." })).toBeVisible();
  const [none] = await Promise.all([page.waitForEvent("download", { timeout: 1000 }).catch(() => null), panel.getByRole("button", { name: "Download gazetteer" }).click()]);
  expect(none).toBeNull();
});
