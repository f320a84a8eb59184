// Bringing a corpus in: JSON Lines, JSON, CSV and folders of .txt files, with progress, refused
// rows reported by line, fields chosen when a file names them differently, one undo step, and
// an import too large for the browser's storage undone with nothing lost.
import { test, expect } from "@playwright/test";
import { writeFileSync, readFileSync, mkdtempSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { annotations, tag } from "./helpers.js";
import { records, setQuota, usage } from "./idb.js";

function nav(page) {
  return page.getByRole("navigation", { name: "Articles" });
}

function tempFiles(files) {
  const dir = mkdtempSync(join(tmpdir(), "spanwright-corpus-"));
  for (const [name, content] of files) {
    const path = join(dir, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

async function importFiles(page, files) {
  const dir = tempFiles(files);
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), nav(page).getByRole("button", { name: "Import corpus" }).click()]);
  await chooser.setFiles(files.map(([name]) => join(dir, name)));
}

// Records every value the import progress bar shows, from before the import starts.
async function watchProgress(page) {
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const bar = document.querySelector("progress[aria-label='Import progress']");
      if (bar) window.__progress.push([Number(bar.value), Number(bar.max), bar.nextElementSibling?.textContent]);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

// 500 articles, ids 1..500, with three bad rows among them.
function corpus500() {
  const lines = [];
  for (let i = 1; i <= 500; i++) {
    const text = `Report ${i}. The minister said the budget for district ${i} will grow by ${i % 17} percent.\nCritics disagreed.`;
    lines.push(JSON.stringify({ id: String(i), title: `Article ${i}`, date: `2024-01-${String((i % 28) + 1).padStart(2, "0")}`, text }));
  }
  lines[2] = "{not json";
  lines[99] = JSON.stringify({ id: "100", title: "Article 100" });
  lines[249] = JSON.stringify({ id: "250", text: 250 });
  return lines.join("\n") + "\n";
}

test("a 500-article JSON Lines file arrives with its bad rows reported by line; filter, open article 437, tag, mark done, reload: all in place", async ({ page }) => {
  await page.goto("./");
  await watchProgress(page);
  await importFiles(page, [["corpus.jsonl", corpus500()]]);
  await expect(page.getByRole("status")).toHaveText("Imported 497 articles; 3 refused.");
  const refused = page.getByRole("list", { name: "Refused rows" }).getByRole("listitem");
  await expect(refused).toHaveText([
    "corpus.jsonl line 3: the line is not JSON (key must be a string, column 2)",
    "corpus.jsonl line 100: it has no “text” field",
    "corpus.jsonl line 250: “text” is a number, not text",
  ]);
  const seen = await page.evaluate(() => window.__progress);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.some(([, , label]) => /^(Reading files|Importing): /.test(label))).toBe(true);
  await expect(nav(page).getByText("499 articles", { exact: true })).toBeVisible();
  // The list is virtual: only the rows in view are in the page.
  expect(await nav(page).getByRole("link").count()).toBeLessThan(40);

  // One undo step takes the whole import away, and redo brings it back.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(nav(page).getByText("2 articles", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(nav(page).getByText("499 articles", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Close report" }).click();
  await expect(page.getByRole("region", { name: "Import report" })).toHaveCount(0);

  await nav(page).getByRole("searchbox", { name: "Filter articles" }).fill("district 437");
  await expect(nav(page).getByText("1 of 499 articles", { exact: true })).toBeVisible();
  await nav(page).getByRole("link", { name: /^Article 437\b/ }).click();
  await expect(page).toHaveURL(/#\/doc\/437$/);
  await expect(page.getByRole("heading", { level: 2, name: "Article 437" })).toBeVisible();
  await tag(page, "The minister said the budget", "Claim");
  await expect(annotations(page)).toHaveCount(1);
  await expect(nav(page).getByRole("link", { name: /^Article 437\b/ })).toContainText("in progress");
  const markDone = page.getByRole("button", { name: "Mark done" });
  await expect(markDone).toHaveAttribute("aria-pressed", "false");
  await markDone.click();
  await expect(markDone).toHaveAttribute("aria-pressed", "true");
  await expect(nav(page).getByRole("link", { name: /^Article 437\b/ })).toContainText("done");

  // After a reload the article opened is read first and the rest in the background; a
  // download asked for at once waits for them and holds every article.
  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: "Article 437" })).toBeVisible();
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("toolbar").getByRole("button", { name: "Download JSON" }).click()]);
  const saved = JSON.parse(readFileSync(await dl.path(), "utf8"));
  expect(saved.documents.length).toBe(499);
  expect(saved.sets.find((s) => s.document === "437").spans.map((s) => s.text)).toEqual(["The minister said the budget"]);
  await expect(nav(page).getByText("499 articles", { exact: true })).toBeVisible();
  await expect(annotations(page).first()).toContainText("“The minister said the budget”");
  await expect(page.getByRole("button", { name: "Mark done" })).toHaveAttribute("aria-pressed", "true");
  await expect(nav(page).getByRole("link", { name: /^Article 437\b/ })).toContainText("done");
  await expect(nav(page).getByRole("link", { name: /^Article 437\b/ })).toContainText("1 claim");
  await expect(page.getByRole("meter", { name: "Done: 1 of 499 articles" })).toBeVisible();
  await expect(page.getByRole("meter", { name: "Claim: 1 spans" })).toBeVisible();

  // The same file again adds nothing: every text is already here.
  await importFiles(page, [["corpus.jsonl", corpus500()]]);
  await expect(page.getByRole("alert")).toHaveText(
    "Imported 0 articles; 497 already here; 3 refused. The first refusal: corpus.jsonl line 3: the line is not JSON (key must be a string, column 2).",
  );
  await expect(nav(page).getByText("499 articles", { exact: true })).toBeVisible();
});

