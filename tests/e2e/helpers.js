// Shared steps for the end-to-end tests, done the way a user does them.
import { expect } from "@playwright/test";

export const FIRST = "000_b97f63946d109184";
export const SECOND = "002_9d1e7b7987df9ab3";

// Drags the mouse across the n-th occurrence of `phrase` in the article text.
export async function dragSelect(page, phrase, occurrence = 0) {
  const box = await page.locator(".article-text").evaluate(
    (root, [phrase, occurrence]) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const nodes = [];
      let text = "";
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push([n, text.length]);
        text += n.data;
      }
      let at = -1;
      for (let i = 0; i <= occurrence; i++) at = text.indexOf(phrase, at + 1);
      if (at < 0) throw new Error(`"${phrase}" not in the article`);
      const locate = (pos) => {
        for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= pos) return [nodes[i][0], pos - nodes[i][1]];
      };
      const rectAt = (pos, side) => {
        const [node, off] = locate(side === "start" ? pos : pos - 1);
        const r = document.createRange();
        r.setStart(node, off);
        r.setEnd(node, off + 1);
        const rect = r.getClientRects()[0];
        return side === "start" ? { x: rect.left + 1, y: rect.top + rect.height / 2 } : { x: rect.right - 1, y: rect.top + rect.height / 2 };
      };
      const end = at + phrase.length;
      // Put the phrase in the middle of the viewport, below the sticky toolbar.
      const first = rectAt(at, "start");
      window.scrollBy(0, first.y - window.innerHeight / 2);
      return { from: rectAt(at, "start"), to: rectAt(end, "end") };
    },
    [phrase, occurrence],
  );
  await page.mouse.move(box.from.x, box.from.y);
  await page.mouse.down();
  await page.mouse.move((box.from.x + box.to.x) / 2, (box.from.y + box.to.y) / 2, { steps: 4 });
  await page.mouse.move(box.to.x, box.to.y, { steps: 4 });
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => String(window.getSelection()))).toContain(phrase.trim().slice(0, 5));
}

export function annotations(page) {
  return page.getByRole("list", { name: "Annotations" }).getByRole("listitem");
}

export async function tagEntity(page, phrase, type, occurrence = 0) {
  await dragSelect(page, phrase, occurrence);
  await page.getByRole("toolbar", { name: "Annotate" }).getByRole("button", { name: "Entity" }).click();
  await page.getByRole("menu", { name: "Entity type" }).getByRole("menuitem", { name: type }).click();
}

export async function tag(page, phrase, label, occurrence = 0) {
  await dragSelect(page, phrase, occurrence);
  await page.getByRole("toolbar", { name: "Annotate" }).getByRole("button", { name: label }).click();
}

// Code-point slicing, as Python and the exports count.
export function cpSlice(text, start, end) {
  return Array.from(text).slice(start, end).join("");
}
