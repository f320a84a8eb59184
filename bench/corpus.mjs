// Deterministic corpus for `make bench`: N articles of about C characters with S spans in all
// (each article is data.mjs's workload with a seed of its own), as the JSON Lines file a
// scraper or a Hugging Face dataset would give (for the import row) and as the Spanwright
// workspace of the same articles with their spans (for the list and switching rows).
//   node bench/corpus.mjs [--articles 2000] [--chars 5000] [--spans 100000] [--seed 42] OUT_DIR
import { createHash } from "node:crypto";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { workload } from "./data.mjs";

export function corpus({ articles = 2000, chars = 5000, spans = 100_000, seed = 42 } = {}) {
  const per = Math.floor(spans / articles);
  const docs = [];
  for (let i = 0; i < articles; i++) {
    // The remainder goes to the first articles, so the total is exact.
    const n = per + (i < spans - per * articles ? 1 : 0);
    const w = workload({ chars, spans: n, relations: 0, seed: seed * 100_003 + i });
    const id = `a${i + 1}`;
    const date = `20${String(10 + (i % 15)).padStart(2, "0")}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
    const title = `Article ${i + 1}: ${w.text.split(/\s+/).slice(0, 6).join(" ")}`;
    docs.push({ id, title, date, text: w.text, spans: w.spans });
  }
  const jsonl = docs.map(({ id, title, date, text }) => JSON.stringify({ id, title, date, text, url: `https://news.example/${id}` })).join("\n") + "\n";
  const workspace = {
    format: "spanwright",
    version: 1,
    kind: "workspace",
    offset_unit: "codepoint",
    documents: docs.map(({ id, title, date, text }) => ({ id, title, date, origin: "user", text, sha256: createHash("sha256").update(text).digest("hex") })),
    sets: docs.map(({ id, text, spans }) => ({
      id: `set-${id}`,
      name: "Benchmark",
      annotator: "bench",
      document: id,
      document_sha256: createHash("sha256").update(text).digest("hex"),
      created: "2026-01-01T00:00:00Z",
      updated: "2026-01-01T00:00:00Z",
      spans: spans.map(({ entity_type, ...s }) => (entity_type ? { ...s, entity_type } : s)),
      relations: [],
    })),
  };
  return { jsonl, workspace: JSON.stringify(workspace), articles: docs.length, spans: docs.reduce((a, d) => a + d.spans.length, 0), chars: docs.reduce((a, d) => a + d.text.length, 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), Number(all[i + 1])]] : acc), []));
  const out = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--")).at(-1) ?? "target/corpus";
  const c = corpus(args);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "corpus.jsonl"), c.jsonl);
  writeFileSync(join(out, "corpus.spanwright.json"), c.workspace);
  console.log(`${c.articles} articles, ${c.chars} characters, ${c.spans} spans in ${out}/corpus.jsonl and corpus.spanwright.json`);
}
