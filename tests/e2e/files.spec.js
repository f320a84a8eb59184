// Download JSON, Upload JSON and Export, as files a user saves and opens.
import { test, expect } from "@playwright/test";
import { failWrites } from "./idb.js";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { FIRST, annotations, cpSlice, tag, tagEntity } from "./helpers.js";

const seed = readFileSync(new URL(`../../seeds/${FIRST}.txt`, import.meta.url), "utf8");

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), "utf8") };
}

async function uploadFile(page, name, content) {
  const dir = mkdtempSync(join(tmpdir(), "spanwright-"));
  const path = join(dir, name);
  writeFileSync(path, content);
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Upload JSON" }).click()]);
  await chooser.setFiles(path);
}

async function annotate(page) {
  await page.goto(`./#/doc/${FIRST}`);
  await tagEntity(page, "Sergey Lavrov", "Person");
  await tag(page, "Russia's position on the issue of Kosovo does not change", "Quote");
  await page.keyboard.press("a");
  await page.getByRole("menu", { name: "Speaker" }).getByRole("menuitem", { name: /Sergey Lavrov/ }).click();
  await expect(annotations(page)).toHaveCount(2);
}

test("Download JSON saves the workspace with offsets that slice the article", async ({ page }) => {
  await annotate(page);
  const file = await download(page, () => page.getByRole("button", { name: "Download JSON" }).click());
  expect(file.name).toMatch(/^spanwright-workspace-\d{4}-\d{2}-\d{2}\.json$/);
  const ws = JSON.parse(file.text);
  expect(ws.format).toBe("spanwright");
  const doc = ws.documents.find((d) => d.id === FIRST);
  expect(doc.text).toBe(seed);
  const set = ws.sets.find((s) => s.document === FIRST);
  expect(set.spans.map((s) => s.text).sort()).toEqual(["Russia's position on the issue of Kosovo does not change", "Sergey Lavrov"]);
  for (const s of set.spans) expect(cpSlice(seed, s.start, s.end)).toBe(s.text);
  expect(set.relations).toHaveLength(1);
});

test("a malformed upload says what and where, and leaves every span in place", async ({ page }) => {
  await annotate(page);
  await uploadFile(page, "broken.json", '{"format": "spanwright",\n "version": 1,\n "kind": ');
  await expect(page.getByRole("alert")).toHaveText(
    "Upload of broken.json failed, nothing was changed: line 3, column 9: the file is not valid JSON: EOF while parsing a value",
  );
  await uploadFile(page, "wrong.json", JSON.stringify({ format: "spanwright", version: 1, kind: "set", sets: [{ id: 1 }] }));
  await expect(page.getByRole("alert")).toContainText("sets[0].id: invalid type: integer `1`, expected a string");
  await expect(annotations(page)).toHaveCount(2);
  await page.reload();
  await expect(annotations(page)).toHaveCount(2);
});

test("uploading a downloaded file restores its set, and a conflict is never overwritten", async ({ page }) => {
  await annotate(page);
  const file = await download(page, () => page.getByRole("button", { name: "Download JSON" }).click());
  // Lose the work: delete the set's spans.
  for (let i = 0; i < 2; i++) await annotations(page).first().getByRole("button", { name: /^Delete/ }).click();
  await expect(annotations(page)).toHaveCount(0);
  await uploadFile(page, "backup.json", file.text);
  await expect(page.getByRole("status")).toContainText("Uploaded backup.json (Spanwright JSON): 2 documents, 1 set, 2 spans, 1 relation.");
  await expect(page.getByRole("status")).toContainText("the uploaded one was added as “Annotations (uploaded)”, and the one here was kept");
  await expect(annotations(page)).toHaveCount(2);
  await expect(annotations(page).filter({ hasText: "Russia's position" })).toContainText("speaker → Sergey Lavrov");
});

