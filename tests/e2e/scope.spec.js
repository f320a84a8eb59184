// Download JSON and the exports over the articles the filtered list shows: exactly those
// articles and their spans (an edit made just before included), handed to the formats worker
// with progress, and a subset file that loads back through Upload JSON.
import { test, expect } from "@playwright/test";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { annotations, cpSlice, tag } from "./helpers.js";

const ARTICLES = 60;

// Code points before `phrase` in `text`, as the exports count.
const cpIndex = (text, phrase) => Array.from(text.slice(0, text.indexOf(phrase))).length;

// 60 articles of about 42,000 characters (the 20 listed hold 0.8 MB: more than one batch of the
// hand-over), every third about the harbour, each with a set of two spans; some start with an
// emoji, so code points and UTF-16 units differ.
function corpusFile() {
  const documents = [];
  const sets = [];
  for (let i = 1; i <= ARTICLES; i++) {
    const lead = i % 3 === 0 ? "The harbour reopened after the storm." : "The market closed early on Friday.";
    const text = `${i % 2 ? "🙂 " : ""}Report ${i}. ${lead} ` + `Officials in district ${i} said more work was needed. `.repeat(800);
    const sha256 = createHash("sha256").update(text).digest("hex");
    const id = `r${i}`;
    documents.push({ id, title: `Report ${i}`, origin: "user", text, sha256 });
    const span = (sid, phrase, label, entity_type) => {
      const start = cpIndex(text, phrase);
      const end = start + Array.from(phrase).length;
      return { id: sid, start, end, label, ...(entity_type ? { entity_type } : {}), text: phrase };
    };
    sets.push({
      id: `set-${id}`,
      name: "Desk",
      annotator: "ana",
      document: id,
      document_sha256: sha256,
      created: "2026-11-24T00:00:00Z",
      updated: "2026-11-24T00:00:00Z",
      spans: [span(1, `Report ${i}`, "entity", "organisation"), span(2, lead, "claim")],
      relations: [],
    });
  }
  return JSON.stringify({ format: "spanwright", version: 1, kind: "workspace", documents, sets });
}

function tempFile(name, content) {
  const path = join(mkdtempSync(join(tmpdir(), "spanwright-scope-")), name);
  writeFileSync(path, content);
  return path;
}

async function upload(page, path) {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Upload JSON" }).click()]);
  await chooser.setFiles(path);
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), "utf8") };
}

const listedIds = ["r3", "r6", "r9", "r12", "r15", "r18", "r21", "r24", "r27", "r30", "r33", "r36", "r39", "r42", "r45", "r48", "r51", "r54", "r57", "r60"];

