// The scripted session of `make bench`: how much faster annotating gets with suggestions.
//
// The task: tag every person and organisation of the two bundled articles, the names
// NAMES lists, wherever they occur as whole words, the longer name where one holds another
// ("Sergey Lavrov", not "Lavrov" inside it; the matcher's own rule, leftmost-longest).
// `targets(text)` gives those spans; they are fixed by the list and the articles.
//
// Before it, a colleague tagged another article (EARLIER: IndexedDB holds it with its set,
// see seedStorage()), so the suggestions' dictionary starts from their spans, locations among them.
// The session is then run twice, each in a fresh browser context with that same storage,
// driven as a person drives the page, by mouse and keyboard (Playwright's real input
// events; every key press and mouse action sent is counted):
//
// - without suggestions: for each target, drag the mouse across it, press `e`, then `p` or `o`;
// - with suggestions: in each article click *Suggest spans*, `Tab` to the list, and on each
//   suggestion press `Enter` when it is a target (place and type), `Backspace` when not
//   (a location, a quotation, a name inside a longer one); then tag the targets no
//   suggestion offered as above.
//
// The script knows where a suggestion is from its button's `data-start`/`data-end` (a person
// sees its dashed outline in the text). Before each drag it waits, as a person looks, for the
// page to be still. At the end, both sessions must have made exactly the target spans (read
// back from the saved workspace in IndexedDB), or the run fails.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const SEEDS = ["000_b97f63946d109184", "002_9d1e7b7987df9ab3"];
// Their links in the article list.
const LINKS = { [SEEDS[0]]: /^BELGRADE/, [SEEDS[1]]: /^Kosovo and Metohija/ };

// The persons and organisations of the two articles.
export const NAMES = [
  ["Alexander Botsan-Kharchenko", "person"],
  ["Botsan-Kharchenko", "person"],
  ["Sergey Lavrov", "person"],
  ["Lavrov", "person"],
  ["Aleksandar Vucic", "person"],
  ["Vucic", "person"],
  ["Ivica Dacic", "person"],
  ["Nebojsa Stefanovic", "person"],
  ["Talha Ozturk", "person"],
  ["UN Security Council", "organisation"],
  ["Security Council", "organisation"],
  ["UN", "organisation"],
  ["EU", "organisation"],
  ["Tanjug", "organisation"],
  ["AA", "organisation"],
  ["EPA", "organisation"],
];

// The article a colleague tagged earlier, and what they tagged (every occurrence of each).
export const EARLIER = {
  id: "earlier-visit",
  title: "Lavrov to visit Belgrade",
  text:
    "BELGRADE, June 16 (Tanjug) – Serbian President Aleksandar Vucic said on Tuesday that Russian Foreign Minister " +
    "Sergey Lavrov would come to Belgrade this week.\n\nVucic said Lavrov and Ivica Dacic would discuss Kosovo, " +
    "the EU and the UN Security Council.\n",
  tagged: [
    ["Tanjug", "organisation"],
    ["Aleksandar Vucic", "person"],
    ["Sergey Lavrov", "person"],
    ["Belgrade", "location"],
    ["Vucic", "person"],
    ["Lavrov", "person"],
    ["Ivica Dacic", "person"],
    ["Kosovo", "location"],
    ["EU", "organisation"],
    ["UN Security Council", "organisation"],
  ],
};

const isWord = (c) => c !== undefined && /[\p{Alphabetic}\p{N}_]/u.test(c);

