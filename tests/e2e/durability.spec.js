// Saved work in IndexedDB: the move from localStorage, records that cannot be read, changes
// made just before a tab closes, a full quota, and two tabs on one workspace.
import { test, expect } from "@playwright/test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { FIRST, SECOND, annotations, tag } from "./helpers.js";
import { failWrites, putRecord, records } from "./idb.js";

const KEY = "spanwright.workspace";
const sha = (t) => createHash("sha256").update(t, "utf8").digest("hex");
const cp = (s) => Array.from(s).length;

// What the release before IndexedDB kept in localStorage: an article of the user's with
// emoji, a set with an entity, a quote and its speaker, marked done, and the active set.
const TEXT = "Ana Lima met Bo Chen 🙂 in Pristina. “We agreed,” she said.";
function span(id, phrase, label, entity_type) {
  const start = cp(TEXT.slice(0, TEXT.indexOf(phrase)));
  return { id, start, end: start + cp(phrase), label, ...(entity_type ? { entity_type } : {}), text: phrase };
}
const OLD = {
  storage: 2,
  generation: 7,
  saved_at: "2026-11-20T10:00:00Z",
  workspace: {
    format: "spanwright",
    version: 1,
    kind: "workspace",
    offset_unit: "codepoint",
    documents: [{ id: "user-mig", title: "Migration test", origin: "user", text: TEXT, sha256: sha(TEXT) }],
    sets: [
      {
        id: "set-mig",
        name: "Ana's reading",
        annotator: "Ana",
        document: "user-mig",
        document_sha256: sha(TEXT),
        created: "2026-11-20T10:00:00Z",
        updated: "2026-11-20T10:00:00Z",
        done: true,
        spans: [span(1, "Ana Lima", "entity", "person"), span(2, "“We agreed,”", "quote")],
        relations: [{ id: 3, type: "speaker", from: 2, to: 1 }],
      },
    ],
    active: { "user-mig": "set-mig" },
  },
};

async function startWith(page, saved) {
  await page.goto("./");
  // Started (with nothing saved) before the old record is put where the old release kept it.
  await expect(page.getByRole("article")).toBeVisible();
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, saved]);
  await page.goto("./#/doc/user-mig");
  await page.reload();
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent("download"), click()]);
  return readFileSync(await dl.path(), "utf8");
}

const stored = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);
const nav = (page) => page.getByRole("navigation", { name: "Articles" });

