#!/usr/bin/env python3
"""Writes the hostile-upload corpus: tests/hostile/files/* and tests/hostile/cases.json.

Each case is a file a user might upload by mistake or by malice, the category it belongs
to, and the exact message the user must see. `cargo test --test hostile` checks every
message natively; tests/e2e/hostile.spec.js uploads every file through the browser and
checks the message and that the workspace did not change.

Run it again after changing a case: python3 tests/hostile/generate.py
"""
import copy
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "files")

BASE = json.load(open(os.path.join(ROOT, "tests/golden/spanwright/set.spanwright.json"), encoding="utf-8"))
BASE_TEXT = json.dumps(BASE, ensure_ascii=False, indent=2)
DOCCANO = open(os.path.join(ROOT, "tests/golden/doccano/doccano.jsonl"), encoding="utf-8").read()
LS = json.load(open(os.path.join(ROOT, "tests/golden/labelstudio/label-studio.json"), encoding="utf-8"))
SHA = BASE["documents"][0]["sha256"]

cases = []


def add(category, name, content, message):
    if isinstance(content, (dict, list)):
        content = json.dumps(content, ensure_ascii=False, indent=2)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    cases.append({"file": name, "category": category, "message": message})


def edit(fn):
    """The base set file with one change made by fn(copy)."""
    d = copy.deepcopy(BASE)
    fn(d)
    return d


def span(d, i):
    return d["sets"][0]["spans"][i]


def setk(d, k, v):
    d[k] = v


def fail(name, why):
    return f"Upload of {name} failed, nothing was changed: {why}"


shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
C = "truncated or malformed JSON"
add(C, "truncated-half.json", BASE_TEXT[: len(BASE_TEXT) // 2], None)
add(C, "truncated-in-string.json", BASE_TEXT[: BASE_TEXT.index("Jane Roe") + 4], None)
add(C, "truncated-last-brace.json", BASE_TEXT.rstrip()[:-1], None)
add(C, "empty.json", b"", None)
add(C, "whitespace-only.json", " \n\t\r\n ", None)
add(C, "trailing-comma.json", BASE_TEXT.replace('"version": 1,', '"version": 1,,'), None)
add(C, "single-quotes.json", "{'format': 'spanwright', 'version': 1}", None)
add(C, "comment.json", "// saved from Spanwright\n" + BASE_TEXT, None)
add(C, "two-files-joined.json", BASE_TEXT + "\n" + BASE_TEXT, None)
add(C, "html-page.json", "<!DOCTYPE html><html><body>404 Not Found</body></html>", None)
add(C, "csv-file.json", "start,end,label\n10,18,PERSON\n", None)
add(C, "nul-bytes.json", b"\x00\x00\x00\x00", None)
add(C, "bom-then-truncated.json", "\ufeff" + BASE_TEXT[:200], None)

C = "wrong types and shapes"
add(C, "top-level-string.json", '"spanwright"', None)
add(C, "top-level-number.json", "42", None)
add(C, "format-other-tool.json", edit(lambda d: setk(d, "format", "prodigy")), None)
add(C, "format-missing.json", edit(lambda d: d.pop("format")), None)
add(C, "kind-unknown.json", edit(lambda d: setk(d, "kind", "bundle")), None)
add(C, "sets-not-a-list.json", edit(lambda d: setk(d, "sets", {"set": {}})), None)
add(C, "start-is-a-string.json", edit(lambda d: span(d, 1).update(start="10")), None)
add(C, "label-is-a-number.json", edit(lambda d: span(d, 0).update(label=7)), None)
add(C, "spans-null.json", edit(lambda d: d["sets"][0].update(spans=None)), None)
add(C, "text-is-a-number.json", edit(lambda d: d["documents"][0].update(text=12345)), None)
add(C, "span-missing-end.json", edit(lambda d: span(d, 2).pop("end")), None)

C = "huge, negative and fractional numbers"
add(C, "start-negative.json", edit(lambda d: span(d, 1).update(start=-1)), None)
add(C, "end-huge.json", edit(lambda d: span(d, 1).update(end=10**30)), None)
add(C, "end-past-u64.json", BASE_TEXT.replace('"end": 18', '"end": 18446744073709551616'), None)
add(C, "start-fraction.json", edit(lambda d: span(d, 1).update(start=10.5)), None)
add(C, "end-before-start.json", edit(lambda d: span(d, 1).update(start=18, end=10, text="")), None)
add(C, "empty-span.json", edit(lambda d: span(d, 1).update(start=10, end=10, text="")), None)
add(C, "span-id-negative.json", edit(lambda d: span(d, 1).update(id=-2)), None)
add(C, "version-huge.json", edit(lambda d: setk(d, "version", 10**20)), None)

C = "offsets that do not fit the text"
add(C, "end-past-the-end.json", edit(lambda d: span(d, 5).update(end=90)), None)
add(C, "start-past-the-end.json", edit(lambda d: span(d, 5).update(start=500, end=510)), None)
add(C, "cuts-crlf.json", edit(lambda d: span(d, 0).update(start=9, text="\nJane Roe said: \"Acme will grow 🚀 fast.\"")), None)
add(C, "text-does-not-match.json", edit(lambda d: span(d, 1).update(text="John Doe")), None)
add(C, "utf16-offsets-after-emoji.json", edit(lambda d: span(d, 1).update(start=11, end=19)), None)


def cluster_doc(d):
    text = "Ana 🇺🇦 and the 👩‍👩‍👧 family caf\u0065\u0301.\n"
    import hashlib

    d["documents"][0].update(id="flags", text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    s = d["sets"][0]
    s.update(document="flags", document_sha256=d["documents"][0]["sha256"], relations=[])
    # 🇺🇦 is two code points (4, 5): a span from 5 starts inside the flag.
    s["spans"] = [{"id": 1, "start": 5, "end": 6, "label": "entity", "entity_type": "location", "text": "🇦"}]


add(C, "inside-a-flag.json", edit(cluster_doc), None)


def zwj(d):
    cluster_doc(d)
    d["sets"][0]["spans"] = [{"id": 1, "start": 15, "end": 17, "label": "entity", "entity_type": "person", "text": "👩‍"}]


add(C, "inside-a-zwj-family.json", edit(zwj), None)


def combining(d):
    cluster_doc(d)
    # "caf" + "e" + U+0301: ending after "e" strands the accent.
    t = d["documents"][0]["text"]
    i = t.index("cafe")
    d["sets"][0]["spans"] = [{"id": 1, "start": i, "end": i + 4, "label": "quote", "text": "cafe"}]


add(C, "strands-an-accent.json", edit(combining), None)

C = "relations to missing spans"
add(C, "relation-to-missing-span.json", edit(lambda d: d["sets"][0]["relations"][0].update(to=99)), None)
add(C, "relation-from-missing-span.json", edit(lambda d: d["sets"][0]["relations"][0].update({"from": 42})), None)
add(C, "relation-unknown-type.json", edit(lambda d: d["sets"][0]["relations"][0].update(type="employer")), None)
add(C, "relation-after-its-span-deleted.json", edit(lambda d: d["sets"][0]["spans"].pop(1)), None)

C = "documents, sets and ids that do not agree"
add(C, "document-text-changed.json", edit(lambda d: d["documents"][0].update(text=d["documents"][0]["text"].replace("denied", "confirmed"))), None)


def set_for_changed_text(d):
    d["sets"][0]["document_sha256"] = "0" * 64


add(C, "set-for-changed-text.json", edit(set_for_changed_text), None)
add(C, "set-for-unknown-document.json", edit(lambda d: (d["documents"].clear(), d["sets"][0].update(document="elsewhere"))), None)
add(C, "duplicate-span-ids.json", edit(lambda d: span(d, 1).update(id=1)), None)
add(C, "duplicate-set-ids.json", edit(lambda d: d["sets"].append(copy.deepcopy(d["sets"][0]))), None)
add(C, "duplicate-documents.json", edit(lambda d: d["documents"].append(copy.deepcopy(d["documents"][0]))), None)

C = "labels the file does not define"
add(C, "unknown-label.json", edit(lambda d: span(d, 0).update(label="rumour")), None)
add(C, "unknown-entity-type.json", edit(lambda d: span(d, 1).update(entity_type="animal")), None)
add(C, "type-on-untyped-label.json", edit(lambda d: span(d, 0).update(entity_type="person")), None)
add(C, "duplicate-label-ids.json", edit(lambda d: d["labels"]["labels"].append(copy.deepcopy(d["labels"]["labels"][0]))), None)

C = "unknown format versions"
add(C, "version-2.json", edit(lambda d: setk(d, "version", 2)), None)
add(C, "version-0.json", edit(lambda d: setk(d, "version", 0)), None)
add(C, "version-as-text.json", edit(lambda d: setk(d, "version", "1")), None)
add(C, "version-missing.json", edit(lambda d: d.pop("version")), None)

C = "encodings, size and depth"
add(C, "latin-1.json", BASE_TEXT.replace("🙂", "").replace("🚀", "").encode("utf-8").replace("Jane".encode(), b"J\xe4ne"), None)
add(C, "utf-16.json", "\ufeff".encode("utf-16-le") + BASE_TEXT.encode("utf-16-le"), None)
add(C, "deeply-nested-objects.json", '{"a":' * 10000 + "1" + "}" * 10000, None)
add(C, "deeply-nested-arrays.json", "[" * 10000 + "]" * 10000, None)
# The 50 MB file is made by the tests themselves (it would bloat the repository): see
# tests/hostile.rs and tests/e2e/hostile.spec.js.
cases.append({"file": "huge-50mb.json", "category": C, "generated": 50 * 1000 * 1000, "message": None})

C = "doccano files with broken offsets"
lines = DOCCANO.splitlines()
d0 = json.loads(lines[0])


def doccano(fn):
    d = copy.deepcopy(d0)
    d.pop("relations", None)
    fn(d)
    return json.dumps(d, ensure_ascii=False) + "\n"


# Offsets are UTF-16 units, as doccano counts; 🙂 is 2 units, so the text's UTF-16 offsets
# are one more than its code points from index 1 on. A line marked "codepoint" comes from an
# older Spanwright export; a span whose two readings differ there is refused, never shifted.
add(C, "doccano-inside-surrogate-pair.jsonl", doccano(lambda d: (d.pop("offset_unit", None), d.update(entities=[{"id": 1, "label": "ORG", "start_offset": 43, "end_offset": 50}]))), None)
add(C, "doccano-end-past-the-end.jsonl", doccano(lambda d: d["entities"][0].update(end_offset=500)), None)
add(C, "doccano-negative-offset.jsonl", doccano(lambda d: d["entities"][0].update(start_offset=-3)), None)
add(C, "doccano-end-before-start.jsonl", doccano(lambda d: d["entities"][0].update(start_offset=40, end_offset=12)), None)
add(C, "doccano-cuts-crlf.jsonl", doccano(lambda d: d.update(entities=[{"id": 1, "label": "QUOTE", "start_offset": 10, "end_offset": 19}])), None)
add(C, "doccano-second-line-broken.jsonl", lines[0] + "\n" + lines[0][:40] + "\n", None)
add(C, "doccano-label-not-text.jsonl", doccano(lambda d: d["entities"][0].update(label=None)), None)
# "Jane Roe" is code points 10..18 and UTF-16 units 11..19: as written by an older export,
# or added in doccano? Both readings fit, so neither is taken.
add(C, "doccano-old-codepoint-marker-after-emoji.jsonl", doccano(lambda d: d.update(offset_unit="codepoint", entities=[{"id": 1, "label": "PERSON", "start_offset": 11, "end_offset": 19}])), None)

C = "Label Studio files with broken offsets"


def ls(fn):
    d = copy.deepcopy(LS)
    fn(d)
    return d


def region(d, i):
    return d[0]["annotations"][0]["result"][i]["value"]


add(C, "labelstudio-end-past-the-end.json", ls(lambda d: region(d, 0).update(end=400)), None)
add(C, "labelstudio-text-does-not-match.json", ls(lambda d: region(d, 1).update(text="Jane Doe")), None)
add(C, "labelstudio-inside-surrogate-pair.json", ls(lambda d: region(d, 2).update(start=43, end=50, text=" fast.")), None)
add(C, "labelstudio-no-text.json", ls(lambda d: d[0].update(data={})), None)
add(C, "labelstudio-negative-start.json", ls(lambda d: region(d, 1).update(start=-5)), None)

# The messages, reviewed one by one, live in expected.json (file name -> message).
expected_path = os.path.join(HERE, "expected.json")
expected = json.load(open(expected_path, encoding="utf-8")) if os.path.exists(expected_path) else {}
for c in cases:
    c["message"] = expected.get(c["file"])
json.dump(cases, open(os.path.join(HERE, "cases.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)
print(f"{len(cases)} cases in {len(set(c['category'] for c in cases))} categories")