// Every whole-word occurrence of the names in `text`, leftmost-longest, as code points:
// [{ start, end, type, name }] in text order.
export function targets(text, names = NAMES) {
  const chars = Array.from(text);
  const found = [];
  for (const [name, type] of names) {
    const n = Array.from(name);
    for (let i = 0; i + n.length <= chars.length; i++) {
      if (n.every((c, k) => chars[i + k] === c) && !(isWord(chars[i - 1]) && isWord(n[0])) && !(isWord(chars[i + n.length]) && isWord(n.at(-1)))) {
        found.push({ start: i, end: i + n.length, type, name });
      }
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  for (const t of found) if (!out.length || t.start >= out.at(-1).end) out.push(t);
  return out;
}

// The storage record the colleague's browser kept before the app moved saved work to
// IndexedDB: the earlier article with its set (the bundled articles are added by the app).
export function sessionRecord() {
  const { id, title, text, tagged } = EARLIER;
  const sha256 = createHash("sha256").update(text).digest("hex");
  const chars = Array.from(text);
  const spans = targets(text, tagged).map((t, i) => ({ id: i + 1, start: t.start, end: t.end, label: "entity", entity_type: t.type, text: chars.slice(t.start, t.end).join("") }));
  const set = { id: "earlier-set", name: "Earlier", annotator: "colleague", document: id, document_sha256: sha256, created: "2026-01-01T00:00:00Z", updated: "2026-01-01T00:00:00Z", spans };
  const workspace = { format: "spanwright", version: 1, kind: "workspace", offset_unit: "codepoint", documents: [{ id, title, origin: "user", text, sha256 }], sets: [set] };
  return `{"storage":2,"generation":1,"saved_at":"2026-01-01T00:00:00Z","workspace":${JSON.stringify(workspace)}}`;
}

// Brings `page` (a fresh context's) to where the sessions start, untimed and uncounted:
// the colleague's work saved as the app keeps it now, in IndexedDB. The app is started once
// on the record above in localStorage, moves it to IndexedDB as on the first start of this
// release, and the old copy it keeps aside is deleted (as a person tidies up after the
// move); then the page is loaded again, as any later start, on the first article.
export async function seedStorage(page, base) {
  // A blank page of the app's origin, to write its localStorage before the app runs.
  const blank = `${base}/app/seed-storage`;
  await page.route(blank, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>seed</title>" }));
  await page.goto(blank);
  await page.unroute(blank);
  await page.evaluate((rec) => {
    localStorage.clear();
    localStorage.setItem("spanwright.workspace", rec);
    localStorage.setItem("spanwright.generation", "1");
  }, sessionRecord());
  await page.goto(`${base}/app/#/doc/${SEEDS[0]}`);
  await page.getByRole("status").getByText(/moved from localStorage to IndexedDB \(3 articles and 1 annotation set\)/).waitFor();
  const aside = page.getByRole("region", { name: "Kept aside" });
  await aside.getByRole("button", { name: "Delete this copy…" }).click();
  await aside.getByRole("button", { name: "Delete the kept copy" }).click();
  await aside.waitFor({ state: "detached" });
  if (await page.evaluate(() => localStorage.getItem("spanwright.workspace") !== null)) throw new Error("the kept localStorage copy was not deleted");
  await page.reload();
  await page.locator(".article-text [data-b]").first().waitFor({ state: "attached" });
  // The other stored articles are read after the first paint: wait for the colleague's.
  try {
    await page.getByRole("navigation", { name: "Articles" }).getByText("10 entities").waitFor({ timeout: 10_000 });
  } catch {
    throw new Error("the colleague's article was not read back from IndexedDB");
  }
}

// The entity spans of `ids`' sets as saved in IndexedDB (a set's record's body is its
// entry in Spanwright JSON), [start, end, type] in text order per article.
export function savedSpans(page, ids) {
  return page.evaluate(
    (ids) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("spanwright");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction("sets").objectStore("sets").getAll();
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            db.close();
            const sets = get.result.filter((r) => !r._deleted && r.body).map((r) => r.body);
            const of = (id) => sets.filter((s) => s.document === id).flatMap((s) => s.spans.filter((x) => x.label === "entity").map((x) => [x.start, x.end, x.entity_type]));
            resolve(Object.fromEntries(ids.map((id) => [id, of(id).sort((a, b) => a[0] - b[0] || a[1] - b[1])])));
          };
        };
      }),
    ids,
  );
}

const TYPE_KEYS = { person: "p", organisation: "o" };
const TYPE_NAMES = { Person: "person", Organisation: "organisation", Location: "location" };

