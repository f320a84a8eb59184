// Keyboard-only tagging, editing a span from the panel, annotation sets, word snapping.
import { test, expect } from "@playwright/test";
import { FIRST, annotations, dragSelect, tag, tagEntity } from "./helpers.js";

test.beforeEach(async ({ page }) => {
  await page.goto(`./#/doc/${FIRST}`);
  await expect(page.getByRole("article")).toContainText("Sergey Lavrov");
});

// The article text before the caret (the window selection's focus), as the page shows it.
function textBeforeCaret(page) {
  return page.evaluate(() => {
    const root = document.querySelector(".article-text");
    const sel = window.getSelection();
    const r = document.createRange();
    r.setStart(root, 0);
    r.setEnd(sel.focusNode, sel.focusOffset);
    return r.toString();
  });
}

test("tags by keyboard only: Tab to the text, Ctrl+arrows, Ctrl+Shift+arrows, Shift+arrows, keys", async ({ page }) => {
  // Tab reaches the article text.
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") === "Article text");
  }
  expect(reached).toBe(true);
  // Word by word to just after "Belgrade, " ... "Sergey".
  let before = "";
  for (let i = 0; i < 80 && !before.endsWith("Arriving in Belgrade"); i++) {
    await page.keyboard.press("Control+ArrowRight");
    before = await textBeforeCaret(page);
  }
  expect(before.endsWith("Arriving in Belgrade")).toBe(true);
  await expect(page.locator(".article .caret")).toBeVisible();
  // Ctrl+Right lands after "Sergey"; Ctrl+Left goes back to its start.
  await page.keyboard.press("Control+ArrowRight");
  await page.keyboard.press("Control+ArrowLeft");
  expect(await textBeforeCaret(page)).toMatch(/Belgrade, $/);
  await page.keyboard.press("Control+Shift+ArrowRight");
  await page.keyboard.press("Control+Shift+ArrowRight");
  await expect.poll(() => page.evaluate(() => String(window.getSelection()))).toBe("Sergey Lavrov");
  await page.keyboard.press("e");
  await expect(page.getByRole("menu", { name: "Entity type" })).toBeVisible();
  await page.keyboard.press("p");
  await expect(annotations(page)).toHaveCount(1);
  await expect(annotations(page).first()).toContainText("Entity (Person)");
  await expect(annotations(page).first()).toContainText("“Sergey Lavrov”");

  // The caret inside a span names it, for those who cannot hover.
  await page.getByLabel("Article text").focus();
  await page.keyboard.press("Control+ArrowLeft");
  await expect(page.locator(".caret-info")).toHaveText("At the caret: Entity (Person)");
  await page.keyboard.press("Control+ArrowRight");
  await expect(page.locator(".caret-info")).toHaveText("");

  // Back to the text; Shift+arrows by character, and a selection across a line break.
  await page.getByLabel("Article text").focus();
  await page.keyboard.press("Control+ArrowRight"); // after "discussed"
  await page.keyboard.press("Control+ArrowLeft"); // its start
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowRight");
  await expect.poll(() => page.evaluate(() => String(window.getSelection()))).toBe("dis");
  await page.keyboard.press("Shift+ArrowLeft");
  await expect.poll(() => page.evaluate(() => String(window.getSelection()))).toBe("di");
  await page.keyboard.press("Shift+End");
  await page.keyboard.press("Shift+ArrowDown");
  await page.keyboard.press("q");
  await expect(annotations(page)).toHaveCount(2);
  const quote = annotations(page).nth(1);
  await expect(quote).toContainText("Quote");
  // The span runs from "discussed" across the paragraph break to the end of the next one.
  await expect(quote).toContainText(/“discussed the Kosovo issue with Serbian President Aleksandar Vucic\.\s+"Russia's position/);
  await expect(quote).toContainText(/solution based on the/);
});

