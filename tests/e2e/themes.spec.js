// Colour contrast of what the user reads, in the light and the dark theme (WCAG AA: 4.5:1
// for text), measured on the rendered page with tagged spans on screen.
import { test, expect } from "@playwright/test";
import { FIRST, tag, tagEntity } from "./helpers.js";

// For each element: its text colour against the background it is painted on, composited
// through its ancestors, as a WCAG contrast ratio.
function contrasts(page, selector) {
  return page.locator(selector).evaluateAll((els) => {
    const probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
    const rgba = (css) => {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = "#000";
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top, under) => top.slice(0, 3).map((c, i) => c * top[3] + under[i] * (1 - top[3])).concat(1);
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
      return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const lum = ([r, g, b]) =>
      [r, g, b].map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)).reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
    return els.map((el) => {
      const s = getComputedStyle(el);
      const bg = background(el);
      const fg = over(rgba(s.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      return { what: `${el.tagName.toLowerCase()}.${el.className} “${el.textContent.trim().slice(0, 20)}”`, ratio: (hi + 0.05) / (lo + 0.05) };
    });
  });
}

for (const scheme of ["light", "dark"]) {
  test(`text has at least 4.5:1 contrast in the ${scheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`./#/doc/${FIRST}`);
    await tag(page, "Russia's position on the issue of Kosovo does not change", "Quote");
    await tagEntity(page, "Kosovo", "Location", 2);
    await tag(page, "Aleksandar Vucic", "Claim");
    await page.getByRole("button", { name: "Delete set" }).click();
    const checked = [
      "h1", ".tagline", ".article-header h2", ".article-meta", ".article-text span", ".toolbar button:not(:disabled)", "kbd",
      ".articles a", ".progress", ".status", ".annotation .what", ".annotation .span-text", ".annotation .link",
      ".span-editor label", ".confirm p", ".panel-title", ".snap", ".row-meta", ".list-count", ".corpus-chart li",
    ];
    const low = [];
    let n = 0;
    for (const sel of checked) {
      const found = await contrasts(page, sel);
      n += found.length;
      low.push(...found.filter((f) => f.ratio < 4.5).map((f) => `${f.what}: ${f.ratio.toFixed(2)}`));
    }
    expect(n).toBeGreaterThan(30);
    expect(low).toEqual([]);
  });
}
