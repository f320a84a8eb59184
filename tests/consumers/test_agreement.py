"""`spanwright agree` against the reference implementations: Krippendorff's α (nominal) from
the PyPI `krippendorff` package and Cohen's κ from scikit-learn, on generated sets.

Each case takes the consumers' workspace, gives every document two (or three) generated
sets (random spans of random labels, seeded), runs `spanwright agree --json`, and computes
both figures from the file itself: every non-whitespace character a unit, 1 inside a span
of the label and 0 outside, all documents together.
"""

import json
import os
import pathlib
import random
import subprocess

import krippendorff
import pytest
from sklearn.metrics import cohen_kappa_score

HERE = pathlib.Path(__file__).parent
ROOT = HERE.parent.parent
BIN = os.environ.get("SPANWRIGHT_BIN", str(ROOT / "target" / "debug" / "spanwright"))
TAGS = [("claim", None, "CLAIM"), ("quote", None, "QUOTE"), ("entity", "person", "PERSON"), ("entity", "organisation", "ORG")]


def generated(seed, annotators):
    rng = random.Random(seed)
    ws = json.loads((HERE / "workspace.spanwright.json").read_text(encoding="utf-8"))
    sets = []
    for doc in ws["documents"]:
        text = doc["text"]
        # Boundaries only between non-whitespace runs and at word edges keep every span whole
        # characters (grapheme clusters) in these texts: cut at spaces.
        cuts = sorted({0, len(text)} | {i for i, c in enumerate(text) if c == " "} | {i + 1 for i, c in enumerate(text) if c == " "})
        base = []
        for _ in range(rng.randint(3, 9)):
            a, b = sorted(rng.sample(cuts, 2))
            if b > a and text[a:b].strip():
                base.append((a, b, rng.choice(TAGS)))
        for who in annotators:
            spans, seen = [], set()
            for a, b, tag in base:
                r = rng.random()
                if r < 0.15:
                    continue  # this annotator missed it
                if r < 0.35:
                    tag = rng.choice(TAGS)  # another label
                if r > 0.85:
                    # Another boundary: the end moves back a word (never into a character).
                    shorter = [c for c in cuts if a < c < b and text[a:c].strip()]
                    b = shorter[-1] if shorter else b
                key = (a, b, tag[0])  # the model keeps one span per range and label, whatever its type
                if key in seen:
                    continue
                seen.add(key)
                span = {"id": len(spans) + 1, "start": a, "end": b, "label": tag[0], "text": text[a:b]}
                if tag[1]:
                    span["entity_type"] = tag[1]
                spans.append(span)
            sets.append({
                "id": f"{doc['id']}-{who.lower()}", "name": f"{who}'s set", "annotator": who, "document": doc["id"],
                "document_sha256": doc["sha256"], "created": "2026-11-24T00:00:00Z", "updated": "2026-11-24T00:00:00Z",
                "spans": spans, "relations": [],
            })
    ws["sets"] = sets
    return ws


def codes(ws, who, tag):
    out = []
    for doc in ws["documents"]:
        text = doc["text"]
        inside = [0] * len(text)
        for s in ws["sets"]:
            if s["annotator"] == who and s["document"] == doc["id"]:
                for sp in s["spans"]:
                    if (sp["label"], sp.get("entity_type")) == tag[:2]:
                        inside[sp["start"] : sp["end"]] = [1] * (sp["end"] - sp["start"])
        out += [v for v, ch in zip(inside, text) if not ch.isspace()]
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_alpha_and_kappa_match_the_reference_packages(seed, tmp_path):
    ws = generated(seed, ["Ana", "Bo"])
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(ws, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([BIN, "agree", "--json", "--sets", "Ana,Bo", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    pair = json.loads(out.stdout)["pairs"][0]
    checked = 0
    for tag in TAGS:
        a, b = codes(ws, "Ana", tag), codes(ws, "Bo", tag)
        figures = pair["labels"].get(tag[2])
        if figures is None:
            assert not any(a) and not any(b)
            continue
        if len(set(a) | set(b)) < 2:
            assert "undefined" in figures["alpha"]
            continue
        assert figures["alpha"] == pytest.approx(krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal"), abs=1e-9)
        assert figures["kappa"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_alpha_of_three_annotators_together_matches_krippendorff(seed, tmp_path):
    who = ["Ana", "Bo", "Cy"]
    ws = generated(seed, who)
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(ws, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([BIN, "agree", "--json", "--sets", ",".join(who), str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert len(report["pairs"]) == 3 and report["alpha_documents"] == len(ws["documents"])
    checked = 0
    for tag in TAGS:
        data = [codes(ws, w, tag) for w in who]
        figure = report["alpha"].get(tag[2])
        if figure is None:
            assert not any(map(any, data))
            continue
        if len(set().union(*data)) < 2:
            assert "undefined" in figure
            continue
        assert figure == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9)
        checked += 1
    assert checked >= 1