test("relabel, resize and annotate a span from the Annotations panel", async ({ page }) => {
  await tag(page, "Sergey Lavrov", "Quote");
  const editor = page.getByRole("group", { name: "Edit annotation" });
  await expect(editor).toBeVisible();
  await editor.getByLabel("Label").selectOption({ label: "Entity (Person)" });
  await expect(annotations(page).first()).toContainText("Entity (Person)");
  await expect(page.locator(".article-text .seg", { hasText: "Sergey Lavrov" })).toHaveAttribute("title", "Entity (Person)");

  for (let i = 0; i < 7; i++) await editor.getByRole("button", { name: "End earlier" }).click();
  await expect(annotations(page).first()).toContainText("“Sergey”");
  await editor.getByRole("button", { name: "Start earlier" }).click();
  await expect(annotations(page).first()).toContainText("“ Sergey”");
  await editor.getByRole("button", { name: "Start later" }).click();
  await editor.getByRole("button", { name: "End later" }).click();
  await expect(annotations(page).first()).toContainText("“Sergey ”");
  // Or take the boundaries from a new selection.
  await dragSelect(page, "Sergey Lavrov");
  await editor.getByRole("button", { name: "Use selection" }).click();
  await expect(annotations(page).first()).toContainText("“Sergey Lavrov”");

  await editor.getByLabel("Note").fill("Foreign minister; check the spelling <b>here</b>");
  await editor.getByRole("button", { name: "Save note" }).click();
  await expect(editor).toContainText("Note: Foreign minister; check the spelling <b>here</b>");
  await expect(page.locator(".span-editor b")).toHaveCount(0);
  await expect(page.getByRole("status")).toHaveText("Saved");

  // Every edit is one undo step.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(editor).not.toContainText("Note:");
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(editor).toContainText("Note: Foreign minister");
  await page.reload();
  await annotations(page).first().getByRole("button", { name: /^Entity \(Person\)/ }).click();
  await expect(page.getByRole("group", { name: "Edit annotation" })).toContainText("Note: Foreign minister");
});

test("one editor follows the chosen span: its label, its note, and nothing typed for another span", async ({ page }) => {
  await tag(page, "Sergey Lavrov", "Quote");
  await tagEntity(page, "Belgrade", "Location");
  const editor = page.getByRole("group", { name: "Edit annotation" });
  const label = editor.getByLabel("Label");
  const note = editor.getByLabel("Note");
  // The new span is the chosen one.
  await expect(editor).toContainText("Entity (Location) “Belgrade”");
  await expect(label).toHaveValue("entity/location");

  // Choose the quote: relabel it by hand and give it a note.
  await annotations(page).filter({ hasText: "Sergey Lavrov" }).getByRole("button", { name: /^Quote/ }).click();
  await expect(editor).toContainText("Quote “Sergey Lavrov”");
  await expect(label).toHaveValue("quote");
  await label.selectOption({ label: "Claim" });
  await expect(annotations(page).filter({ hasText: "Sergey Lavrov" })).toContainText("Claim");
  await note.fill("the minister");
  await editor.getByRole("button", { name: "Save note" }).click();
  await expect(editor).toContainText("Note: the minister");

  // Text typed but not saved stays with its span: choosing another clears it.
  await note.fill("not saved");
  await annotations(page).filter({ hasText: "Belgrade" }).getByRole("button", { name: /^Entity/ }).click();
  await expect(editor).toContainText("Entity (Location) “Belgrade”");
  await expect(label).toHaveValue("entity/location");
  await expect(note).toHaveValue("");
  await expect(editor).not.toContainText("Note:");

  // And back: the menu the user changed shows this span's label again, and its saved note.
  await annotations(page).filter({ hasText: "Sergey Lavrov" }).getByRole("button", { name: /^Claim/ }).click();
  await expect(label).toHaveValue("claim");
  await expect(note).toHaveValue("the minister");
  // Undo of the note, with the editor open, shows the note before it.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(note).toHaveValue("");
  await expect(editor).not.toContainText("Note:");

  // Relabelling while a note is being typed keeps what was typed.
  await note.fill("draft");
  await label.selectOption({ label: "Quote" });
  await expect(annotations(page).filter({ hasText: "Sergey Lavrov" })).toContainText("Quote");
  await expect(note).toHaveValue("draft");
});

