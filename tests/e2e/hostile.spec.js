// Every file of the hostile-upload corpus (tests/hostile/), uploaded through the UI: the user
// sees the file's message, and the workspace (what is saved, and what is on screen) is
// exactly as before.
import { records } from "./idb.js";
import { test, expect } from "@playwright/test";
import { readFileSync, writeFileSync, mkdtempSync, openSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { FIRST, annotations, tag, tagEntity } from "./helpers.js";

const dir = new URL("../hostile/", import.meta.url);
const cases = JSON.parse(readFileSync(new URL("cases.json", dir), "utf8"));

// The generated case: a valid JSON array of numbers, as tests/hostile.rs makes it.
function generated(size) {
  const path = join(mkdtempSync(join(tmpdir(), "spanwright-")), "huge-50mb.json");
  const fd = openSync(path, "w");
  const chunk = Buffer.from("1234567890,".repeat(100_000));
  let written = writeSync(fd, "[");
  while (written + chunk.length < size - 2) written += writeSync(fd, chunk);
  while (written < size - 2) written += writeSync(fd, "1");
  writeSync(fd, "0]");
  closeSync(fd);
  return path;
}

test("every hostile upload shows its message and changes nothing", async ({ page }) => {
  test.setTimeout(120_000);
  expect(cases.length).toBeGreaterThanOrEqual(50);
  await page.goto(`./#/doc/${FIRST}`);
  await tagEntity(page, "Sergey Lavrov", "Person");
  await tag(page, "Russia's position on the issue of Kosovo does not change", "Quote");
  await expect(page.getByRole("status")).toHaveText("Saved");
  const saved = async () => JSON.stringify([await records(page, "sets"), await records(page, "documents"), await records(page, "meta")]);
  const before = await saved();
  const list = await annotations(page).allTextContents();

  const wrong = [];
  for (const c of cases) {
    const path = c.generated ? generated(c.generated) : new URL(`files/${c.file}`, dir).pathname;
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Upload JSON" }).click()]);
    await chooser.setFiles(path);
    const alert = page.getByRole("alert");
    await expect(alert).toContainText(c.file);
    const shown = await alert.textContent();
    if (shown !== c.message) wrong.push(`${c.file}\n  expected: ${c.message}\n  shown:    ${shown}`);
    if ((await saved()) !== before) wrong.push(`${c.file}: the saved workspace changed`);
    const now = await annotations(page).allTextContents();
    if (JSON.stringify(now) !== JSON.stringify(list)) wrong.push(`${c.file}: the Annotations list changed`);
    // Clear the message so the next file's cannot be confused with it.
    await page.getByRole("button", { name: "Download JSON" }).click();
    await expect(page.getByRole("status")).toContainText("Downloaded");
  }
  expect(wrong).toEqual([]);
  await expect(page.getByRole("button", { name: "Undo" })).toBeEnabled();
});