test("the filtered list's articles are exported and downloaded alone, with their spans, and the subset loads back", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await page.goto("./");
  await upload(page, tempFile("corpus.json", corpusFile()));
  const nav = page.getByRole("navigation", { name: "Articles" });
  await expect(nav.getByText(`${ARTICLES + 2} articles`, { exact: true })).toBeVisible({ timeout: 20_000 });

  const toolbar = page.getByRole("toolbar", { name: "Annotate" });
  const scope = toolbar.getByRole("combobox", { name: "Articles to download and export" });
  await expect(scope.getByRole("option", { name: `All ${ARTICLES + 2} articles` })).toBeAttached();
  // Without a filter there is no filtered list to choose.
  await expect(scope.getByRole("option", { name: /filtered list/ })).toBeDisabled();

  await nav.getByRole("searchbox", { name: "Filter articles" }).fill("harbour");
  await expect(nav.getByText(`20 of ${ARTICLES + 2} articles`, { exact: true })).toBeVisible();
  // By keyboard: the menu takes focus and the arrow keys choose.
  await scope.focus();
  await page.keyboard.press("ArrowDown");
  await expect(scope).toHaveValue("listed");
  await expect(scope.locator("option:checked")).toHaveText("The 20 articles in the filtered list");

  // An edit just before the export is in it: a quote in Report 3, which the list shows.
  await nav.getByRole("link", { name: /^Report 3\b/ }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Report 3" })).toBeVisible();
  await tag(page, "Officials in district 3 said", "Quote");
  await expect(annotations(page)).toHaveCount(3);

  // The hand-over of the 20 listed articles takes more than one batch, and says so.
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const bar = document.querySelector("progress[aria-label='Export progress']");
      if (bar) window.__progress.push(bar.nextElementSibling?.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await toolbar.getByRole("combobox", { name: "Export format" }).selectOption({ label: "JSON Lines (spaCy, Hugging Face)" });
  const jsonl = await download(page, () => toolbar.getByRole("button", { name: "Export", exact: true }).click());
  await expect(page.getByRole("status")).toContainText("Exported JSON Lines (spaCy, Hugging Face) (the 20 articles in the filtered list) as spans.jsonl.");
  const seen = await page.evaluate(() => window.__progress);
  expect(seen.some((t) => /^Export: \d+ of \d+ articles handed to the formats worker$/.test(t)), JSON.stringify(seen)).toBe(true);

  const rows = jsonl.text.trimEnd().split("\n").map((l) => JSON.parse(l));
  expect(rows.map((r) => r.meta.document_id)).toEqual(listedIds);
  for (const row of rows) {
    for (const s of row.spans) expect(cpSlice(row.text, s.start, s.end)).toBe(s.text);
  }
  const spanTexts = (row) => row.spans.map((s) => `${s.label} ${s.text}`);
  expect(spanTexts(rows[0])).toEqual(["ORG Report 3", "CLAIM The harbour reopened after the storm.", "QUOTE Officials in district 3 said"]);
  expect(spanTexts(rows[1])).toEqual(["ORG Report 6", "CLAIM The harbour reopened after the storm."]);

  // brat: two files a set, so the 40 of them come as one tar archive.
  await toolbar.getByRole("combobox", { name: "Export format" }).selectOption({ label: "brat standoff" });
  const [brat] = await Promise.all([page.waitForEvent("download"), toolbar.getByRole("button", { name: "Export", exact: true }).click()]);
  expect(brat.suggestedFilename()).toBe("brat.tar");
  const archive = readFileSync(await brat.path());
  const members = [];
  for (let at = 0; archive[at] !== 0; ) {
    const field = (from, len) => archive.subarray(at + from, at + from + len).toString("latin1").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12), 8);
    members.push([field(0, 100), archive.subarray(at + 512, at + 512 + size).toString("utf8")]);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  expect(members.map(([name]) => name)).toEqual(listedIds.flatMap((id) => [`set-${id}.txt`, `set-${id}.ann`]));
  expect(members[1][1]).toContain("T1\tORG 2 10\tReport 3\n");
  await expect(page.getByRole("status")).toContainText("the 40 files are in one tar archive, brat.tar");

  // Download JSON of the same articles: their documents, their sets, the label schema.
  const saved = await download(page, () => toolbar.getByRole("button", { name: "Download JSON" }).click());
  expect(saved.name).toMatch(/^spanwright-20-articles-\d{4}-\d{2}-\d{2}\.json$/);
  await expect(page.getByRole("status")).toHaveText(`Downloaded the 20 articles in the filtered list as ${saved.name}.`);
  const file = JSON.parse(saved.text);
  expect(file.kind).toBe("workspace");
  expect(file.documents.map((d) => d.id)).toEqual(listedIds);
  expect(file.sets.map((s) => s.document)).toEqual(listedIds);
  expect(file.labels.labels.map((l) => l.id)).toEqual(["claim", "quote", "entity"]);
  expect(file.sets.map((s) => s.spans.map((x) => `${x.label} ${x.text}`))).toEqual(
    rows.map((r) => r.spans.map((x) => `${x.kind} ${x.text}`)),
  );

  // With the filter cleared, the menu goes back to every article.
  await nav.getByRole("searchbox", { name: "Filter articles" }).fill("");
  await expect(scope).toHaveValue("all");

  // The subset loads back through Upload JSON, into a browser that has none of it.
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await other.goto("./");
  await upload(other, tempFile(saved.name, saved.text));
  await expect(other.getByRole("status")).toHaveText(`Uploaded ${saved.name} (Spanwright JSON): 20 documents, 20 sets, 41 spans, 0 relations.`);
  const otherNav = other.getByRole("navigation", { name: "Articles" });
  await expect(otherNav.getByText("22 articles", { exact: true })).toBeVisible();
  await otherNav.getByRole("link", { name: /^Report 3\b/ }).click();
  await expect(annotations(other)).toHaveCount(3);
  await expect(annotations(other).filter({ hasText: "Officials in district 3 said" })).toHaveCount(1);
  // And into the browser it came from, where every set is already there as it is.
  await upload(page, tempFile(saved.name, saved.text));
  await expect(page.getByRole("status")).toContainText("The set “Desk” is already here, unchanged; skipped.");
  await expect(nav.getByText(`${ARTICLES + 2} articles`, { exact: true })).toBeVisible();
  await elsewhere.close();
});
