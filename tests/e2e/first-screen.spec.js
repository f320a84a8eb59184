// The first screen: header, the "Articles" navigation, the article text exactly as in the
// seed file, and the selected article kept in the URL.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";

const seed = (name) => readFileSync(new URL(`../../seeds/${name}`, import.meta.url), "utf8");
const FIRST = "000_b97f63946d109184";
const SECOND = "002_9d1e7b7987df9ab3";

test("lists both bundled articles and opens the second one", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 1, name: "Spanwright" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Articles" });
  const first = nav.getByRole("link", { name: /BELGRADE, Serbia \(AA\) – Russian foreign minister/ });
  const second = nav.getByRole("link", { name: /Kosovo and Metohija one of the key topics during Lavrov's visit to Serbia/ });
  await expect(first).toContainText("2020-06-18");
  await expect(second).toContainText("2020-06-12");

  await second.click();
  await expect(page).toHaveURL(new RegExp(`#/doc/${SECOND}$`));
  await expect(second).toHaveAttribute("aria-current", "page");
  const article = page.getByRole("article");
  await expect(article).toContainText("Botsan-Kharchenko said that this would be Lavrov's first trip abroad after the coronavirus pandemic.");
  await expect(article.getByRole("heading", { level: 2 })).toHaveText("Kosovo and Metohija one of the key topics during Lavrov's visit to Serbia");
  await expect(article).toContainText("Source: Tanjug");
});

test("shows the article text exactly as in the file", async ({ page }) => {
  for (const id of [FIRST, SECOND]) {
    await page.goto(`./#/doc/${id}`);
    const text = await page.locator(".article-text").evaluate((el) => el.textContent);
    expect(text).toBe(seed(`${id}.txt`));
  }
});

test("the URL keeps the article across reload and back/forward", async ({ page }) => {
  await page.goto(`./#/doc/${SECOND}`);
  const article = page.getByRole("article");
  await expect(article).toContainText("Botsan-Kharchenko");
  await page.reload();
  await expect(article).toContainText("Botsan-Kharchenko");

  await page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: /BELGRADE/ }).click();
  await expect(article).toContainText("Sergey Lavrov discussed the Kosovo issue");
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`#/doc/${SECOND}$`));
  await expect(article).toContainText("Botsan-Kharchenko");
  await page.goForward();
  await expect(article).toContainText("Sergey Lavrov discussed the Kosovo issue");
});

test("an unknown article id says so and keeps the list usable", async ({ page }) => {
  await page.goto("./#/doc/nope");
  await expect(page.getByRole("alert")).toContainText("There is no article with the id “nope”");
  await page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: /Kosovo and Metohija/ }).click();
  await expect(page.getByRole("article")).toContainText("Botsan-Kharchenko");
});