test("the workspace today's release kept in localStorage moves to IndexedDB with nothing lost, and is kept until deleted", async ({ page }) => {
  const old = JSON.stringify(OLD);
  await startWith(page, old);
  await expect(page.getByRole("status")).toHaveText(
    "Your work was moved from localStorage to IndexedDB (3 articles and 1 annotation set), where a corpus fits. The old copy is kept below until you delete it.",
  );
  await expect(page.getByRole("heading", { level: 2, name: "Migration test" })).toBeVisible();
  await expect(annotations(page)).toHaveCount(2);
  await expect(annotations(page).filter({ hasText: "“We agreed,”" })).toContainText("Ana Lima");
  await expect(page.getByRole("button", { name: "Mark done" })).toHaveAttribute("aria-pressed", "true");

  // One record per document and per set, CouchDB-shaped.
  const sets = await records(page, "sets");
  expect(sets.map((r) => [r._id, r._rev.split("-")[0], r.type])).toEqual([["set:set-mig", "1", "set"]]);
  expect(sets[0].body.spans.map((s) => [s.start, s.end, s.text])).toEqual(OLD.workspace.sets[0].spans.map((s) => [s.start, s.end, s.text]));
  expect(sets[0].body.relations).toEqual(OLD.workspace.sets[0].relations);
  expect((await records(page, "documents")).map((r) => r._id).sort()).toEqual([`doc:${FIRST}`, `doc:${SECOND}`, "doc:user-mig"].sort());
  const [index] = (await records(page, "meta")).filter((r) => r._id === "index");
  expect(index.documents[0]).toBe("user-mig");

  // The old record is untouched and offered until the user deletes it.
  expect(await stored(page)).toBe(old);
  const region = page.getByRole("region", { name: "Kept aside" });
  await expect(region).toContainText("before it moved to IndexedDB");
  expect(await download(page, () => region.getByRole("button", { name: /^Download / }).click())).toBe(old);

  // The next start reads IndexedDB, and moves nothing again. Without this browser's note of
  // the set each article shows, the set comes with the records read after the start, and
  // the article's text shows its spans then too.
  await page.evaluate(() => localStorage.removeItem("spanwright.active"));
  await page.reload();
  await expect(annotations(page)).toHaveCount(2);
  await expect(page.locator(".article-text .seg", { hasText: "Ana Lima" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("");
  await page.reload();
  await expect(page.locator(".article-text .seg", { hasText: "Ana Lima" })).toBeVisible();
  await tag(page, "Pristina", "Claim");
  await expect(page.getByRole("status")).toHaveText("Saved");
  const [set] = await records(page, "sets");
  expect([set._rev.split("-")[0], set.body.spans.length]).toEqual(["2", 3]);
  expect(await stored(page)).toBe(old);

  await region.getByRole("button", { name: "Delete this copy…" }).click();
  await page.getByRole("alertdialog", { name: "Delete the kept copy" }).getByRole("button", { name: "Delete the kept copy" }).click();
  await expect(region).toHaveCount(0);
  expect(await stored(page)).toBeNull();
  await page.reload();
  await expect(annotations(page)).toHaveCount(3);
});

test("saved work from the first builds (a bare workspace in localStorage) moves too", async ({ page }) => {
  await startWith(page, JSON.stringify(OLD.workspace));
  await expect(page.getByRole("status")).toContainText("Your work was moved from localStorage to IndexedDB");
  await expect(annotations(page)).toHaveCount(2);
  await page.reload();
  await expect(annotations(page)).toHaveCount(2);
});

test("unreadable localStorage work is kept aside as before, and the move goes on without it", async ({ page }) => {
  const broken = '{"storage":2,"generation":4,"saved_at":"2026-11-20T10:00:00Z","workspace":{"format":"spanwright","version":1,"kind":"works';
  await startWith(page, broken);
  await expect(page.getByRole("alert").filter({ hasText: "Your saved work could not be read" })).toContainText("it is not complete JSON (line 1, column");
  const region = page.getByRole("region", { name: "Kept aside" });
  await expect(region).toContainText("it is not complete JSON");
  expect(await download(page, () => region.getByRole("button", { name: /^Download spanwright-unreadable-2/ }).click())).toBe(broken);
  await page.goto(`./#/doc/${FIRST}`);
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  await page.reload();
  await expect(annotations(page)).toHaveCount(1);
});

test("a record that cannot be read is kept aside untouched, the rest loads, and work goes on", async ({ page }) => {
  await page.goto(`./#/doc/${FIRST}`);
  await tag(page, "Sergey Lavrov", "Quote");
  await page.goto(`./#/doc/${SECOND}`);
  await tag(page, "Botsan-Kharchenko", "Claim");
  await expect(page.getByRole("status")).toHaveText("Saved");
  const [one] = (await records(page, "sets")).filter((r) => r.body.document === SECOND);
  const broken = { ...one, body: { ...one.body, spans: "not a list" } };
  await putRecord(page, "sets", broken);

  await page.reload();
  await expect(page.getByRole("alert")).toContainText("1 saved record could not be read and was left out; a copy was kept aside, untouched, and can be downloaded below.");
  await expect(page.getByRole("alert")).toContainText(`${one._id}: its annotation set cannot be read`);
  await expect(annotations(page)).toHaveCount(0);
  const region = page.getByRole("region", { name: "Kept aside" });
  expect(JSON.parse(await download(page, () => region.getByRole("button", { name: /^Download / }).click()))).toEqual(broken);
  await page.goto(`./#/doc/${FIRST}`);
  await expect(annotations(page)).toHaveCount(1);

  // Work goes on; a reload does not copy the record aside twice.
  await tag(page, "Aleksandar Vucic", "Claim");
  await expect(page.getByRole("status")).toHaveText("Saved");
  await page.reload();
  await expect(annotations(page)).toHaveCount(2);
  expect(await records(page, "asides")).toHaveLength(1);
  await region.getByRole("button", { name: "Delete this copy…" }).click();
  await page.getByRole("alertdialog", { name: "Delete the kept copy" }).getByRole("button", { name: "Delete the kept copy" }).click();
  await expect(region).toHaveCount(0);
  await expect.poll(async () => (await records(page, "asides")).length).toBe(0);
});

test("an index written by a newer Spanwright is kept aside, and the articles still load", async ({ page }) => {
  await page.goto("./");
  await nav(page).getByRole("button", { name: "Add article" }).click();
  const form = page.getByRole("form", { name: "Add article" });
  await form.getByLabel("Text to add").fill("A newer index test article.");
  await form.getByRole("button", { name: "Add" }).click();
  await expect.poll(async () => (await records(page, "meta")).filter((r) => r._id === "index").length).toBe(1);
  const [index] = (await records(page, "meta")).filter((r) => r._id === "index");
  await putRecord(page, "meta", { ...index, storage: 4 });
  await page.reload();
  await expect(page.getByRole("alert")).toContainText("index: the index record was written by a newer Spanwright (storage version 4; this one reads up to 3)");
  await expect(nav(page).getByRole("link", { name: /A newer index test article/ })).toBeVisible();
});

test("no room to keep an unreadable record aside: saving pauses until the user has it", async ({ page }) => {
  await page.goto(`./#/doc/${FIRST}`);
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  const [set] = await records(page, "sets");
  const broken = { ...set, body: 7 };
  await putRecord(page, "sets", broken);
  await failWrites(page, { always: ["asides"] });
  await page.reload();
  await expect(page.getByRole("alert")).toContainText("there is no room to keep a copy of them aside (browser storage is full); saving is paused so they are not overwritten");
  await tag(page, "Aleksandar Vucic", "Claim");
  await expect(page.getByRole("alert")).toContainText("Not saved: saving is paused until the unreadable saved work below is downloaded and deleted");
  expect((await records(page, "sets"))[0]).toEqual(broken);
  const region = page.getByRole("region", { name: "Kept aside" });
  expect(JSON.parse(await download(page, () => region.getByRole("button", { name: /^Download / }).click()))).toEqual(broken);
  await region.getByRole("button", { name: "Delete this copy…" }).click();
  await page.getByRole("button", { name: "Delete the kept copy" }).click();
  await tag(page, "Belgrade", "Claim");
  await expect(page.getByRole("status")).toHaveText("Saved");
  const [now] = await records(page, "sets");
  expect(now.body.spans.map((s) => s.text).sort()).toEqual(["Aleksandar Vucic", "Belgrade"]);
});

test("changes the tab could not save before it closed are written at the next start", async ({ page }) => {
  await failWrites(page);
  await page.goto(`./#/doc/${FIRST}`);
  await expect(page.getByRole("article")).toBeVisible();
  // The writes of this page fail, so only the journal written as it goes can keep the spans.
  await page.evaluate(() => (window.storageFull = true));
  await tag(page, "Sergey Lavrov", "Quote");
  await tag(page, "Aleksandar Vucic", "Claim");
  await expect(page.getByRole("alert")).toContainText("Not saved: browser storage is full");
  await page.goto("about:blank");
  await page.goto(`./#/doc/${FIRST}`);
  await expect(annotations(page)).toHaveCount(2);
  const journals = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("spanwright.journal")));
  expect(await journals()).toEqual([]);
  await page.reload();
  await expect(annotations(page)).toHaveCount(2);
});

test("two tabs editing different articles both keep their work, and a clash is never settled silently", async ({ context }) => {
  await failWrites(context);
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto(`./#/doc/${FIRST}`);
  await b.goto(`./#/doc/${SECOND}`);
  await expect(b.getByRole("article")).toBeVisible();
  await tag(a, "Sergey Lavrov", "Quote");
  await tag(b, "Botsan-Kharchenko", "Claim");
  await expect(a.getByRole("status")).toHaveText(/^(Saved|Brought in the changes saved in another tab\.)$/);
  await expect(b.getByRole("status")).toHaveText(/^(Saved|Brought in the changes saved in another tab\.)$/);
  await tag(a, "Aleksandar Vucic", "Claim");
  await tag(b, "first trip abroad", "Claim");
  await expect(annotations(a)).toHaveCount(2);
  await expect(annotations(b)).toHaveCount(2);
  // Each tab has the other's work, without a reload.
  await a.goto(`./#/doc/${SECOND}`);
  await expect(annotations(a)).toHaveCount(2);
  await b.goto(`./#/doc/${FIRST}`);
  await expect(annotations(b)).toHaveCount(2);
  // And storage has both.
  const c = await context.newPage();
  await c.goto(`./#/doc/${FIRST}`);
  await expect(annotations(c)).toHaveCount(2);
  await c.goto(`./#/doc/${SECOND}`);
  await expect(annotations(c)).toHaveCount(2);
  await c.close();

  // Both edit the same set; B cannot save (full) when A saves: B is told, and chooses.
  await b.evaluate(() => (window.storageFull = true));
  await tag(b, "Kosovo issue", "Claim");
  await expect(b.getByRole("alert")).toContainText("Not saved: browser storage is full");
  await a.goto(`./#/doc/${FIRST}`);
  await tag(a, "mutually acceptable", "Claim");
  await expect(b.getByRole("alert")).toContainText("Another tab saved changes to this workspace while this tab had changes it could not save. Nothing was overwritten");
  await expect(annotations(b)).toHaveCount(3);
  await b.evaluate(() => (window.storageFull = false));
  await b.getByRole("button", { name: "Load the other tab's work" }).click();
  await expect(annotations(b)).toHaveCount(3);
  await expect(annotations(b).filter({ hasText: "mutually acceptable" })).toHaveCount(1);
  await expect(annotations(b).filter({ hasText: "Kosovo issue" })).toHaveCount(0);
});

test("a newer Spanwright opened in another tab is not kept waiting: this tab lets its storage go, says so, and journals what it cannot save", async ({ page }) => {
  await page.goto(`./#/doc/${FIRST}`);
  await expect(page.getByRole("article")).toBeVisible();
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  // What a newer release does on its first start: open the database at a higher version,
  // which waits ("blocked") for as long as an older page keeps its connection open.
  const opened = await page.evaluate(
    () =>
      new Promise((resolve) => {
        indexedDB.databases().then((dbs) => {
          const { version } = dbs.find((d) => d.name === "spanwright");
          const open = indexedDB.open("spanwright", version + 1);
          open.onblocked = () => resolve("blocked");
          open.onerror = () => resolve(`failed: ${open.error}`);
          open.onsuccess = () => {
            const sets = open.result.transaction("sets").objectStore("sets").count();
            sets.onsuccess = () => {
              open.result.close();
              resolve(`opened with ${sets.result} set`);
            };
          };
        });
      }),
  );
  expect(opened).toBe("opened with 1 set");
  await expect(page.getByRole("alert")).toContainText("Not saved: a newer Spanwright was opened in another tab, or this site's data is being cleared, so this tab let go of its storage. Reload it to go on");
  // An edit made now is kept in this tab and in its journal, which the next start writes.
  await tag(page, "Aleksandar Vucic", "Claim");
  await expect(annotations(page)).toHaveCount(2);
  await expect(page.getByRole("alert")).toContainText("a newer Spanwright was opened in another tab");
  const journaled = await page.evaluate(() =>
    Object.entries(localStorage)
      .filter(([k]) => k.startsWith("spanwright.journal"))
      .map(([, v]) => v)
      .join(""),
  );
  expect(journaled).toContain("Aleksandar Vucic");
  const [set] = await records(page, "sets");
  expect(set.body.spans.map((s) => s.text)).toEqual(["Sergey Lavrov"]);
});

test("a backup is suggested once work piles up, and not again right after Not now", async ({ page }) => {
  await page.goto(`./#/doc/${FIRST}`);
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  const backup = page.getByRole("region", { name: "Backup" });
  await expect(backup).toHaveCount(0);
  // More changes, undo and redo as a user would, each saved (the count is of saves).
  const generation = () => page.evaluate(() => Number(localStorage.getItem("spanwright.generation")));
  const change = async (key) => {
    const before = await generation();
    await page.keyboard.press(key);
    await expect.poll(generation).toBe(before + 1);
  };
  const undoRedo = async () => {
    await change("Control+Z");
    await change("Control+Shift+Z");
  };
  while ((await generation()) < 18) await undoRedo();
  await expect(backup).toHaveCount(0);
  await undoRedo();
  await expect(backup).toContainText(`${await generation()} changes since your last backup live only in this browser`);
  await backup.getByRole("button", { name: "Not now" }).click();
  await expect(backup).toHaveCount(0);
  for (let i = 0; i < 5; i++) await undoRedo();
  await page.reload();
  await expect(annotations(page)).toHaveCount(1);
  await expect(backup).toHaveCount(0);
  // Downloading is what counts as a backup.
  await page.evaluate(() => localStorage.setItem("spanwright.backup", JSON.stringify({ downloaded: 0, dismissed: 0 })));
  await page.reload();
  const now = await generation();
  await expect(backup).toContainText(`${now} changes`);
  await Promise.all([page.waitForEvent("download"), backup.getByRole("button", { name: "Download a backup" }).click()]);
  await expect(backup).toHaveCount(0);
  expect(JSON.parse(await page.evaluate(() => localStorage.getItem("spanwright.backup"))).downloaded).toBe(now);
});
