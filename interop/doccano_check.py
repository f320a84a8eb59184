"""doccano interop check (run by scripts/interop.sh against a running doccano: web server and
celery worker, which does imports and exports).

1. Creates sequence-labelling projects with "allow overlapping" and relations on, and the span
   types and relation types the workspace uses.
2. Uploads doccano.jsonl as doccano's UI does: the file through the filepond endpoint
   (/v1/fp/process/), then /v1/projects/<id>/upload with format JSONL and task
   RelationExtraction ("JSONL(Relation)" in the dialog), then waits for the celery task.
   Twice: once with exactly the parameters the UI sends for JSONL(Relation) (no encoding, so
   doccano guesses it with chardet: "Auto"), once with "encoding": "utf_8", which only the API
   can send for that option.
3. Reads every example, span and relation back. doccano counts offsets in UTF-16 code units, so
   each span's text is `text.encode("utf-16-le")[2*start:2*end]`; it must equal the text the
   original span (from the Spanwright workspace, code points) covers, at the same place.
4. Adds one span inside doccano, through its API, on the first word after an astral character
   (an emoji), at that word's UTF-16 offsets, as doccano's UI would store it.
5. Exports the project (JSONL with relations, a celery task, a zip), converts it with
   `spanwright convert --from doccano --to spanwright`, and checks that the spans come back
   where they were and that the added span lands on the same word (Python code-point slicing)
   or is refused with a message — never shifted.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import traceback
import zipfile
from collections import Counter
from pathlib import Path

from common import (
    Api,
    ApiError,
    OSet,
    Results,
    Row,
    compare_round_trip,
    first_word_after_astral,
    load_originals,
    load_workspace_sets,
    read_jsonl,
    run_cli,
    splitlines_hazards,
    utf16_offset,
    utf16_slice,
    wait_for,
)

CONSUMER = "doccano"
ADDED_TAG = "ADDED"  # the span type of the span added inside doccano; no export uses it
COLORS = ["#1d4ed8", "#b45309", "#15803d", "#c2410c", "#7c3aed", "#0f766e", "#be123c", "#4d7c0f"]


def login(url: str, username: str, password: str) -> Api:
    key = Api(url).call("POST", "/v1/auth/login/", {"username": username, "password": password})["key"]
    return Api(url, {"Authorization": f"Token {key}"})


def wait_task(api: Api, task_id: str, what: str, timeout: float = 180) -> dict:
    """Polls doccano's celery task status until it is ready; raises on a task error."""

    def ready():
        status = api.call("GET", f"/v1/tasks/status/{task_id}")
        return status if status["ready"] else None

    status = wait_for(ready, timeout, what)
    if status.get("error"):
        raise RuntimeError(f"{what}: celery task failed: {status['error']}")
    return status


def create_project(api: Api, name: str, tags: list[str], rel_types: list[str]) -> tuple[int, dict, dict]:
    """A sequence-labelling project with overlapping spans and relations allowed, and its span
    and relation types. Returns (project id, span type id by name, relation type id by name)."""
    project = api.call(
        "POST",
        "/v1/projects",
        {
            "name": name,
            "description": "Spanwright interop check",
            "guideline": "",
            "project_type": "SequenceLabeling",
            "resourcetype": "SequenceLabelingProject",
            "allow_overlapping": True,
            "use_relation": True,
            "grapheme_mode": False,
            "random_order": False,
            "collaborative_annotation": False,
        },
    )
    pid = project["id"]
    if not (project.get("allow_overlapping") and project.get("use_relation")):
        raise RuntimeError(f"doccano did not keep allow_overlapping/use_relation: {project}")
    for i, tag in enumerate([*tags, ADDED_TAG]):
        api.call("POST", f"/v1/projects/{pid}/span-types", {"text": tag, "background_color": COLORS[i % len(COLORS)], "text_color": "#ffffff"})
    for i, rel in enumerate(rel_types):
        api.call("POST", f"/v1/projects/{pid}/relation-types", {"text": rel, "background_color": COLORS[i % len(COLORS)], "text_color": "#ffffff"})
    return pid, *type_ids(api, pid)


def type_ids(api: Api, pid: int) -> tuple[dict, dict]:
    spans = {t["text"]: t["id"] for t in api.call("GET", f"/v1/projects/{pid}/span-types")}
    rels = {t["text"]: t["id"] for t in api.call("GET", f"/v1/projects/{pid}/relation-types")}
    return spans, rels


class ImportFailed(Exception):
    """doccano's import task itself failed (nothing was imported)."""


