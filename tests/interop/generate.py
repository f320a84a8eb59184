"""Writes tests/interop/stress.spanwright.json: a workspace of texts that trip offset and
encoding handling, for `bash scripts/interop.sh tests/interop/stress.spanwright.json`.

    python3 tests/interop/generate.py

Hazards, one per document: a text that starts with an emoji and has spans on and right after
it; astral CJK (U+2000B) and a flag (two regional indicators); combining accents (e + U+0301)
inside spans; U+2028 LINE SEPARATOR and U+0085 NEXT LINE inside the text (raw in JSON, and
str.splitlines() splits on them, so a JSONL reader that uses it breaks the line); a lone CR;
a span that ends at the very end of the text; only ASCII (the control).

Spans are placed by searching for their text, so the file is right by construction; the CLI
checks it again on load (`spanwright convert --to spanwright tests/interop/stress.spanwright.json`).
"""

import hashlib
import json
from pathlib import Path

LABELS = {
    "labels": [
        {"id": "claim", "name": "Claim", "tag": "CLAIM", "color": "#c2410c", "key": "c", "typed": False},
        {"id": "quote", "name": "Quote", "tag": "QUOTE", "color": "#7c3aed", "key": "q", "typed": False},
        {"id": "entity", "name": "Entity", "tag": "ENTITY", "color": "#0f766e", "key": "e", "typed": True},
    ],
    "entity_types": [
        {"id": "person", "name": "Person", "tag": "PERSON", "color": "#1d4ed8", "key": "p"},
        {"id": "organisation", "name": "Organisation", "tag": "ORG", "color": "#b45309", "key": "o"},
        {"id": "location", "name": "Location", "tag": "LOC", "color": "#15803d", "key": "l"},
    ],
    "relation_types": [{"id": "speaker", "name": "Speaker"}, {"id": "claimant", "name": "Claimant"}],
}

# (document id, text, spans as (text to find, occurrence, label, entity type), relations as
# (type, from span index, to span index))
DOCS = [
    (
        "emoji-first",
        "🚀Rocket Corp said: \"We launch 🌕 soon.\"\n🚀🚀 Jane Roe agreed.",
        [("🚀Rocket Corp", 0, "entity", "organisation"), ("Rocket Corp", 0, "entity", "organisation"),
         ("We launch 🌕 soon.", 0, "quote", None), ("🌕", 0, "entity", "location"), ("Jane Roe", 0, "entity", "person"),
         ("🚀🚀 Jane Roe agreed.", 0, "claim", None)],
        [("speaker", 2, 1), ("claimant", 5, 4)],
    ),
    (
        "astral-cjk-flag",
        "𠀋𠀋 Tanaka 🇫🇷 visited Paris; 𠀋 said \"très bien\".",
        [("Tanaka", 0, "entity", "person"), ("🇫🇷", 0, "entity", "location"), ("Paris", 0, "entity", "location"),
         ("très bien", 0, "quote", None), ("𠀋 said \"très bien\".", 0, "claim", None)],
        [("speaker", 3, 0)],
    ),
    (
        "combining",
        "Zoe\u0301 Cafe\u0301 opened in Sa\u0303o Paulo 😀 yesterday.",
        [("Zoe\u0301", 0, "entity", "person"), ("Cafe\u0301", 0, "entity", "organisation"),
         ("Sa\u0303o Paulo", 0, "entity", "location"), ("opened in Sa\u0303o Paulo 😀 yesterday.", 0, "claim", None)],
        [("claimant", 3, 0)],
    ),
    (
        "line-separators",
        "First line\u2028Anna Lee 😀 said\u0085\"it works\"\rOld Mac line 🙂 Acme Ltd.",
        [("Anna Lee", 0, "entity", "person"), ("it works", 0, "quote", None), ("Acme Ltd", 0, "entity", "organisation"),
         ("Anna Lee 😀 said\u0085\"it works\"\rOld", 0, "claim", None)],
        [("speaker", 1, 0)],
    ),
    (
        "ends-at-end",
        "Emoji 👩\u200d💻 at the end: Dev Team 👩\u200d💻",
        [("Dev Team 👩\u200d💻", 0, "entity", "organisation"), ("👩\u200d💻", 1, "claim", None), ("👩\u200d💻", 0, "quote", None)],
        [],
    ),
    (
        "ascii",
        "Plain ASCII: Bob Smith of Initech said \"fine\".",
        [("Bob Smith", 0, "entity", "person"), ("Initech", 0, "entity", "organisation"), ("fine", 0, "quote", None)],
        [("speaker", 2, 0)],
    ),
]


def find(text: str, needle: str, occurrence: int) -> int:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    return at


def main():
    documents, sets = [], []
    for doc_id, text, spans, relations in DOCS:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        documents.append({"id": doc_id, "title": text[:40], "origin": "user", "text": text, "sha256": sha})
        out_spans = []
        for i, (needle, occ, label, etype) in enumerate(spans, 1):
            start = find(text, needle, occ)
            span = {"id": i, "start": start, "end": start + len(needle), "label": label, "text": needle}
            if etype:
                span["entity_type"] = etype
            out_spans.append(span)
        out_rels = [{"id": len(spans) + k, "type": t, "from": a + 1, "to": b + 1} for k, (t, a, b) in enumerate(relations, 1)]
        sets.append(
            {
                "id": f"{doc_id}-set",
                "name": f"Stress {doc_id}",
                "annotator": "stress",
                "document": doc_id,
                "document_sha256": sha,
                "created": "2026-01-01T00:00:00Z",
                "updated": "2026-01-01T00:00:00Z",
                "spans": out_spans,
                "relations": out_rels,
            }
        )
    ws = {"format": "spanwright", "version": 1, "kind": "workspace", "offset_unit": "codepoint", "labels": LABELS, "documents": documents, "sets": sets}
    path = Path(__file__).with_name("stress.spanwright.json")
    path.write_text(json.dumps(ws, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
