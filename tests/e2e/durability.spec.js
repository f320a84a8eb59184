// Saved state that cannot be read, older saved state, and two tabs on one workspace.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { FIRST, annotations, tag } from "./helpers.js";

const KEY = "spanwright.workspace";

async function startWith(page, saved) {
  await page.goto("./");
  await page.evaluate(([k, v]) => {
    localStorage.clear();
    localStorage.setItem(k, v);
  }, [KEY, saved]);
  await page.goto(`./#/doc/${FIRST}`);
  await page.reload();
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent("download"), click()]);
  return readFileSync(await dl.path(), "utf8");
}

const stored = (page, key = KEY) => page.evaluate((k) => localStorage.getItem(k), key);
const aside = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("spanwright.aside.")).map((k) => localStorage.getItem(k)));

test("half-written saved work: the app starts, keeps it aside untouched, offers it, and can let it go", async ({ page }) => {
  const broken = '{"storage":2,"generation":4,"saved_at":"2026-11-20T10:00:00Z","workspace":{"format":"spanwright","version":1,"kind":"works';
  await startWith(page, broken);
  await expect(page.getByRole("alert")).toContainText("Your saved work could not be read: it is not complete JSON (line 1, column");
  await expect(page.getByRole("alert")).toContainText("it may have been cut off while saving. It was kept aside, untouched, and can be downloaded below.");
  const region = page.getByRole("region", { name: "Kept aside" });
  await expect(region).toContainText("it is not complete JSON");
  expect(await download(page, () => region.getByRole("button", { name: /^Download spanwright-unreadable-/ }).click())).toBe(broken);

  // Work goes on and is saved; the kept copy stays as it was, and a reload does not copy it twice.
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  expect(JSON.parse(await stored(page)).storage).toBe(2);
  expect(await aside(page)).toEqual([broken]);
  await page.reload();
  await expect(annotations(page)).toHaveCount(1);
  expect(await aside(page)).toEqual([broken]);

  await region.getByRole("button", { name: "Delete this copy…" }).click();
  await page.getByRole("alertdialog", { name: "Delete the kept copy" }).getByRole("button", { name: "Delete the kept copy" }).click();
  await expect(region).toHaveCount(0);
  expect(await aside(page)).toEqual([]);
});

test("work saved by a newer Spanwright is kept aside and never written over", async ({ page }) => {
  const newer = JSON.stringify({ storage: 3, generation: 9, workspace: { shards: ["…"] } });
  await startWith(page, newer);
  await expect(page.getByRole("alert")).toContainText(
    "it was saved by a newer Spanwright (storage version 3; this one reads up to 2); open it with the newer version, or download it",
  );
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  expect(await aside(page)).toEqual([newer]);
});

test("saved work from the first builds (storage version 1) is migrated forward", async ({ page }) => {
  // A bare Spanwright workspace, as the first builds saved it, with one quote.
  await page.goto(`./#/doc/${FIRST}`);
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  const v1 = JSON.stringify(JSON.parse(await stored(page)).workspace);
  await startWith(page, v1);
  await expect(annotations(page)).toHaveCount(1);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await tag(page, "Aleksandar Vucic", "Claim");
  await expect(page.getByRole("status")).toHaveText("Saved");
  const record = JSON.parse(await stored(page));
  expect(record.storage).toBe(2);
  expect(record.workspace.sets[0].spans).toHaveLength(2);
});

test("no room to keep unreadable work aside: saving pauses until the user has it", async ({ page }) => {
  await page.addInitScript(() => {
    const real = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (key.startsWith("spanwright.aside.")) throw new DOMException("full", "QuotaExceededError");
      return real.call(this, key, value);
    };
  });
  await startWith(page, "{garbage");
  await expect(page.getByRole("alert")).toContainText("there is no room to keep a copy of it aside; saving is paused so it is not overwritten");
  await tag(page, "Sergey Lavrov", "Quote");
  await expect(page.getByRole("alert")).toContainText("Not saved: saving is paused until the unreadable saved work below is downloaded and deleted");
  expect(await stored(page)).toBe("{garbage");
  const region = page.getByRole("region", { name: "Kept aside" });
  expect(await download(page, () => region.getByRole("button", { name: /^Download / }).click())).toBe("{garbage");
  await region.getByRole("button", { name: "Delete this copy…" }).click();
  await page.getByRole("button", { name: "Delete the kept copy" }).click();
  await tag(page, "Aleksandar Vucic", "Claim");
  await expect(page.getByRole("status")).toHaveText("Saved");
  expect(JSON.parse(await stored(page)).workspace.sets[0].spans).toHaveLength(2);
});

test("two tabs: each brings in the other's saves, and a clash is never settled silently", async ({ context }) => {
  await context.addInitScript(() => {
    const real = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (key === "spanwright.workspace" && window.storageFull) throw new DOMException("full", "QuotaExceededError");
      return real.call(this, key, value);
    };
  });
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto(`./#/doc/${FIRST}`);
  await b.goto(`./#/doc/${FIRST}`);
  await tag(a, "Sergey Lavrov", "Quote");
  await expect(annotations(b)).toHaveCount(1);
  await expect(b.getByRole("status")).toHaveText("Brought in the changes saved in another tab.");
  await tag(b, "Aleksandar Vucic", "Claim");
  await expect(annotations(a)).toHaveCount(2);

  // B cannot save (full); A saves meanwhile: B is told, and chooses.
  await b.evaluate(() => (window.storageFull = true));
  await tag(b, "Belgrade and Pristina", "Claim");
  await expect(b.getByRole("alert")).toContainText("Not saved: browser storage is full");
  await tag(a, "Kosovo issue", "Claim");
  await expect(b.getByRole("alert")).toContainText("Another tab saved changes to this workspace while this tab had changes it could not save. Nothing was overwritten");
  await expect(annotations(b)).toHaveCount(3);
  await b.evaluate(() => (window.storageFull = false));
  await b.getByRole("button", { name: "Load the other tab's work" }).click();
  await expect(annotations(b)).toHaveCount(3);
  await expect(annotations(b).filter({ hasText: "Kosovo issue" })).toHaveCount(1);
  await expect(annotations(b).filter({ hasText: "Belgrade and Pristina" })).toHaveCount(0);
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