test("annotation sets: create, switch, duplicate, rename, delete with confirmation", async ({ page }) => {
  const sets = page.getByRole("group", { name: "Annotation sets" });
  await tag(page, "Sergey Lavrov", "Quote");
  await sets.getByRole("button", { name: "New set" }).click();
  await sets.getByLabel("Name of the new set").fill("Second annotator");
  await sets.getByRole("button", { name: "Save" }).click();
  await expect(annotations(page)).toHaveCount(0);
  await tag(page, "Aleksandar Vucic", "Claim");
  await tag(page, "Belgrade and Pristina", "Claim");
  const select = sets.getByLabel("Set");
  await expect(select.getByRole("option")).toHaveText(["Annotations (1)", "Second annotator (2)"]);
  await expect(page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: /BELGRADE/ })).toContainText("2 claims");

  await select.selectOption({ label: "Annotations (1)" });
  await expect(annotations(page)).toHaveCount(1);
  await expect(annotations(page).first()).toContainText("“Sergey Lavrov”");

  await sets.getByRole("button", { name: "Duplicate set" }).click();
  await expect(sets.getByLabel("Name of the copy")).toHaveValue("Annotations (copy)");
  await sets.getByRole("button", { name: "Save" }).click();
  await sets.getByRole("button", { name: "Rename set" }).click();
  await sets.getByLabel("New name of the set").fill("Reviewed");
  await page.keyboard.press("Enter");
  await expect(select.getByRole("option")).toHaveText(["Annotations (1)", "Second annotator (2)", "Reviewed (1)"]);
  await expect(select).toHaveValue(/set-/);
  expect(await select.evaluate((s) => s.selectedOptions[0].text)).toBe("Reviewed (1)");

  // Deleting asks first; "Keep it" keeps it.
  await sets.getByRole("button", { name: "Delete set" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete set" });
  await expect(confirm).toContainText("Delete “Reviewed” and its 1 annotations? Undo brings it back.");
  await confirm.getByRole("button", { name: "Keep it" }).click();
  await expect(select.getByRole("option")).toHaveCount(3);
  await sets.getByRole("button", { name: "Delete set" }).click();
  await confirm.getByRole("button", { name: "Delete “Reviewed”" }).click();
  await expect(select.getByRole("option")).toHaveText(["Annotations (1)", "Second annotator (2)"]);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(select.getByRole("option")).toHaveCount(3);

  // The chosen set and all sets survive a reload.
  await select.selectOption({ label: "Second annotator (2)" });
  await page.reload();
  await expect(page.getByRole("group", { name: "Annotation sets" }).getByLabel("Set").getByRole("option")).toHaveText([
    "Annotations (1)",
    "Second annotator (2)",
    "Reviewed (1)",
  ]);
  await expect(annotations(page)).toHaveCount(2);
});

test("Snap to words grows a selection to whole words", async ({ page }) => {
  await page.getByRole("checkbox", { name: "Snap to words" }).check();
  await dragSelect(page, "ergey Lavr");
  await page.keyboard.press("q");
  await expect(annotations(page).first()).toContainText("“Sergey Lavrov”");
  await page.getByRole("checkbox", { name: "Snap to words" }).uncheck();
  await dragSelect(page, "ksandar Vu");
  await page.keyboard.press("q");
  await expect(annotations(page).nth(1)).toContainText("“ksandar Vu”");
});

test("a set says who annotated it; the name is remembered for new sets and kept in exports", async ({ page }) => {
  const sets = page.getByRole("group", { name: "Annotation sets" });
  await tag(page, "Sergey Lavrov", "Quote");
  await sets.getByRole("button", { name: "Rename set" }).click();
  await expect(sets.getByLabel("Annotator")).toHaveValue("");
  await sets.getByLabel("New name of the set").fill("Ana's reading");
  await sets.getByLabel("Annotator").fill("Ana");
  await sets.getByRole("button", { name: "Save" }).click();
  await sets.getByRole("button", { name: "Rename set" }).click();
  await expect(sets.getByLabel("Annotator")).toHaveValue("Ana");
  await sets.getByRole("button", { name: "Cancel" }).click();

  // Renaming and naming the annotator was one step: Undo takes back both, Redo brings both.
  await page.getByRole("button", { name: "Undo" }).click();
  await sets.getByRole("button", { name: "Rename set" }).click();
  await expect(sets.getByLabel("New name of the set")).toHaveValue("Annotations");
  await expect(sets.getByLabel("Annotator")).toHaveValue("");
  await sets.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Redo" }).click();

  // New sets are the remembered annotator's, across a reload.
  await page.reload();
  const again = page.getByRole("group", { name: "Annotation sets" });
  await again.getByRole("button", { name: "New set" }).click();
  await expect(again.getByLabel("Annotator")).toHaveValue("Ana");
  await again.getByRole("button", { name: "Cancel" }).click();

  // The annotator is in the JSON Lines export.
  await page.getByRole("combobox", { name: "Export format" }).selectOption("jsonl");
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export" }).click()]);
  const { readFileSync } = await import("node:fs");
  const row = JSON.parse(readFileSync(await dl.path(), "utf8").trim().split("\n")[0]);
  expect(row.meta.annotator).toBe("Ana");
  expect(row.meta.set_name).toBe("Ana's reading");
});
