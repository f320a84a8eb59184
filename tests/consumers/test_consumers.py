"""Spanwright's exports read by their real consumers, as training code reads them.

scripts/test.sh converts tests/consumers/workspace.spanwright.json into every format with
`spanwright convert` (one folder per format in $SPANWRIGHT_EXPORTS, with the converter's
notes in report.txt) and runs these tests with the project's .venv. Nothing here downloads
anything: spaCy runs blank pipelines, the W3C context is tests/consumers/anno.jsonld.
"""

import json
import os
import pathlib
import re
import xml.etree.ElementTree as ET

import pytest

HERE = pathlib.Path(__file__).parent
ROOT = HERE.parent.parent
EXPORTS = pathlib.Path(os.environ.get("SPANWRIGHT_EXPORTS", ROOT / "target" / "consumers"))


def read(path):
    # newline="" keeps CRLF as two characters, as the offsets count it.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def report(fmt):
    return read(EXPORTS / fmt / "report.txt")


@pytest.fixture(scope="session")
def rows():
    """The JSON Lines rows, which every other check compares against."""
    return [json.loads(line) for line in read(EXPORTS / "jsonl" / "spans.jsonl").splitlines()]


@pytest.fixture(scope="session")
def texts(rows):
    return {r["meta"]["document_id"]: r["text"] for r in rows}


def utf16_slice(text, start, end):
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


# --- JSON Lines: Python slicing, spaCy, Hugging Face datasets -------------------------------


@pytest.fixture(scope="session")
def span_count():
    """Spans in the workspace, from the Spanwright JSON export."""
    native = json.loads(read(EXPORTS / "spanwright" / "workspace.spanwright.json"))
    return sum(len(s["spans"]) for s in native["sets"])


def test_jsonl_slices_back_in_python(rows, span_count):
    assert len(rows) == 6  # four documents; a second annotator and a gold set on one
    n = 0
    for row in rows:
        assert row["meta"]["offset_unit"] == "codepoint"
        for s in row["spans"]:
            assert row["text"][s["start"] : s["end"]] == s["text"], (row["id"], s)
            n += 1
    assert n == span_count


def test_jsonl_rows_have_every_key_in_order():
    for line in read(EXPORTS / "jsonl" / "spans.jsonl").splitlines():
        row = json.loads(line)
        assert list(row) == ["id", "text", "meta", "spans", "relations"]
        assert list(row["meta"]) == ["document_id", "title", "date", "set_id", "set_name", "annotator", "sha256", "offset_unit"]
        for s in row["spans"]:
            assert list(s) == ["id", "start", "end", "label", "text", "kind", "entity_type", "note", "provenance"]
            if s["provenance"] is not None:
                assert list(s["provenance"]) == ["how", "from", "votes", "of", "edited", "source", "detail"]
        for r in row["relations"]:
            assert list(r) == ["id", "type", "head", "child"]


def test_spacy_char_span_strict_then_expand_and_docbin(rows, capsys):
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("xx")
    strict = expanded = 0
    docs = []
    for row in rows:
        doc = nlp(row["text"])
        assert doc.text == row["text"]
        spans = []
        for s in row["spans"]:
            span = doc.char_span(s["start"], s["end"], label=s["label"])
            if span is not None:
                strict += 1
                assert span.text == s["text"]
            else:
                span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
                assert span is not None, (row["id"], s)
                assert span.start_char <= s["start"] and span.end_char >= s["end"], (row["id"], s, span)
                expanded += 1
            spans.append(span)
        doc.spans["sc"] = spans
        docs.append(doc)
    bin_ = DocBin(store_user_data=True, docs=docs)
    back = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))
    for a, b in zip(docs, back):
        assert b.text == a.text
        assert [(s.start_char, s.end_char, s.label_) for s in b.spans["sc"]] == [(s.start_char, s.end_char, s.label_) for s in a.spans["sc"]]
    with capsys.disabled():
        print(f"\n  spaCy: {strict} spans aligned strictly, {expanded} with expand; DocBin round trip of {len(docs)} docs")
    assert strict > 0