// One session on `page` (already on the first article, storage as seedStorage() left it):
// what it sent and how long it took, and the entity spans it left, per article.
export async function runSession(page, root, withSuggestions) {
  const texts = Object.fromEntries(SEEDS.map((id) => [id, readFileSync(join(root, "seeds", `${id}.txt`), "utf8")]));
  const count = { keys: 0, drags: 0, redragged: 0, clicks: 0, byKey: {} };
  const press = async (key) => {
    count.keys++;
    count.byKey[key] = (count.byKey[key] ?? 0) + 1;
    await page.keyboard.press(key);
  };
  const click = async (locator) => {
    count.clicks++;
    await locator.click();
  };
  const annotations = page.getByRole("list", { name: "Annotations" }).getByRole("listitem");
  const panel = page.getByRole("region", { name: "Suggestions" });
  const items = panel.locator("button.suggestion");
  // A person looks at the page before reaching for the mouse: waits until it has stopped
  // moving (the same scroll position and the same place of the article's text for 5 frames
  // running). After a span is made the app scrolls it into view over the next frames (it
  // was scrolled away: the type menu, above the article, took the focus), and a box may
  // appear above the article (the backup reminder, once a save is written); coordinates
  // read before that are stale by the time the mouse gets there.
  const still = () =>
    page.evaluate(
      () =>
        new Promise((done) => {
          const at = () => {
            const r = document.querySelector(".article-text")?.getBoundingClientRect();
            return `${scrollX} ${scrollY} ${r?.left} ${r?.top} ${innerHeight}`;
          };
          let last = at(), quiet = 0;
          const tick = () => {
            const now = at();
            quiet = now === last ? quiet + 1 : 0;
            last = now;
            if (quiet >= 5) done();
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
    );
  // Where code points [start, end) of the article are on screen, first scrolling them to
  // mid-screen when they are under the bars at the top or near the bottom.
  const locate = (start, end) =>
    page.locator(".article-text").evaluate((root, [start, end]) => {
      // Each text node with the code point it starts at: a segment's from its data-s, a
      // block's bare text from the block's data-b and the text before it.
      const cps = (s) => Array.from(s).length;
      const nodes = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const p = n.parentElement;
        let s = p.dataset.s !== undefined ? Number(p.dataset.s) : Number(p.dataset.b);
        if (p.dataset.s === undefined) for (let q = n.previousSibling; q; q = q.previousSibling) s += cps(q.textContent);
        nodes.push([s, n]);
      }
      const rectAt = (c, side) => {
        const [s, node] = nodes.find(([s, n]) => s <= c && c < s + cps(n.data));
        const units = Array.from(node.data).slice(0, c - s).join("").length;
        const range = document.createRange();
        const width = Array.from(node.data)[c - s].length;
        range.setStart(node, units);
        range.setEnd(node, units + width);
        const r = range.getClientRects()[0];
        return side === "start" ? { x: r.left + 1, y: r.top + r.height / 2 } : { x: r.right - 1, y: r.top + r.height / 2 };
      };
      const first = rectAt(start, "start");
      const scrolled = first.y < 160 || first.y > innerHeight - 80;
      if (scrolled) window.scrollBy(0, first.y - innerHeight / 2);
      return { scrolled, from: rectAt(start, "start"), to: rectAt(end - 1, "end") };
    }, [start, end]);
  // Drags the mouse across code points [start, end) of the article, as a person selects,
  // once the page is still.
  const drag = async (start, end) => {
    await still();
    let box = await locate(start, end);
    if (box.scrolled) {
      await still();
      box = await locate(start, end);
    }
    count.drags++;
    await page.mouse.move(box.from.x, box.from.y);
    await page.mouse.down();
    await page.mouse.move((box.from.x + box.to.x) / 2, (box.from.y + box.to.y) / 2, { steps: 3 });
    await page.mouse.move(box.to.x, box.to.y, { steps: 3 });
    await page.mouse.up();
  };
  // Waits until the set on screen holds at least n spans, as its entry in the set picker
  // says ("Annotations (12)"); gives how many it holds.
  const holds = (n) =>
    page
      .waitForFunction((n) => {
        const option = document.querySelector("[aria-label='Annotation sets'] select")?.selectedOptions[0];
        const held = Number(option?.textContent.match(/\((\d+)/)?.[1] ?? 0);
        return held >= n && { held };
      }, n)
      .then((h) => h.jsonValue())
      .then((o) => o.held);
  // A person waits to see the selection, then the type menu, before the next key.
  // The page can still move under the mouse (a box drawn above the article as a save is
  // written); a person sees the wrong text selected and drags again. Such drags are counted
  // apart (`redragged`): they come of the script's speed, a span every few tenths of a
  // second, not of the task.
  const tagByHand = async (t) => {
    const before = await holds(0);
    for (let tries = 1; ; tries++) {
      await drag(t.start, t.end);
      const seen = await page
        .waitForFunction((name) => String(getSelection()) === name, t.name, { timeout: 2000 })
        .then(() => true, () => false);
      if (seen) break;
      if (tries === 3) throw new Error(`dragging across “${t.name}” (${t.start}–${t.end}) selected “${await page.evaluate(() => String(getSelection()))}”, three times`);
      count.drags--;
      count.redragged++;
    }
    await press("e");
    await page.getByRole("menu", { name: "Entity type" }).waitFor();
    await press(TYPE_KEYS[t.type]);
    await holds(before + 1);
  };

  const started = Date.now();
  for (const [i, id] of SEEDS.entries()) {
    if (i > 0) {
      await click(page.getByRole("navigation", { name: "Articles" }).getByRole("link", { name: LINKS[id] }));
    }
    await page.waitForFunction((id) => location.hash === `#/doc/${id}`, id);
    await page.locator(".article-text [data-b]").first().waitFor({ state: "attached" });
    const wanted = targets(texts[id]);
    const done = new Set();
    const key = (s, e, type) => `${s}:${e}:${type}`;
    if (withSuggestions) {
      await click(panel.getByRole("button", { name: "Suggest spans" }));
      await Promise.race([items.first().waitFor(), panel.getByText("No open suggestions in this set.").waitFor()]);
      // To the list from the switch, as the keyboard goes.
      await panel.getByRole("button", { name: "Suggest spans" }).focus();
      while ((await items.count()) > 0 && !(await page.evaluate(() => document.activeElement?.classList.contains("suggestion")))) await press("Tab");
      for (let left = await items.count(); left > 0; left = await items.count()) {
        const s = await page.evaluate(() => {
          const b = document.activeElement;
          return { start: Number(b.dataset.start), end: Number(b.dataset.end), text: b.textContent };
        });
        const type = TYPE_NAMES[s.text.match(/→ (\p{L}+)/u)?.[1]];
        const hit = !s.text.includes(" — quote cue:") && wanted.some((t) => t.start === s.start && t.end === s.end && t.type === type);
        if (hit) done.add(key(s.start, s.end, type));
        await press(hit ? "Enter" : "Backspace");
        await page.waitForFunction((n) => {
          const b = document.querySelectorAll("button.suggestion");
          return b.length < n && (b.length === 0 || document.activeElement?.classList.contains("suggestion"));
        }, left);
      }
    }
    for (const t of wanted) if (!done.has(key(t.start, t.end, t.type))) await tagByHand(t);
    await holds(wanted.length);
  }
  const ms = Date.now() - started;
  // What was made, as saved in IndexedDB (the last save follows the last edit by a moment).
  const saved = () => savedSpans(page, SEEDS);
  const all = SEEDS.reduce((n, id) => n + targets(texts[id]).length, 0);
  for (let i = 0; i < 50 && Object.values(await saved()).flat().length < all; i++) await page.waitForTimeout(100);
  const spans = await saved();
  return { ...count, ms, spans, targets: Object.fromEntries(SEEDS.map((id) => [id, targets(texts[id]).map((t) => [t.start, t.end, t.type])])) };
}