test("every export format downloads and parses", async ({ page }) => {
  await annotate(page);
  const select = page.getByRole("combobox", { name: "Export format" });
  const formats = await select.locator("option").evaluateAll((os) => os.map((o) => o.value));
  expect(formats).toEqual(["spanwright", "jsonl", "doccano", "labelstudio", "brat", "w3c", "conll"]);
  for (const format of formats) {
    await select.selectOption(format);
    const files = [];
    page.on("download", async (dl) => files.push({ name: dl.suggestedFilename(), text: readFileSync(await dl.path(), "utf8") }));
    await page.getByRole("button", { name: "Export" }).click();
    await expect.poll(() => files.length).toBe(format === "brat" || format === "labelstudio" ? 2 : 1);
    page.removeAllListeners("download");
    await expect(page.getByRole("status")).toContainText("Exported");
    for (const f of files) {
      if (f.name.endsWith(".jsonl")) {
        for (const line of f.text.trim().split("\n")) {
          const row = JSON.parse(line);
          for (const s of row.spans ?? []) expect(cpSlice(row.text, s.start, s.end)).toBe(s.text);
          // doccano counts UTF-16 units, as JavaScript strings do.
          if (row.entities) expect(row.offset_unit).toBe("utf-16");
          for (const e of row.entities ?? []) expect(row.text.slice(e.start_offset, e.end_offset).length).toBeGreaterThan(0);
        }
      } else if (f.name.endsWith(".json") || f.name.endsWith(".jsonld")) {
        expect(JSON.parse(f.text)).toBeTruthy();
      } else if (f.name.endsWith(".xml")) {
        expect(f.name).toBe("label-studio-config.xml");
        expect(f.text).toContain('<Labels name="label" toName="text">');
        expect(f.text).toContain('<Label value="PERSON"/>');
      } else if (f.name.endsWith(".ann")) {
        const txt = files.find((x) => x.name.endsWith(".txt")).text;
        for (const line of f.text.trim().split("\n").filter((l) => l.startsWith("T"))) {
          const [, typeOffsets, text] = line.split("\t");
          const [a, b] = typeOffsets.split(" ").slice(1).map(Number);
          expect(cpSlice(txt, a, b)).toBe(text);
        }
      } else if (f.name.endsWith(".conll")) {
        expect(f.text).toMatch(/^-DOCSTART- -X- O O\n\n/);
        expect(f.text).toContain("Sergey _ _ B-PERSON\nLavrov _ _ I-PERSON\n");
      }
    }
  }
});

test("article text with HTML in it is shown as text and runs nothing", async ({ page }) => {
  const text = 'Hostile <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> text.';
  const hash = (await import("node:crypto")).createHash("sha256").update(text).digest("hex");
  await page.goto("./");
  page.on("dialog", () => {
    throw new Error("a dialog opened");
  });
  const file = {
    format: "spanwright",
    version: 1,
    kind: "workspace",
    documents: [{ id: "hostile", title: "<b>Hostile</b>", origin: "user", text, sha256: hash }],
    sets: [],
  };
  await uploadFile(page, "hostile.json", JSON.stringify(file));
  await page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: "<b>Hostile</b>" }).click();
  const article = page.getByRole("article");
  await expect(article.locator(".article-text")).toHaveText(text);
  await expect(article.locator("img, script, b")).toHaveCount(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
});

test("when storage is full the app says so, keeps working, and Download JSON keeps everything", async ({ page }) => {
  await failWrites(page);
  await annotate(page);
  await page.evaluate(() => (window.storageFull = true));
  await tag(page, "Aleksandar Vucic", "Claim");
  await expect(page.getByRole("alert")).toHaveText(
    "Not saved: browser storage is full. Your work is kept in this tab; use Download JSON to keep a copy.",
  );
  await expect(annotations(page)).toHaveCount(3);
  const file = await download(page, () => page.getByRole("button", { name: "Download JSON" }).click());
  const set = JSON.parse(file.text).sets.find((s) => s.document === FIRST);
  expect(set.spans.map((s) => s.text)).toContain("Aleksandar Vucic");
  // Room again: the next change saves everything.
  await page.evaluate(() => (window.storageFull = false));
  await page.getByRole("button", { name: "Undo" }).click();
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");
  await page.reload();
  await expect(annotations(page)).toHaveCount(3);
});

test("with storage disabled the app starts, warns, and annotating still works", async ({ page }) => {
  await page.addInitScript(() => {
    for (const name of ["localStorage", "indexedDB"]) {
      Object.defineProperty(window, name, {
        get() {
          throw new DOMException("Access is denied for this document.", "SecurityError");
        },
      });
    }
  });
  await page.goto(`./#/doc/${FIRST}`);
  await expect(page.getByRole("alert")).toContainText("Your work cannot be saved: browser storage is disabled");
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(annotations(page)).toHaveCount(1);
  await expect(page.getByRole("alert")).toContainText("Not saved: browser storage is disabled");
});

test("an export made after an edit holds the edit, and one after an undo does not", async ({ page }) => {
  // The formats worker keeps the last workspace it read: each export must still see the latest.
  await annotate(page);
  await page.getByLabel("Export format").selectOption({ label: "JSON Lines (spaCy, Hugging Face)" });
  const exportNow = () => download(page, () => page.getByRole("button", { name: "Export" }).click());
  const spans = (f) => JSON.parse(f.text.trim().split("\n")[0]).spans.map((s) => s.text);
  expect(spans(await exportNow())).toEqual(["Sergey Lavrov", "Russia's position on the issue of Kosovo does not change"]);
  await tagEntity(page, "Aleksandar Vucic", "Person");
  expect(spans(await exportNow())).toContain("Aleksandar Vucic");
  await page.keyboard.press("Control+z");
  await expect(annotations(page)).toHaveCount(2);
  expect(spans(await exportNow())).not.toContain("Aleksandar Vucic");
});