def readme_features():
    """The datasets.Features block of the README, run as a user would paste it."""
    readme = read(ROOT / "README.md")
    block = re.search(r"<!-- datasets-features -->\s*```python\n(.*?)```", readme, re.S)
    assert block, "README.md has no datasets Features block"
    scope = {}
    exec(block.group(1), scope)
    return scope["features"]


def load(files, features, cache):
    import datasets

    datasets.disable_progress_bars()
    return datasets.load_dataset("json", data_files=[str(f) for f in files], features=features, split="train", cache_dir=str(cache))


def as_plain(ds):
    """Rows as the JSON had them: meta.date is a date32 feature, written back as YYYY-MM-DD."""
    out = []
    for r in ds:
        r = dict(r)
        r["meta"] = dict(r["meta"], date=r["meta"]["date"] and r["meta"]["date"].isoformat())
        out.append(r)
    return out


def test_datasets_loads_one_file_with_and_without_features(rows, tmp_path):
    features = readme_features()
    path = EXPORTS / "jsonl" / "spans.jsonl"
    with_f = load([path], features, tmp_path / "a")
    assert as_plain(with_f) == rows
    without = load([path], None, tmp_path / "b")
    assert without.num_rows == len(rows)
    for got, want in zip(without, rows):
        assert [(s["start"], s["end"], s["label"], s["text"]) for s in got["spans"]] == [(s["start"], s["end"], s["label"], s["text"]) for s in want["spans"]]


def try_load(files, features, cache):
    try:
        return load(files, features, cache), None
    except Exception as e:  # noqa: BLE001 - what datasets raises is reported, not asserted
        return None, f"{type(e).__name__}: {e.__cause__ or e}"


def test_datasets_loads_two_shards(rows, tmp_path, capsys):
    # The first shard holds the rows whose types are all null or empty (no entity types,
    # notes, date or relations): the split that broke before every key was written.
    lines = read(EXPORTS / "jsonl" / "spans.jsonl").splitlines(keepends=True)
    a, b = tmp_path / "train-0.jsonl", tmp_path / "train-1.jsonl"
    a.write_text("".join(lines[:1]), encoding="utf-8", newline="")
    b.write_text("".join(lines[1:]), encoding="utf-8", newline="")
    assert rows[0]["relations"] == [] and all(s["entity_type"] is None for s in rows[0]["spans"])
    ds = load([a, b], readme_features(), tmp_path / "c")
    assert as_plain(ds) == rows
    _, error = try_load([a, b], None, tmp_path / "d")
    with capsys.disabled():
        print(f"\n  datasets, two shards: with the README's Features {ds.num_rows} rows; without: {error or 'loaded'}")


def test_datasets_loads_a_file_over_10_mb(rows, tmp_path, capsys):
    # Past datasets' 10 MB block: the first blocks hold only the null-typed row, then the rest.
    lines = read(EXPORTS / "jsonl" / "spans.jsonl").splitlines(keepends=True)
    big = tmp_path / "big.jsonl"
    repeat = 11 * 1024 * 1024 // len(lines[0].encode()) + 1
    with open(big, "w", encoding="utf-8", newline="") as f:
        f.write(lines[0] * repeat)
        f.write("".join(lines[1:]) * 50)
    assert big.stat().st_size > 10 * 1024 * 1024
    ds = load([big], readme_features(), tmp_path / "c")
    assert ds.num_rows == repeat + 50 * (len(lines) - 1)
    assert as_plain(ds.select([0, ds.num_rows - 1])) == [rows[0], rows[-1]]
    _, error = try_load([big], None, tmp_path / "d")
    with capsys.disabled():
        print(f"\n  datasets, {big.stat().st_size // (1024 * 1024)} MB file: with the README's Features {ds.num_rows} rows; without: {error or 'loaded'}")


# --- doccano: UTF-16 units -----------------------------------------------------------------


def test_doccano_offsets_are_utf16_units(rows):
    by_id = {r["id"]: r for r in rows}
    for line in read(EXPORTS / "doccano" / "doccano.jsonl").splitlines():
        row = json.loads(line)
        assert row["offset_unit"] == "utf-16"
        want = {s["id"]: s["text"] for s in by_id[row["id"]]["spans"]}
        for e in row["entities"]:
            assert utf16_slice(row["text"], e["start_offset"], e["end_offset"]) == want[e["id"]]
    assert "UTF-16 code units, as doccano counts them" in report("doccano")
    assert "overlap an earlier one: doccano drops them on import" in report("doccano")


