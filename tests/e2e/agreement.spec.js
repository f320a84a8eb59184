// Agreement and adjudication: two annotators tag an article differently, the figures and
// disagreements are read off the page, every conflict is decided by keyboard, and the gold
// set exported holds exactly the decisions taken.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { tagEntity } from "./helpers.js";

async function nameSet(page, button, name, annotator) {
  const sets = page.getByRole("group", { name: "Annotation sets" });
  await sets.getByRole("button", { name: button }).click();
  await sets.getByRole("textbox").first().fill(name);
  await sets.getByLabel("Annotator").fill(annotator);
  await sets.getByRole("button", { name: "Save" }).click();
}

test("two annotators' agreement is measured, each conflict adjudicated by keyboard, and the gold set exported", async ({ page }) => {
  await page.goto("./");
  // Ana: Sergey Lavrov and Aleksandar Vucic as people, Belgrade as a place.
  await tagEntity(page, "Sergey Lavrov", "Person");
  await nameSet(page, "Rename set", "Ana's set", "Ana");
  await tagEntity(page, "Aleksandar Vucic", "Person");
  await tagEntity(page, "Belgrade", "Location");
  // Bo: Sergey Lavrov too, Vucic as an organisation, and the later "Lavrov" as a person.
  await nameSet(page, "New set", "Bo's set", "Bo");
  await tagEntity(page, "Sergey Lavrov", "Person");
  await tagEntity(page, "Aleksandar Vucic", "Organisation");
  await tagEntity(page, "Lavrov", "Person", 1);

  await page.getByRole("button", { name: "Agreement", exact: true }).click();
  const region = page.getByRole("region", { name: "Agreement" });
  await expect(region.getByRole("checkbox", { name: "Ana's set (Ana)" })).toBeChecked();
  await expect(region.getByRole("checkbox", { name: "Bo's set (Bo)" })).toBeChecked();
  // The figures, computed by hand: PERSON exact tp 1 (Sergey Lavrov), fp 1 (Bo's Lavrov),
  // fn 1 (Ana's Vucic): P = R = F1 = 0.5; over all labels tp 1, fp 2, fn 2: F1 = 1/3.
  const table = region.getByRole("table", { name: "Agreement of Bo's set (Bo) with Ana's set (Ana), per label" });
  await expect(table.getByRole("row", { name: /^PERSON/ })).toContainText("0.5000.5000.5001/1/1");
  await expect(table.getByRole("row", { name: /^All \(micro\)/ })).toContainText("0.3330.3330.3331/2/2");
  // An undefined figure says why: Bo has no LOC, so its precision is undefined.
  await expect(region).toContainText("LOC exact precision is undefined: B has no spans here.");

  // Three disagreements, each opening the article at its place.
  const list = region.getByRole("list", { name: "Disagreements of Ana's set (Ana) and Bo's set (Bo)" });
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await expect(list).toContainText("Label differs — Ana's set (Ana): PERSON “Aleksandar Vucic”");
  await list.getByRole("button", { name: /^Only in Ana's set \(Ana\)/ }).click();
  const setPicker = page.getByRole("group", { name: "Annotation sets" }).getByRole("combobox", { name: "Set" });
  await expect(setPicker.locator("option:checked")).toHaveText(/Ana's set/);
  await expect(page.locator(".article-text .seg.focused", { hasText: "Belgrade" })).toBeVisible();
  // Both sets over the text: agreed, only in one, and differing spans look different.
  await region.getByText("Show Ana's set (Ana) and Bo's set (Bo) over the text").click();
  const over = region.getByRole("region", { name: "Ana's set (Ana) and Bo's set (Bo) over the text" });
  await expect(over.locator("mark.cmp-agreed")).toHaveText("Sergey Lavrov");
  await expect(over.locator("mark.cmp-differs")).toHaveText("Aleksandar Vucic");
  await expect(over.locator("mark.cmp-only-a")).toHaveText("Belgrade");
  await expect(over.locator("mark.cmp-only-b")).toHaveText("Lavrov");

  // Adjudicate: Sergey Lavrov is taken at once; three conflicts, in the article's order.
  await region.getByRole("button", { name: "Adjudicate these sets" }).click();
  const adj = page.getByRole("region", { name: "Adjudication of Ana's set (Ana), Bo's set (Bo)" });
  await expect(adj).toBeFocused();
  await expect(adj).toContainText("1 span that at least 2 of the 2 sets have is taken at once");
  const progress = adj.getByRole("status");
  await expect(progress).toHaveText("0 of 3 conflicts decided");
  const card = adj.getByRole("article");
  await expect(card.getByRole("heading")).toHaveText("Conflict 1 of 3: a span only some sets have");
  await expect(card).toContainText("1 · Ana's set (Ana): Entity (Location) “Belgrade”");
  await page.keyboard.press("1"); // keep Ana's Belgrade
  await expect(card.getByRole("heading")).toHaveText("Conflict 2 of 3: labels differ");
  await page.keyboard.press("2"); // Bo's organisation…
  await expect(progress).toHaveText("2 of 3 conflicts decided");
  await page.keyboard.press("u"); // …undone
  await expect(progress).toHaveText("1 of 3 conflicts decided");
  await expect(card.getByRole("heading")).toHaveText("Conflict 2 of 3: labels differ");
  await page.keyboard.press("1"); // Ana's person
  await expect(card.getByRole("heading")).toHaveText("Conflict 3 of 3: a span only some sets have");
  await page.keyboard.press("x"); // Bo's lone "Lavrov" rejected
  await expect(progress).toHaveText("3 of 3 conflicts decided");
  await page.keyboard.press("p");
  await expect(card.getByRole("heading")).toHaveText("Conflict 2 of 3: labels differ");
  await expect(card.getByRole("button", { name: /^1 · Ana's set/ })).toHaveAttribute("aria-pressed", "true");
  await expect(card).toContainText("Decided: Ana's set (Ana)'s version.");
  await adj.getByRole("button", { name: "Create gold set" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Created the gold set" })).toContainText(
    "3 spans (1 unanimous, 0 by majority, 2 adjudicated) and 0 links.",
  );
  // The gold set is a third set: the agreement now has a heat map of every pair.
  await expect(region.getByRole("table", { name: "Overlap F1 of every pair of sets" })).toBeVisible();

  // Exported, the gold set's spans are exactly the decisions, each with where it came from.
  await page.getByRole("combobox", { name: "Export format" }).selectOption("jsonl");
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export" }).click()]);
  const rows = readFileSync(await dl.path(), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const gold = rows.find((r) => r.meta.set_name === "Gold");
  const got = gold.spans.map((s) => [s.text, s.label, s.provenance.how, s.provenance.from.length]).sort();
  expect(got).toEqual([
    ["Aleksandar Vucic", "PERSON", "adjudicated", 1],
    ["Belgrade", "LOC", "adjudicated", 1],
    ["Sergey Lavrov", "PERSON", "unanimous", 2],
  ].sort());
});

test("decisions are kept across a reload, and the report downloads as CSV", async ({ page }) => {
  await page.goto("./");
  await tagEntity(page, "Sergey Lavrov", "Person");
  await nameSet(page, "New set", "Second", "Bo");
  await tagEntity(page, "Lavrov", "Person", 1);
  await page.getByRole("button", { name: "Agreement", exact: true }).click();
  const region = page.getByRole("region", { name: "Agreement" });
  const [csv] = await Promise.all([page.waitForEvent("download"), region.getByRole("button", { name: "Download report (CSV)" }).click()]);
  const lines = readFileSync(await csv.path(), "utf8").trim().split("\r\n");
  expect(lines[0]).toMatch(/^a,b,documents,label,exact_tp/);
  expect(lines.find((l) => l.includes(",PERSON,"))).toMatch(/,1,PERSON,0,1,1,0\.000000,0\.000000,0\.000000,/);

  // Over all articles, or the list as filtered: the choice says how many articles it means.
  await page.getByRole("searchbox", { name: "Filter articles" }).fill("Talha");
  await region.getByRole("radio", { name: "The 1 article in the filtered list (sets by annotator)" }).check();
  await expect(region.getByRole("heading", { name: "Annotations and Bo (1 article, overlap at IoU ≥ 0.5)" })).toBeVisible();
  await region.getByRole("radio", { name: "This article" }).check();
  await page.getByRole("searchbox", { name: "Filter articles" }).fill("");

  await region.getByRole("button", { name: "Adjudicate these sets" }).click();
  const adj = page.getByRole("region", { name: /^Adjudication of/ });
  await expect(adj.getByRole("status")).toHaveText("0 of 2 conflicts decided");
  await page.keyboard.press("1");
  await expect(adj.getByRole("status")).toHaveText("1 of 2 conflicts decided");
  await page.reload();
  await page.getByRole("button", { name: "Agreement", exact: true }).click();
  await page.getByRole("region", { name: "Agreement" }).getByRole("button", { name: "Adjudicate these sets" }).click();
  const again = page.getByRole("region", { name: /^Adjudication of/ });
  await expect(again.getByRole("status")).toHaveText("1 of 2 conflicts decided");
  await expect(again.getByRole("article").getByRole("heading")).toHaveText("Conflict 2 of 2: a span only some sets have");
  // e edits the span by hand: Bo's "Lavrov" kept as a claim instead.
  await page.keyboard.press("e");
  const form = again.getByRole("form", { name: "Edit the span by hand" });
  await form.getByLabel("Label").selectOption({ label: "Claim" });
  await form.getByRole("button", { name: "Keep this version" }).click();
  await expect(again.getByRole("status")).toHaveText("2 of 2 conflicts decided");
  await expect(again.getByRole("article")).toContainText(/Decided: edited by hand, Claim at \d+–\d+\./);
  // The keys are still the adjudication's once the form has closed.
  await page.keyboard.press("p");
  await expect(again.getByRole("article").getByRole("heading")).toHaveText("Conflict 1 of 2: a span only some sets have");
  // Escape leaves the adjudication; its decisions stay.
  await page.keyboard.press("Escape");
  await expect(again).toHaveCount(0);
});
