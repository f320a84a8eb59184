#!/usr/bin/env python3
"""Checks, the way a training script would read them, that every exported span slices back
out of its text: text[start:end] == span text, with Python's code-point indices.

    python3 tests/check_offsets.py DIR

DIR holds one folder per format (spanwright, jsonl, doccano, labelstudio, brat, w3c, conll),
as the Rust test `python_slices_every_span_back` writes them. Exits 1 on the first mismatch.
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
checked = 0


def check(where, text, start, end, expected):
    global checked
    got = text[start:end]
    if got != expected:
        sys.exit(f"{where}: text[{start}:{end}] is {got!r}, the file says {expected!r}")
    checked += 1


def read(path):
    # newline="" keeps CRLF as two characters, as the offsets count it.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


texts = {}
for line in read(root / "jsonl" / "spans.jsonl").splitlines():
    row = json.loads(line)
    assert row["meta"]["offset_unit"] == "codepoint"
    texts[row["meta"]["document_id"]] = row["text"]
    for s in row["spans"]:
        check(f"jsonl {s['id']}", row["text"], s["start"], s["end"], s["text"])

def utf16_slice(text, start, end):
    """doccano counts UTF-16 code units, as JavaScript does."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


for line in read(root / "doccano" / "doccano.jsonl").splitlines():
    row = json.loads(line)
    assert row["offset_unit"] == "utf-16", row["offset_unit"]
    jsonl_spans = {}
    for l2 in read(root / "jsonl" / "spans.jsonl").splitlines():
        r2 = json.loads(l2)
        if r2["id"] == row["id"]:
            jsonl_spans = {s["id"]: s["text"] for s in r2["spans"]}
    for e in row["entities"]:
        got = utf16_slice(row["text"], e["start_offset"], e["end_offset"])
        check(f"doccano {e['id']}", got, 0, len(got), jsonl_spans[e["id"]])


for task in json.loads(read(root / "labelstudio" / "label-studio.json")):
    for ann in task["annotations"]:
        for r in ann["result"]:
            if r["type"] == "labels":
                v = r["value"]
                check(f"labelstudio {r['id']}", task["data"]["text"], v["start"], v["end"], v["text"])

for ann in sorted((root / "brat").glob("*.ann")):
    text = read(ann.with_suffix(".txt"))
    for line in read(ann).splitlines():
        if not line.startswith("T"):
            continue
        tid, type_offsets, span_text = line.split("\t")
        fragments = type_offsets.split(" ", 1)[1].split(";")
        pieces = []
        for frag in fragments:
            a, b = map(int, frag.split())
            pieces.append(text[a:b])
            if "\n" in text[a:b] or "\r" in text[a:b]:
                sys.exit(f"brat {tid}: fragment {a} {b} holds a line break")
        check(f"brat {tid}", " ".join(pieces), 0, len(" ".join(pieces)), span_text)

collection = json.loads(read(root / "w3c" / "annotations.jsonld"))
for item in collection["first"]["items"]:
    if item["motivation"] != "tagging":
        continue
    doc_id = item["target"]["source"].rsplit(":", 1)[1]
    quote, pos = item["target"]["selector"]
    check(f"w3c {item['id']}", texts[doc_id], pos["start"], pos["end"], quote["exact"])
    text = texts[doc_id]
    assert text[: pos["start"]].endswith(quote["prefix"]) and text[pos["end"] :].startswith(quote["suffix"])

native = json.loads(read(next((root / "spanwright").glob("*.spanwright.json"))))
import jsonschema  # installed by scripts/setup.sh

schema = json.loads(read(pathlib.Path(__file__).parent.parent / "schema" / "spanwright-v1.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(native, schema, cls=jsonschema.Draft202012Validator)
broken = json.loads(json.dumps(native))
broken["sets"][0]["spans"][0]["start"] = -1
try:
    jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)
    sys.exit("the schema accepted a negative offset")
except jsonschema.ValidationError:
    pass
# A set's switches are booleans: "done" and "suggestions" (Suggest spans).
for key in ("done", "suggestions"):
    switched = json.loads(json.dumps(native))
    switched["sets"][0][key] = True
    jsonschema.validate(switched, schema, cls=jsonschema.Draft202012Validator)
    switched["sets"][0][key] = "yes"
    try:
        jsonschema.validate(switched, schema, cls=jsonschema.Draft202012Validator)
        sys.exit(f"the schema accepted a set whose {key} is not a boolean")
    except jsonschema.ValidationError:
        pass
doc_text = {d["id"]: d["text"] for d in native["documents"]}
for s in native["sets"]:
    for sp in s["spans"]:
        check(f"spanwright {sp['id']}", doc_text[s["document"]], sp["start"], sp["end"], sp["text"])

conll = read(root / "conll" / "entities.conll")
assert conll.startswith("-DOCSTART- -X- O O\n\n"), "CoNLL starts with -DOCSTART-"
for line in conll.splitlines():
    if line and not line.startswith("-DOCSTART-"):
        cols = line.split(" ")
        assert len(cols) == 4 and (cols[3] == "O" or cols[3][:2] in ("B-", "I-")), line

print(f"checked {checked} spans")