# --- Label Studio: tasks and the labeling config ---------------------------------------------


def test_label_studio_tasks_and_config(rows):
    tasks = json.loads(read(EXPORTS / "labelstudio" / "label-studio.json"))
    config = ET.fromstring(read(EXPORTS / "labelstudio" / "label-studio-config.xml"))
    labels = config.find("Labels")
    text = config.find("Text")
    assert labels.get("toName") == text.get("name") == "text" and text.get("value") == "$text"
    tags = {l.get("value") for l in labels.findall("Label")}
    relation_types = {r.get("value") for r in config.find("Relations").findall("Relation")}
    regions = 0
    for task in tasks:
        for ann in task["annotations"]:
            for r in ann["result"]:
                if r["type"] == "labels":
                    assert r["from_name"] == labels.get("name") and r["to_name"] == text.get("name")
                    v = r["value"]
                    assert task["data"]["text"][v["start"] : v["end"]] == v["text"]
                    assert set(v["labels"]) <= tags
                    regions += 1
                else:
                    assert set(r["labels"]) <= relation_types
    assert regions == sum(len(r["spans"]) for r in rows)


# --- brat: read as brat's reader does (bytes, decoded), every change reported -----------------


def test_brat_spans_slice_back_and_every_shortening_is_reported(rows):
    by_id = {r["id"]: r for r in rows}
    rep = report("brat")
    n = 0
    for ann in sorted((EXPORTS / "brat").glob("*.ann")):
        # brat's server reads the .txt as bytes and decodes it: CRLF stays two characters.
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        row = by_id[ann.stem]
        assert text == row["text"]
        spans = {s["id"]: s for s in row["spans"]}
        # Lines as brat's reader takes them: codecs.open(...).readlines(), which ends a line
        # at every Python line boundary (U+0085, U+2028, …), not only at LF. A T line cut
        # there would not parse in brat.
        lines = read(ann).splitlines()
        for line in lines:
            assert line == "" or line[0] in "TR#" and "\t" in line, f"{ann.name}: a line brat cannot parse: {line!r}"
        for line in lines:
            if not line.startswith("T"):
                continue
            tid, type_offsets, span_text = line.split("\t")
            fragments = [tuple(map(int, f.split())) for f in type_offsets.split(" ", 1)[1].split(";")]
            pieces = [text[a:b] for a, b in fragments]
            assert all("\n" not in p and "\r" not in p for p in pieces), line
            assert " ".join(pieces) == span_text, line
            s = spans[int(tid[1:])]
            if (fragments[0][0], fragments[-1][1]) != (s["start"], s["end"]):
                assert f"{ann.name} {tid} (" in rep, f"{ann.name} {tid} was shortened without a report line"
            n += 1
    assert n == sum(len(r["spans"]) for r in rows)
    assert "CRLF as one" not in rep


# --- W3C Web Annotation: JSON-LD expansion with PyLD, offline ------------------------------------

OA = "http://www.w3.org/ns/oa#"


@pytest.fixture(scope="session")
def expanded():
    from pyld import jsonld

    context = json.loads(read(HERE / "anno.jsonld"))

    def loader(url, options=None):
        if url.rstrip("/") in ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"):
            return {"contextUrl": None, "documentUrl": url, "document": context}
        raise RuntimeError(f"no network in tests: {url}")

    doc = json.loads(read(EXPORTS / "w3c" / "annotations.jsonld"))
    return jsonld.expand(doc, {"documentLoader": loader}), jsonld.to_rdf(doc, {"documentLoader": loader, "format": "application/n-quads"})


def value(node, prop):
    (v,) = node[prop]
    return v.get("@value", v.get("@id"))