test("a file with other field names asks which field holds the text, then imports with them", async ({ page }) => {
  await page.goto("./");
  const rows = [
    { headline: "Dam opens", body: "The new dam opened on Monday 🙂.\r\nOfficials cheered.", link: "https://news.test/dam" },
    { headline: "Rain", body: "Rain is expected.", link: "https://news.test/rain" },
  ];
  await importFiles(page, [["scraped.jsonl", rows.map((r) => JSON.stringify(r)).join("\n")]]);
  const form = page.getByRole("form", { name: "Choose fields" });
  await expect(form).toContainText("scraped.jsonl has no “text” field.");
  await expect(form.getByLabel("Text field")).toHaveValue("body");
  await expect(form.getByLabel("Title field")).toHaveValue("headline");
  await expect(form.getByLabel("URL field")).toHaveValue("link");
  await form.getByLabel("Title field").selectOption("link");
  await form.getByLabel("Title field").selectOption("headline");
  await form.getByRole("button", { name: "Import with these fields" }).click();
  await expect(page.getByRole("status")).toHaveText("Imported 2 articles.");
  await expect(form).toHaveCount(0);
  await nav(page).getByRole("link", { name: /^Dam opens/ }).click();
  await expect.poll(() => page.getByLabel("Article text").textContent()).toBe(rows[0].body);
});

test("CSV with quoted line ends, a JSON array and a folder of text files", async ({ page }) => {
  await page.goto("./");
  const csv = '\ufeffid,title,text\r\nc1,"Quotes, and commas","He said ""no"".\r\nThen he left."\r\nc2,Short row\r\n';
  const json = JSON.stringify([{ text: "From a JSON array." }, 7], null, 2);
  await importFiles(page, [
    ["news.csv", csv],
    ["items.json", json],
  ]);
  await expect(page.getByRole("status")).toHaveText("Imported 2 articles; 2 refused.");
  await expect(page.getByRole("list", { name: "Refused rows" }).getByRole("listitem")).toHaveText([
    "news.csv line 4: the row has 2 fields, the header has 3",
    "items.json line 5: the item is a number, not an object with a text field",
  ]);
  await nav(page).getByRole("link", { name: /^Quotes, and commas/ }).click();
  await expect(page).toHaveURL(/#\/doc\/c1$/);
  // The address changes before the article is drawn: wait for the text, not just the URL.
  await expect.poll(() => page.getByLabel("Article text").textContent()).toBe('He said "no".\r\nThen he left.');

  const dir = tempFiles([
    ["press/one.txt", "First release from the folder.\n"],
    ["press/sub/two.txt", "Second release, in a subfolder.\n"],
    ["press/logo.png", "\x89PNG"],
  ]);
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), nav(page).getByRole("button", { name: "Import folder" }).click()]);
  await chooser.setFiles(join(dir, "press"));
  await expect(page.getByRole("status")).toHaveText("Imported 2 articles; 1 other file ignored.");
  await expect(nav(page).getByRole("link", { name: /^Second release, in a subfolder\./ })).toBeVisible();
});