def upload(api: Api, pid: int, path: Path, extra: dict) -> list:
    """Uploads a file the way doccano's UI does (the UI posts {format, task, uploadIds} plus the
    option's form fields, none for JSONL(Relation)); returns the import's per-line errors, or
    raises ImportFailed with doccano's message when the whole task failed."""
    upload_id = api.call("POST", "/v1/fp/process/", files={"filepond": (path.name, path.read_bytes(), "application/octet-stream")}, raw=True)
    body = {"uploadIds": [upload_id.decode().strip()], "format": "JSONL", "task": "RelationExtraction", **extra}
    task = api.call("POST", f"/v1/projects/{pid}/upload", body)
    try:
        status = wait_task(api, task["task_id"], "doccano import")
    except RuntimeError as e:
        raise ImportFailed(str(e)) from None
    return (status.get("result") or {}).get("error", [])


def guessed_encoding(doccano_python: str | None, path: Path) -> str | None:
    """The encoding doccano's "Auto" picks for a file: its own detect_encoding (chardet), run in
    doccano's venv."""
    if not doccano_python:
        return None
    code = (
        "import importlib.util as u, sys; sys.path.insert(0, u.find_spec('backend').submodule_search_locations[0]);"
        "from data_import.pipeline.parsers import detect_encoding; print(detect_encoding(sys.argv[1]))"
    )
    p = subprocess.run([doccano_python, "-c", code, str(path)], capture_output=True, text=True)
    return p.stdout.strip() or None


def read_back(api: Api, pid: int) -> list[dict]:
    """Every example with its spans and relations, label and type ids resolved to names."""
    span_names = {v: k for k, v in type_ids(api, pid)[0].items()}
    rel_names = {v: k for k, v in type_ids(api, pid)[1].items()}
    examples, offset = [], 0
    while True:
        page = api.call("GET", f"/v1/projects/{pid}/examples?limit=100&offset={offset}")
        examples += page["results"]
        offset += len(page["results"])
        if not page.get("next") or not page["results"]:
            break
    examples.sort(key=lambda e: e["id"])  # creation order = the file's line order
    for e in examples:
        spans = api.call("GET", f"/v1/projects/{pid}/examples/{e['id']}/spans")
        e["spans"] = sorted(({**s, "tag": span_names.get(s["label"], s["label"])} for s in spans), key=lambda s: s["id"])
        rels = api.call("GET", f"/v1/projects/{pid}/examples/{e['id']}/relations")
        e["relations"] = [{**r, "type_name": rel_names.get(r["type"], r["type"])} for r in rels]
    return examples


def match_sets(examples: list[dict], originals: list[OSet]) -> list[tuple[dict, OSet | None]]:
    """Pairs each doccano example with the set its line came from: by the line's "id" (the set
    id, which doccano keeps in the example's meta), else by position."""
    by_id = {s.id: s for s in originals}
    pairs = []
    for i, e in enumerate(examples):
        s = by_id.get((e.get("meta") or {}).get("id"))
        if s is None and i < len(originals):
            s = originals[i]
        pairs.append((e, s))
    return pairs