def test_w3c_selectors_after_expansion(expanded, texts, span_count):
    (collection,), _ = expanded
    (page,) = collection["http://www.w3.org/ns/activitystreams#first"]
    (items,) = page["http://www.w3.org/ns/activitystreams#items"]
    annotations = items["@list"]
    tagged = [a for a in annotations if value(a, OA + "motivatedBy") == OA + "tagging"]
    assert len(tagged) == span_count
    for a in tagged:
        (target,) = a[OA + "hasTarget"]
        doc_id = value(target, OA + "hasSource").rsplit(":", 1)[1]
        selectors = {s["@type"][0]: s for s in target[OA + "hasSelector"]}
        quote, pos = selectors[OA + "TextQuoteSelector"], selectors[OA + "TextPositionSelector"]
        start, end = int(value(pos, OA + "start")), int(value(pos, OA + "end"))
        text = texts[doc_id]
        assert text[start:end] == value(quote, OA + "exact"), a["@id"]
        assert text[:start].endswith(value(quote, OA + "prefix")) and text[end:].startswith(value(quote, OA + "suffix"))
        for creator in a.get("http://purl.org/dc/terms/creator", []):
            assert creator["@type"] == ["http://xmlns.com/foaf/0.1/Person"] and value(creator, "http://xmlns.com/foaf/0.1/name")


def test_w3c_links_keep_their_direction_in_rdf(expanded, rows):
    _, nquads = expanded
    want = {
        (f"urn:spanwright:set:{r['id']}:relation:{rel['id']}", f"urn:spanwright:set:{r['id']}:span:{rel['head']}", f"urn:spanwright:set:{r['id']}:span:{rel['child']}")
        for r in rows
        for rel in r["relations"]
    }
    assert len(want) >= 8
    # N-Quads lines end at LF (U+2028 inside a literal is not a line end).
    triples = [re.match(r"(\S+) <([^>]+)> (.+) \.$", line).groups() for line in nquads.split("\n") if line]
    subj = lambda t: t.strip("<>")  # noqa: E731
    got = set()
    for link, _, _ in want:
        targets = [subj(o) for s, p, o in triples if subj(s) == link and p == OA + "hasTarget"]
        bodies = [o for s, p, o in triples if subj(s) == link and p == OA + "hasBody"]
        sources = [subj(o) for b in bodies for s, p, o in triples if s == b and p == OA + "hasSource"]
        assert len(targets) == 1 and len(sources) == 1, (link, targets, sources)
        got.add((link, targets[0], sources[0]))
    assert got == want


# --- CoNLL: a sequence-labelling reader -----------------------------------------------------------


def test_conll_is_valid_iob2_without_invisible_tokens(rows):
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    content = read(EXPORTS / "conll" / "entities.conll")
    sentences, tokens, tags = [], [], []
    for line in content.split("\n"):
        if line.startswith("-DOCSTART-"):
            continue
        if not line:
            if tokens:
                sentences.append((tokens, tags))
            tokens, tags = [], []
            continue
        cols = line.split(" ")
        assert len(cols) == 4, line
        assert cols[0].strip("\ufeff\u200b\u200c\u200d\u2060") == cols[0] or len(cols[0]) > 1, f"invisible token {cols[0]!r}"
        assert "\ufeff" not in cols[0], f"BOM token in {line!r}"
        tokens.append(cols[0])
        tags.append(cols[3])
    seqs = [t for _, t in sentences]
    strict = sum(len(e) for e in Entities(seqs, IOB2).entities)
    lenient = sum(len(get_entities(t)) for t in seqs)
    assert strict == lenient > 0, "an I- tag that follows no B- of its type"
    # Each entity's tokens are the text of an entity span (whitespace aside), but for tokens
    # only partly inside one, which were tagged whole and counted in the report.
    entity_texts = {re.sub(r"\s", "", s["text"]) for r in rows for s in r["spans"] if s["kind"] == "entity"}
    partial = [(label, toks[a : b + 1]) for toks, tg in sentences for label, a, b in get_entities(tg) if "".join(toks[a : b + 1]) not in entity_texts]
    tagged_whole = re.search(r"(\d+) tokens? only partly inside an entity (?:was|were) tagged whole", report("conll"))
    assert len(partial) <= (int(tagged_whole.group(1)) if tagged_whole else 0), partial
