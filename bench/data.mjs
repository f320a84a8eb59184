// Deterministic synthetic workload for `make bench`: an article of about N characters in
// paragraphs, S spans (entities, quotes, claims; nested and overlapping ones included) and R
// relations, as a Spanwright workspace and as @recogito/text-annotator annotations.
import { createHash } from "node:crypto";

function rng(seed) {
  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the minister said that talks would continue next week while officials in the capital " +
  "denied reports of a deal and analysts warned that prices could rise sharply before the " +
  "vote council members agreed to publish figures on spending schools hospitals and roads " +
  "according to the agency which cited sources close to the negotiations"
).split(" ");
const NAMES = ["Ana Petrović", "Sergey Lavrov", "Acme Corp", "Belgrade", "Pristina", "United Nations", "Maria Silva", "Tanjug"];

export function workload({ chars = 200_000, spans = 10_000, relations = 1_000, seed = 42 } = {}) {
  const rand = rng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  // Words with their [start, end) offsets. ASCII plus names, so code points = UTF-16 units
  // for both tools (the peer counts UTF-16).
  const words = [];
  let text = "";
  let paragraph = 0;
  while (text.length < chars) {
    const sentence = 8 + Math.floor(rand() * 14);
    for (let i = 0; i < sentence; i++) {
      const w = rand() < 0.12 ? pick(NAMES) : pick(WORDS);
      const word = i === 0 ? w[0].toUpperCase() + w.slice(1) : w;
      if (text.length && !text.endsWith("\n")) text += " ";
      words.push([text.length, text.length + word.length]);
      text += word;
    }
    text += ".";
    if (++paragraph % 5 === 0) text += "\n\n";
  }
  text += "\n";

  // Spans on word boundaries; a set of (start, end, label) keys keeps them unique.
  const seen = new Set();
  const out = [];
  const types = ["person", "organisation", "location"];
  while (out.length < spans) {
    const r = rand();
    const label = r < 0.6 ? "entity" : r < 0.8 ? "quote" : "claim";
    const first = Math.floor(rand() * words.length);
    const length = label === "entity" ? 1 + Math.floor(rand() * 2) : 4 + Math.floor(rand() * 18);
    const last = Math.min(words.length - 1, first + length - 1);
    const [start, end] = [words[first][0], words[last][1]];
    const entity_type = label === "entity" ? pick(types) : undefined;
    const key = `${start}:${end}:${label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: out.length + 1, start, end, label, entity_type, text: text.slice(start, end) });
  }
  out.sort((a, b) => a.start - b.start || b.end - a.end || a.id - b.id);
  const entities = out.filter((s) => s.label === "entity");
  const sayers = out.filter((s) => s.label !== "entity");
  const links = [];
  const linked = new Set();
  while (links.length < Math.min(relations, sayers.length)) {
    const from = pick(sayers);
    const to = pick(entities);
    if (linked.has(`${from.id}:${to.id}`)) continue;
    linked.add(`${from.id}:${to.id}`);
    links.push({ id: spans + links.length + 1, type: from.label === "quote" ? "speaker" : "claimant", from: from.id, to: to.id });
  }
  return { text, spans: out, relations: links };
}

export const DOC_ID = "bench-article";
export const SET_ID = "bench-set";

// The workload as Spanwright JSON (a workspace file, as Download JSON writes).
export function spanwrightWorkspace(w) {
  const sha256 = createHash("sha256").update(w.text).digest("hex");
  return {
    format: "spanwright",
    version: 1,
    kind: "workspace",
    offset_unit: "codepoint",
    documents: [{ id: DOC_ID, title: "Benchmark article", origin: "user", text: w.text, sha256 }],
    sets: [
      {
        id: SET_ID,
        name: "Benchmark",
        annotator: "bench",
        document: DOC_ID,
        document_sha256: sha256,
        created: "2026-01-01T00:00:00Z",
        updated: "2026-01-01T00:00:00Z",
        spans: w.spans.map(({ entity_type, ...s }) => (entity_type ? { ...s, entity_type } : s)),
        relations: w.relations,
      },
    ],
  };
}

// The workload as @recogito/text-annotator annotations (offsets in UTF-16 units; ASCII text).
export function peerAnnotations(w) {
  return w.spans.map((s) => ({
    id: `s${s.id}`,
    bodies: [{ id: `b${s.id}`, annotation: `s${s.id}`, purpose: "tagging", value: s.entity_type ?? s.label }],
    target: { annotation: `s${s.id}`, selector: [{ quote: s.text, start: s.start, end: s.end }] },
  }));
}

// A second annotator's set over the same article, for agreement: of the first set's spans,
// 10 % left out, 10 % with the end moved back a character or more, 10 % relabelled (another
// entity type, or claim ↔ quote); the links whose two ends remain.
export function secondAnnotator(w, seed = 7) {
  const rand = rng(seed);
  const seen = new Set();
  const spans = [];
  for (const s of w.spans) {
    const r = rand();
    if (r < 0.1) continue;
    let { start, end, label, entity_type } = s;
    if (r < 0.2 && end - start > 2) end -= 1 + Math.floor(rand() * Math.min(3, end - start - 2));
    else if (r < 0.3) {
      if (label === "entity") entity_type = ["person", "organisation", "location"].filter((t) => t !== entity_type)[Math.floor(rand() * 2)];
      else label = label === "quote" ? "claim" : "quote";
    }
    const key = `${start}:${end}:${label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    spans.push({ id: s.id, start, end, label, ...(entity_type && label === "entity" ? { entity_type } : {}), text: w.text.slice(start, end) });
  }
  const kept = new Set(spans.map((s) => s.id));
  return { spans, relations: w.relations.filter((r) => kept.has(r.from) && kept.has(r.to)) };
}

// The workload with the second annotator's set beside the first.
export function agreementWorkspace(w) {
  const ws = spanwrightWorkspace(w);
  const second = secondAnnotator(w);
  ws.sets.push({ ...ws.sets[0], id: "bench-set-2", name: "Second", annotator: "second", spans: second.spans, relations: second.relations });
  return ws;
}