def check_held(examples: list[dict], originals: list[OSet], skip_tags=(ADDED_TAG,)) -> tuple[int, int, int, list[str]]:
    """Checks the spans doccano holds, read in doccano's own unit (UTF-16), against the spans the
    workspace meant. Returns (spans, relations, mismatches, problems)."""
    problems: list[str] = []
    n_spans = n_rels = mismatches = 0
    if len(examples) != len(originals):
        problems.append(f"{len(originals)} lines exported (one per set), doccano holds {len(examples)} examples")
    for e, s in match_sets(examples, originals):
        place = f"example {e['id']}"
        text = e["text"]
        held = [sp for sp in e["spans"] if sp["tag"] not in skip_tags]
        n_spans += len(held)
        n_rels += len(e["relations"])
        if s is None:
            problems.append(f"{place}: no set in the workspace matches it")
            mismatches += len(held)
            continue
        place += f" (set {s.id!r})"
        if text != s.text:
            problems.append(
                f"{place}: doccano's text differs from the document: {text[:60]!r} instead of {s.text[:60]!r}"
                + (" (mojibake: the UTF-8 file was decoded with another encoding)" if _is_mojibake(text, s.text) else "")
            )
        # what the workspace meant, in doccano's unit, with the text it covers
        want = Counter((sp.tag, utf16_offset(s.text, sp.start), utf16_offset(s.text, sp.end), sp.text) for sp in s.spans)
        have = Counter((sp["tag"], sp["start_offset"], sp["end_offset"], utf16_slice(text, sp["start_offset"], sp["end_offset"])) for sp in held)
        missing, extra = want - have, have - want
        mismatches += max(sum(missing.values()), sum(extra.values()))
        # pair the leftovers in order to say what doccano shows instead of what was meant
        for w, h in zip(sorted(missing.elements(), key=lambda k: (k[1], k[0])), sorted(extra.elements(), key=lambda k: (k[1], k[0]))):
            problems.append(f"{place}: {w[0]} meant {w[3]!r} (UTF-16 {w[1]}..{w[2]}); doccano shows {h[3]!r} at {h[1]}..{h[2]}")
        for w in list(missing.elements())[len(extra) :]:
            problems.append(f"{place}: {w[0]} {w[3]!r} (UTF-16 {w[1]}..{w[2]}) not held by doccano")
        for h in list(extra.elements())[len(missing) :]:
            problems.append(f"{place}: doccano holds {h[0]} {h[3]!r} at {h[1]}..{h[2]}, which the workspace does not have")
        # relations, their ends by (tag, offsets)
        ends = {sp["id"]: (sp["tag"], sp["start_offset"], sp["end_offset"]) for sp in e["spans"]}
        want_r = Counter(
            (t, _u16key(s, s.span(a)), _u16key(s, s.span(b))) for t, a, b in s.relations
        )
        have_r = Counter((r["type_name"], ends.get(r["from_id"]), ends.get(r["to_id"])) for r in e["relations"])
        for k in (want_r - have_r).elements():
            problems.append(f"{place}: relation {k[0]} {k[1]} -> {k[2]} not held by doccano")
        for k in (have_r - want_r).elements():
            problems.append(f"{place}: doccano holds relation {k[0]} {k[1]} -> {k[2]}, which the workspace does not have")
        mismatches += max(sum((want_r - have_r).values()), sum((have_r - want_r).values()))
    return n_spans, n_rels, mismatches, problems


def _u16key(s: OSet, sp) -> tuple:
    return (sp.tag, utf16_offset(s.text, sp.start), utf16_offset(s.text, sp.end))


def _is_mojibake(got: str, want: str) -> bool:
    for enc in ("cp1252", "latin-1"):
        try:
            if want.encode("utf-8").decode(enc, "replace") == got or got.encode(enc, "replace").decode("utf-8", "replace") == want:
                return True
        except UnicodeError:
            pass
    return False


def add_span_after_emoji(api: Api, pid: int, examples: list[dict], span_ids: dict) -> dict | None:
    """Adds an ADDED span on the first word after an astral character, at its UTF-16 offsets
    (what doccano's UI stores when a user selects that word). Returns what was added."""
    for e in examples:
        found = first_word_after_astral(e["text"])
        if not found:
            continue
        start, end, word = found
        s16, e16 = utf16_offset(e["text"], start), utf16_offset(e["text"], end)
        created = api.call("POST", f"/v1/projects/{pid}/examples/{e['id']}/spans", {"label": span_ids[ADDED_TAG], "start_offset": s16, "end_offset": e16})
        shown = utf16_slice(e["text"], created["start_offset"], created["end_offset"])
        return {"example": e["id"], "text": e["text"], "word": word, "start": start, "end": end, "start16": s16, "end16": e16, "shown": shown}
    return None


def export_project(api: Api, pid: int, out: Path) -> Path:
    """doccano's export: a celery task writing a zip with one JSONL per member (or all.jsonl)."""
    task = api.call("POST", f"/v1/projects/{pid}/download", {"format": "JSONL", "exportApproved": False})
    wait_task(api, task["task_id"], "doccano export")
    content = api.call("GET", f"/v1/projects/{pid}/download?taskId={task['task_id']}", raw=True)
    (out.parent / "exported.zip").write_bytes(content)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        names = [n for n in z.namelist() if n.endswith(".jsonl")]
        out.write_bytes(b"".join(z.read(n) for n in names))
    return out


class _Skip(Exception):
    """This step is recorded already; go on with the next."""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True)
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--export-dir", required=True, type=Path, help="where the CLI wrote doccano.jsonl")
    p.add_argument("--workspace", required=True, type=Path)
    p.add_argument("--bin", required=True)
    p.add_argument("--results", required=True, type=Path)
    p.add_argument("--doccano-python", help="python of doccano's venv, to say which encoding \"Auto\" guesses")
    a = p.parse_args()

    results = Results(a.results, a.export_dir / "problems.txt")
    try:
        return check(a, results)
    except Exception as e:  # a crash of the check itself still gives a row, and the traceback
        results.problem("doccano: the check itself failed", [traceback.format_exc()])
        results.add(Row(CONSUMER, a.version, "check", 0, 0, "error", [f"{type(e).__name__}: {str(e)[:200]}"]))
        return 1


