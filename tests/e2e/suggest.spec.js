// Suggestions: switched on in the set on screen (kept with the set: undoable, on again after
// a reload, in the downloaded file, off in another set), worked out in the formats worker
// from the workspace's own annotations (the dictionary) and quotation cues; accepted and
// rejected by keyboard; rejections remembered after a reload; accepted spans exported with
// what suggested them, rejected ones absent.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { annotations, cpSlice, tagEntity } from "./helpers.js";

const text = "Lavrov met Ana Petrović in Kyiv. Lavrov said: “We will talk.” Later Lavrov and Ana Petrović left Kyiv.";

test("suggestions switched on per set; accept and reject them by keyboard; the switch and rejections survive a reload; exports carry provenance", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("./");
  await page.getByRole("navigation", { name: "Articles" }).getByRole("button", { name: "Add article" }).click();
  const form = page.getByRole("form", { name: "Add article" });
  await form.getByLabel("Title (optional)").fill("Suggest");
  await form.getByLabel("Text to add").fill(text);
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Suggest" })).toBeVisible();
  await tagEntity(page, "Lavrov", "Person");
  await tagEntity(page, "Kyiv", "Location");
  await expect(annotations(page)).toHaveCount(2);

  const panel = page.getByRole("region", { name: "Suggestions" });
  const toggle = panel.getByRole("button", { name: "Suggest spans" });
  const toolbar = page.getByRole("toolbar", { name: "Annotate" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  // Switching them on is an undo step of the set's own.
  await toolbar.getByRole("button", { name: "Undo" }).click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(panel.getByRole("list", { name: "Open suggestions" })).toHaveCount(0);
  await toolbar.getByRole("button", { name: "Redo" }).click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  const list = panel.getByRole("list", { name: "Open suggestions" });
  const items = list.locator("button.suggestion");
  await expect(items).toHaveText([
    "Lavrov — dictionary: Lavrov → Person (1×)",
    "We will talk. — quote cue: quotation near “said”, speaker Lavrov",
    "Lavrov — dictionary: Lavrov → Person (1×)",
    "Kyiv — dictionary: Kyiv → Location (1×)",
  ]);
  // Drawn in the article with a dashed outline, unlike spans.
  await expect(page.locator(".article-text .suggested")).toHaveCount(4);

  // Enter accepts the first; the keyboard stays on the list, on the next one.
  await items.first().focus();
  await page.keyboard.press("Enter");
  await expect(annotations(page)).toHaveCount(3);
  await expect(items).toHaveCount(3);
  await expect(items.first()).toBeFocused();
  // Tab moves to the next suggestion; Backspace rejects it.
  await page.keyboard.press("Tab");
  await expect(items.nth(1)).toBeFocused();
  await expect(items.nth(1)).toContainText("Lavrov");
  await page.keyboard.press("Backspace");
  await expect(items).toHaveText(["We will talk. — quote cue: quotation near “said”, speaker Lavrov", "Kyiv — dictionary: Kyiv → Location (1×)"]);
  await expect(page.getByText("Rejected the suggestion; it is not suggested in this set again.")).toBeVisible();
  await expect(annotations(page)).toHaveCount(3);
  // Undo brings the rejected one back; redo rejects it again.
  await toolbar.getByRole("button", { name: "Undo" }).click();
  await expect(items).toHaveCount(3);
  await toolbar.getByRole("button", { name: "Redo" }).click();
  await expect(items).toHaveCount(2);
  await items.nth(1).focus();
  await page.keyboard.press("Enter");
  await expect(items).toHaveCount(1);
  await expect(annotations(page)).toHaveCount(4);

  // After a reload, suggestions are still on in the set (nothing clicked), and the rejected
  // suggestion does not come back.
  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: "Suggest" })).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(items).toHaveText(["We will talk. — quote cue: quotation near “said”, speaker Lavrov"]);
  await panel.getByRole("button", { name: "Accept all from quote cue (1)" }).click();
  await expect(panel.getByText("No open suggestions in this set.")).toBeVisible();
  await expect(annotations(page)).toHaveCount(5);
  // The accepted quote is linked to the speaker it named, in the same undo step.
  const quote = annotations(page).filter({ hasText: "We will talk." });
  await expect(quote).toContainText("speaker → Lavrov");
  await toolbar.getByRole("button", { name: "Undo" }).click();
  await expect(annotations(page)).toHaveCount(4);
  await expect(quote).toHaveCount(0);
  await toolbar.getByRole("button", { name: "Redo" }).click();
  await expect(quote).toContainText("speaker → Lavrov");

  // JSON Lines: the accepted spans say what suggested them; the rejected one is absent.
  await page.getByLabel("Export format").selectOption({ label: "JSON Lines (spaCy, Hugging Face)" });
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export" }).click()]);
  const rows = readFileSync(await dl.path(), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const row = rows.find((r) => r.meta.title === "Suggest");
  const spans = row.spans.map((s) => [s.start, s.end, s.text, s.provenance?.how ?? null, s.provenance?.source ?? null]);
  expect(spans).toEqual([
    [0, 6, "Lavrov", null, null],
    [27, 31, "Kyiv", null, null],
    [33, 39, "Lavrov", "suggested", "dictionary"],
    [47, 60, "We will talk.", "suggested", "quote cue"],
    [97, 101, "Kyiv", "suggested", "dictionary"],
  ]);
  for (const s of row.spans) expect(cpSlice(text, s.start, s.end)).toBe(s.text);
  expect(row.spans.some((s) => s.start === 68)).toBe(false);

  // Spanwright JSON keeps the rejection and the switch with the set.
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
  const ws = JSON.parse(readFileSync(await json.path(), "utf8"));
  const set = ws.sets.find((s) => s.document === row.meta.document_id);
  expect(set.rejected_suggestions).toEqual([{ start: 68, end: 74, label: "entity", entity_type: "person" }]);
  expect(set.suggestions).toBe(true);
  const quoteId = set.spans.find((s) => s.start === 47).id;
  const speakerId = set.spans.find((s) => s.start === 33).id;
  expect(set.relations.map((r) => [r.type, r.from, r.to])).toEqual([["speaker", quoteId, speakerId]]);
  expect(set.spans.find((s) => s.start === 47).provenance).toEqual({ how: "suggested", source: "quote cue", detail: "quotation near “said”, speaker Lavrov" });

  // The switch is the set's: a new set of the same article starts with suggestions off, and
  // going back to the first set brings them back.
  const sets = page.getByRole("group", { name: "Annotation sets" });
  await sets.getByRole("button", { name: "New set" }).click();
  await sets.getByRole("button", { name: "Save" }).click();
  await expect(annotations(page)).toHaveCount(0);
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(list).toHaveCount(0);
  await expect(page.locator(".article-text .suggested")).toHaveCount(0);
  await sets.getByLabel("Set").selectOption({ label: "Annotations (5)" });
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(panel.getByText("No open suggestions in this set.")).toBeVisible();
});