test("an import that does not fit in the browser's storage changes nothing, whether it is seen before or after adding", async ({ page }) => {
  // Chromium enforces a quota set through the DevTools protocol, but its
  // navigator.storage.estimate() does not report it: the estimate is made to say something
  // close, and, as estimates are, not exact (5 MB more than the real room).
  await page.addInitScript(() => {
    const real = StorageManager.prototype.estimate;
    StorageManager.prototype.estimate = async function () {
      const e = await real.call(this);
      const quota = Number(localStorage.getItem("test.quota"));
      return quota ? { usage: e.usage, quota } : e;
    };
  });
  await page.goto("./");
  // A real quota, 1 MB more than the site uses now, set before anything is written (Chromium
  // does not apply an override to a database already written to in the session). "Now" is
  // once the offline cache has the app's files: the app draws before the service worker has
  // stored them, and a quota set below them stalls the next IndexedDB commit.
  await page.evaluate(() => navigator.serviceWorker.ready);
  let used = await usage(page);
  for (let same = 0; same < 2; ) {
    await page.waitForTimeout(250);
    const now = await usage(page);
    same = now === used ? same + 1 : 0;
    used = now;
  }
  const quota = used + 1_000_000;
  await setQuota(page, quota);
  await page.evaluate((q) => localStorage.setItem("test.quota", String(q)), quota + 5_000_000);
  await page.reload();
  await tag(page, "Russian foreign minister", "Claim");
  await expect(page.getByRole("status")).toHaveText("Saved");
  await expect(nav(page).getByText(/^Stored in this browser: [0-9.]+ MB of [0-9.]+ MB available/)).toBeVisible();
  // About 8 MB of text: more than the estimate leaves, seen before anything is added.
  const rows = [];
  for (let i = 0; i < 400; i++) rows.push(JSON.stringify({ text: `Long article ${i}. ` + "word ".repeat(4000) }));
  await watchProgress(page);
  await importFiles(page, [["huge.jsonl", rows.join("\n")]]);
  await expect(page.getByRole("alert")).toHaveText(
    "Nothing was imported: its 400 articles (8.0 MB of text) do not fit in the room this browser gives this site's storage. Nothing already here was changed. Import fewer articles at a time, remove some first, or free space in the browser.",
    { timeout: 20_000 },
  );
  await expect(nav(page).getByText("2 articles", { exact: true })).toBeVisible();
  const seen = await page.evaluate(() => window.__progress);
  expect(seen.some(([value, max]) => max > 1_000_000 && value > 0)).toBe(true);

  // 4 MB of text that does not compress: under the estimate, over the real room. The
  // browser refuses the write, the import is undone, and nothing of it is stored.
  let seed = 7;
  const letter = () => "abcdefghijklmnopqrstuvwxyz "[(seed = (seed * 48271) % 2147483647) % 27];
  const texts = [];
  for (let i = 0; i < 100; i++) texts.push(JSON.stringify({ text: `Noise ${i} ` + Array.from({ length: 40_000 }, letter).join("") }));
  await importFiles(page, [["noise.jsonl", texts.join("\n")]]);
  await expect(page.getByRole("alert")).toHaveText(/^The import was undone: its 100 articles \(4\.0 MB of text\) do not fit/, { timeout: 20_000 });
  await expect(nav(page).getByText("2 articles", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Redo" })).toBeEnabled();

  await page.reload();
  await expect(nav(page).getByText("2 articles", { exact: true })).toBeVisible();
  await expect(annotations(page).first()).toContainText("“Russian foreign minister”");
  expect(await records(page, "documents")).toHaveLength(0);
});