def check(a, results: Results) -> int:
    originals = load_originals(a.workspace)
    export_file = a.export_dir / "doccano.jsonl"
    lines = read_jsonl(export_file)
    units = sorted({str(l.get("offset_unit")) for l in lines})
    unit_note = f"export's offset_unit: {', '.join(units)}"
    hazards = splitlines_hazards(export_file)
    if hazards:
        unit_note += (
            f"; {hazards} line(s) hold U+2028/U+2029/U+0085 or another character unescaped on which Python's"
            " str.splitlines() cuts the line (doccano reads with `for line in f` and is not affected)"
        )
    tags = sorted({sp.tag for s in originals for sp in s.spans})
    rel_types = sorted({t for s in originals for t, _, _ in s.relations})
    api = login(a.url, a.username, a.password)
    status = 0

    # --- 1. the UI's parameters for JSONL(Relation): no encoding, so doccano guesses ("Auto")
    direction = "import doccano.jsonl, UI defaults (encoding Auto) → API read-back"
    try:
        guess = guessed_encoding(a.doccano_python, export_file)
        pid, _, _ = create_project(api, "Spanwright interop (UI defaults)", tags, rel_types)
        notes = [unit_note] + ([f"doccano's Auto encoding (chardet) guesses {guess} for the UTF-8 file"] if guess else [])
        try:
            errors = upload(api, pid, export_file, {})
        except ImportFailed as e:
            total = sum(len(s.spans) + len(s.relations) for s in originals)
            results.problem(f"doccano: {direction}", [f"the import failed as a whole, nothing imported: {e}"])
            results.add(Row(CONSUMER, a.version, direction, 0, 0, total, notes + [f"import failed: {e}"]))
            raise _Skip()
        examples = read_back(api, pid)
        n_spans, n_rels, mm, problems = check_held(examples, originals)
        if errors:
            problems = [f"import error: {json.dumps(err, ensure_ascii=False)}" for err in errors] + problems
            notes.append(f"{len(errors)} import error(s)")
        if any(e["text"] != s.text for e, s in match_sets(examples, originals) if s):
            notes.append("text changed on import (encoding guessed wrong)")
        results.problem(f"doccano: {direction}", problems)
        results.add(Row(CONSUMER, a.version, direction, n_spans, n_rels, mm, notes))
    except _Skip:
        pass
    except Exception as e:
        status = 1
        results.problem(f"doccano: {direction}", [traceback.format_exc()])
        results.add(Row(CONSUMER, a.version, direction, 0, 0, "error", [f"{type(e).__name__}: {str(e)[:200]}"]))

    # --- 2. the same file with "encoding": "utf_8", then a span added in doccano, then the export
    direction = "import doccano.jsonl, encoding utf_8 → API read-back (UTF-16)"
    try:
        pid, span_ids, _ = create_project(api, "Spanwright interop (utf_8)", tags, rel_types)
        errors = upload(api, pid, export_file, {"encoding": "utf_8"})
        examples = read_back(api, pid)
        n_spans, n_rels, mm, problems = check_held(examples, originals)
        notes = [unit_note]
        if errors:
            problems = [f"import error: {json.dumps(err, ensure_ascii=False)}" for err in errors] + problems
            notes.append(f"{len(errors)} import error(s)")
        results.problem(f"doccano: {direction}", problems)
        results.add(Row(CONSUMER, a.version, direction, n_spans, n_rels, mm, notes))
    except Exception as e:
        results.problem(f"doccano: {direction}", [traceback.format_exc()])
        results.add(Row(CONSUMER, a.version, direction, 0, 0, "error", [f"{type(e).__name__}: {str(e)[:200]}"]))
        return 1

    added_direction = "span added in doccano after an emoji → export → spanwright"
    export_direction = "export JSONL → spanwright convert --from doccano"
    try:
        added = add_span_after_emoji(api, pid, examples, span_ids)
        if added:
            print(f"  added {ADDED_TAG} on {added['word']!r}: code points {added['start']}..{added['end']}, UTF-16 {added['start16']}..{added['end16']}; doccano shows {added['shown']!r}")
        exported = export_project(api, pid, a.export_dir / "exported.jsonl")
        back_path = a.export_dir / "exported.spanwright.json"
        back_path.unlink(missing_ok=True)
        run = run_cli(a.bin, "convert", "--from", "doccano", "--to", "spanwright", str(exported), "-o", str(back_path))
        notes = [l.strip() for l in run.stderr.split("\n") if l.startswith(("note:", "refused:"))]
        partial = None
        if run.code == 1 and "refused:" in run.stderr:
            # Only parts were refused: convert the rest too, to check it.
            partial = run_cli(a.bin, "convert", "--partial", "--from", "doccano", "--to", "spanwright", str(exported), "-o", str(back_path))
            notes.append(f"CLI exit 1 (parts refused); rest checked with --partial (exit {partial.code})")
        total = sum(len(s.spans) + len(s.relations) for s in originals)
        if not back_path.exists():
            results.problem(f"doccano: {export_direction}", [run.describe()] + ([partial.describe()] if partial else []))
            first = " ".join(l.strip() for l in run.stderr.split("\n") if l.strip())[:300]
            results.add(Row(CONSUMER, a.version, export_direction, 0, 0, total, [f"CLI exit {run.code}: {first}"]))
            back = []
        else:
            back = load_workspace_sets(back_path)
            span_mm, rel_mm, problems = compare_round_trip(originals, back, ignore_tags=(ADDED_TAG,))
            if run.code not in (0, 1):
                problems.insert(0, run.describe())
            # what identifies sets and documents: doccano keeps each line's unknown keys (the
            # export's "id" and "meta") and writes them back, so the importer could use them
            exported_back = read_jsonl(exported)
            kept = [k for k in ("id", "meta", "offset_unit") if exported_back and all(k in l for l in exported_back)]
            if kept:
                notes.append(f"doccano's export carries the line keys {', '.join(kept)} back")
            for what, o, b in (
                ("document ids", sorted({s.doc_id for s in originals}), sorted({s.doc_id for s in back})),
                ("set ids", sorted(s.id for s in originals), sorted(s.id for s in back)),
                ("set names", sorted(s.name for s in originals), sorted(s.name for s in back)),
                ("annotators", sorted(s.annotator for s in originals), sorted(s.annotator for s in back)),
            ):
                if o != b:
                    notes.append(f"{what} not kept: {o[:3]} came back as {b[:3]}")
            results.problem(f"doccano: {export_direction}", problems)
            results.add(
                Row(
                    CONSUMER,
                    a.version,
                    export_direction,
                    sum(1 for s in back for sp in s.spans if sp.tag != ADDED_TAG),
                    sum(len(s.relations) for s in back),
                    span_mm + rel_mm,
                    notes,
                )
            )
        # the added span: on the same word, or refused with a message; never shifted
        if not added:
            results.add(Row(CONSUMER, a.version, added_direction, 0, 0, 0, ["not run: no document has a word after an astral character"]))
        else:
            landed = [(s, sp) for s in back for sp in s.spans if sp.tag == ADDED_TAG and s.text == added["text"]]
            refusals = [l for l in run.stderr.split("\n") if l.startswith("refused:")]
            want = f"{added['word']!r} at code points {added['start']}..{added['end']} (UTF-16 {added['start16']}..{added['end16']})"
            if landed and all((sp.start, sp.end) == (added["start"], added["end"]) for _, sp in landed):
                results.add(Row(CONSUMER, a.version, added_direction, len(landed), 0, 0, [f"lands on {want}"]))
            elif landed:
                s, sp = landed[0]
                line = f"the span added in doccano on {want} comes back at {sp.start}..{sp.end}, which is {s.text[sp.start:sp.end]!r} (shifted)"
                results.problem(f"doccano: {added_direction}", [line])
                results.add(Row(CONSUMER, a.version, added_direction, len(landed), 0, len(landed), [line]))
            elif refusals:
                results.problem(f"doccano: {added_direction}", refusals)
                results.add(Row(CONSUMER, a.version, added_direction, 0, 0, 0, [f"refused with a message: {refusals[0][:200]}"]))
            else:
                line = f"the span added in doccano on {want} did not come back and no refusal was reported"
                results.problem(f"doccano: {added_direction}", [line, run.describe()])
                results.add(Row(CONSUMER, a.version, added_direction, 0, 0, 1, [line]))
    except Exception as e:
        status = 1
        results.problem("doccano: adding a span / exporting", [traceback.format_exc()])
        results.add(Row(CONSUMER, a.version, export_direction, 0, 0, "error", [f"{type(e).__name__}: {str(e)[:200]}"]))
    return status


if __name__ == "__main__":
    sys.exit(main())
