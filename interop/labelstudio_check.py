"""Label Studio interop check (run by scripts/interop.sh against a running Label Studio).

1. Creates a project whose labeling config names `label`/`text` and every tag and relation
   type the export uses: the export's own `label-studio-config.xml` when the CLI wrote one,
   else one computed here from the tags in label-studio.json.
2. Uploads label-studio.json as a file through the import API, as the UI's import dialog
   does, and reads every task and annotation back through the API. Each region must satisfy
   `data.text[start:end] == value.text` (code points) and equal the exported region (same
   start, end, labels, text); relations must come back between the same regions.
3. Exports the project from Label Studio as JSON and JSON_MIN and feeds each file to
   `spanwright convert --from labelstudio --to spanwright`; the spans (start, end, tag per
   document) and relations that come back must equal the original workspace's.

Every finding goes to the table row's notes and to target/interop/ls/problems.txt.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import quoteattr

from common import Api, ApiError, Results, Row, compare_round_trip, load_originals, load_workspace_sets, run_cli

CONSUMER = "Label Studio"


def export_tags(tasks: list) -> tuple[list[str], list[str]]:
    """Tags of the regions and types of the relations in a Label Studio task list, in order of
    first use."""
    tags, rels = [], []
    for task in tasks:
        for ann in task.get("annotations", []) + task.get("predictions", []):
            for r in ann.get("result", []):
                if r.get("type") == "labels":
                    for t in r["value"].get("labels", []):
                        tags.append(t) if t not in tags else None
                elif r.get("type") == "relation":
                    for t in r.get("labels", []):
                        rels.append(t) if t not in rels else None
    return tags, rels


def computed_config(tags: list[str], rels: list[str]) -> str:
    labels = "\n".join(f"    <Label value={quoteattr(t)}/>" for t in tags)
    relations = "\n".join(f"    <Relation value={quoteattr(t)}/>" for t in rels)
    return (
        "<View>\n"
        f'  <Labels name="label" toName="text">\n{labels}\n  </Labels>\n'
        '  <Text name="text" value="$text"/>\n'
        f"  <Relations>\n{relations}\n  </Relations>\n"
        "</View>\n"
    )


def labeling_config(export_dir: Path, tasks: list, notes: list[str], problems: list[str]) -> str:
    """The export's label-studio-config.xml when present (checked to cover every tag and
    relation type in the tasks), else a config computed from the tasks."""
    tags, rels = export_tags(tasks)
    path = export_dir / "label-studio-config.xml"
    if not path.exists():
        notes.append("config computed here: the export has no label-studio-config.xml")
        return computed_config(tags, rels)
    config = path.read_text(encoding="utf-8")
    notes.append("config from the export's label-studio-config.xml")
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(config)
    except ET.ParseError as e:
        problems.append(f"label-studio-config.xml is not well-formed XML: {e}")
        return config
    label_values = {e.get("value") for e in root.iter("Label")}
    relation_values = {e.get("value") for e in root.iter("Relation")}
    for t in tags:
        if t not in label_values:
            problems.append(f"label-studio-config.xml has no <Label value={t!r}> but the export uses that tag")
    for t in rels:
        if t not in relation_values:
            problems.append(f"label-studio-config.xml has no <Relation value={t!r}> but the export uses that relation type")
    if not any(e.get("name") == "label" and e.get("toName") == "text" for e in root.iter("Labels")):
        problems.append('label-studio-config.xml has no <Labels name="label" toName="text">, which the regions name')
    if not any(e.get("name") == "text" and e.get("value") == "$text" for e in root.iter("Text")):
        problems.append('label-studio-config.xml has no <Text name="text" value="$text">')
    return config


def region_key(r: dict):
    v = r["value"]
    return (v.get("start"), v.get("end"), tuple(v.get("labels", [])), v.get("text"))


def relation_keys(result: list) -> Counter:
    """Relations as (from region, to region, labels, direction), regions by their content, so
    the comparison does not rest on region ids."""
    regions = {r.get("id"): region_key(r) for r in result if r.get("type") == "labels"}
    return Counter(
        (regions.get(r.get("from_id")), regions.get(r.get("to_id")), tuple(r.get("labels", [])), r.get("direction"))
        for r in result
        if r.get("type") == "relation"
    )


def check_import(api: Api, pid: int, tasks: list, results: Results, version: str, notes: list[str], config_problems: int = 0):
    """Reads the imported tasks back and checks every region against the text and the export."""
    problems: list[str] = []
    listed = api.call("GET", f"/api/tasks?project={pid}&page_size=100000")
    held = listed["tasks"] if isinstance(listed, dict) else listed
    if len(held) != len(tasks):
        problems.append(f"{len(tasks)} tasks exported, Label Studio holds {len(held)}")
    by_doc = {}
    for t in held:
        by_doc.setdefault((t["data"].get("document_id"), t["data"].get("text")), []).append(t)
    regions = relations = 0
    mismatches = config_problems  # a config that does not cover the export fails the import row
    for i, task in enumerate(tasks):
        key = (task["data"].get("document_id"), task["data"].get("text"))
        candidates = by_doc.get(key) or []
        if not candidates:
            problems.append(f"task [{i}] (document {key[0]!r}): no task with the same document_id and identical text in Label Studio")
            mismatches += sum(len(a.get("result", [])) for a in task.get("annotations", []))
            continue
        ls_task = candidates.pop(0)
        text = ls_task["data"]["text"]
        anns = sorted(api.call("GET", f"/api/tasks/{ls_task['id']}/annotations/"), key=lambda a: a["id"])
        if len(anns) != len(task.get("annotations", [])):
            problems.append(f"task [{i}]: {len(task.get('annotations', []))} annotations exported, {len(anns)} held")
        if any("meta" in a for a in task.get("annotations", [])) and not any(a.get("meta") for a in anns):
            notes.append("annotation meta (set_id, set_name, annotator) not kept by Label Studio")
        for a, (orig, back) in enumerate(zip(task.get("annotations", []), anns)):
            place = f"task [{i}] annotation [{a}]"
            back_regions = [r for r in back["result"] if r.get("type") == "labels"]
            regions += len(back_regions)
            relations += sum(1 for r in back["result"] if r.get("type") == "relation")
            # 1. each region against the text, by Python (code point) slicing
            for r in back_regions:
                v = r["value"]
                got = text[v["start"] : v["end"]]
                if got != v.get("text"):
                    mismatches += 1
                    problems.append(
                        f"{place} region {r.get('id')} {v.get('labels')}: text[{v['start']}:{v['end']}] is {got!r}, value.text is {v.get('text')!r}"
                    )
            # 2. the regions as a whole against the export
            want = Counter(region_key(r) for r in orig.get("result", []) if r.get("type") == "labels")
            have = Counter(region_key(r) for r in back_regions)
            for k, n in (want - have).items():
                problems.append(f"{place}: exported region {k} not held by Label Studio")
            for k, n in (have - want).items():
                problems.append(f"{place}: Label Studio holds region {k}, which was not exported")
            mismatches += max(sum((want - have).values()), sum((have - want).values()))
            # 3. relations between the same regions
            want_r, have_r = relation_keys(orig.get("result", [])), relation_keys(back["result"])
            for k, n in (want_r - have_r).items():
                problems.append(f"{place}: exported relation {k} not held by Label Studio")
            for k, n in (have_r - want_r).items():
                problems.append(f"{place}: Label Studio holds relation {k}, which was not exported")
            mismatches += max(sum((want_r - have_r).values()), sum((have_r - want_r).values()))
            # 4. notes (region meta.text) kept
            want_notes = Counter((r.get("id"), json.dumps(r.get("meta"))) for r in orig.get("result", []) if r.get("meta"))
            have_notes = Counter((r.get("id"), json.dumps(r.get("meta"))) for r in back_regions if r.get("meta"))
            if want_notes - have_notes:
                problems.append(f"{place}: {sum((want_notes - have_notes).values())} region notes (meta.text) not kept")
    results.problem("Label Studio: import, read back through the API", problems)
    results.add(Row(CONSUMER, version, "import label-studio.json → API read-back", regions, relations, mismatches, notes))


def check_export(api: Api, pid: int, fmt: str, out_dir: Path, binary: str, originals, results: Results, version: str):
    """Exports from Label Studio in `fmt`, converts that back to Spanwright, and compares."""
    problems: list[str] = []
    notes: list[str] = []
    content = api.call("GET", f"/api/projects/{pid}/export?exportType={fmt}&download_all_tasks=true", raw=True)
    path = out_dir / f"exported-{fmt}.json"
    path.write_bytes(content)
    back_path = out_dir / f"exported-{fmt}.spanwright.json"
    back_path.unlink(missing_ok=True)
    run = run_cli(binary, "convert", "--from", "labelstudio", "--to", "spanwright", str(path), "-o", str(back_path))
    direction = f"export {fmt} → spanwright convert --from labelstudio"
    total_spans = sum(len(s.spans) for s in originals)
    total_rels = sum(len(s.relations) for s in originals)
    if run.code != 0:
        first = " ".join(l.strip() for l in run.stderr.split("\n") if l.strip())[:300]
        notes.append(f"CLI exit {run.code}: {first}")
        problems.append(run.describe())
        results.problem(f"Label Studio: {direction}", problems)
        results.add(Row(CONSUMER, version, direction, 0, 0, total_spans + total_rels, notes))
        return
    for line in run.stderr.split("\n"):
        if line.startswith(("note:", "refused:")):
            notes.append(line.strip())
    back = load_workspace_sets(back_path)
    span_mm, rel_mm, lines = compare_round_trip(originals, back)
    if rel_mm and "no relations" in run.stderr and not any(s.relations for s in back):
        # A format without relations (JSON_MIN), and the CLI said so: a declared loss, not a
        # mismatch. An undeclared loss stays a mismatch.
        notes.append(f"{rel_mm} relations not carried: the format has none, and the CLI says so")
        lines = [l for l in lines if ": relation " not in l]
        rel_mm = 0
    problems += lines
    # notes (region meta.text) should survive JSON; JSON_MIN has no place for them
    want_notes = Counter((s.text, sp.key, sp.note) for s in originals for sp in s.spans if sp.note)
    have_notes = Counter((s.text, sp.key, sp.note) for s in back for sp in s.spans if sp.note)
    lost = sum((want_notes - have_notes).values())
    if lost and "no notes" in run.stderr and not have_notes:
        notes.append(f"{lost} span notes not carried: the format has none, and the CLI says so")
    elif lost:
        notes.append(f"{lost} of {sum(want_notes.values())} span notes lost")
        problems.append(f"{lost} of {sum(want_notes.values())} span notes lost without a word from the CLI")
    # what a set is (id, name, annotator) rides in annotation meta, which Label Studio drops
    o_names = sorted(s.name for s in originals)
    b_names = sorted(s.name for s in back)
    if o_names != b_names:
        notes.append(f"set names not kept (back as e.g. {b_names[0]!r})" if b_names else "no sets back")
    results.problem(f"Label Studio: {direction}", problems)
    results.add(
        Row(
            CONSUMER,
            version,
            direction,
            sum(len(s.spans) for s in back),
            sum(len(s.relations) for s in back),
            span_mm + rel_mm,
            notes,
        )
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--export-dir", required=True, type=Path, help="where the CLI wrote label-studio.json")
    p.add_argument("--workspace", required=True, type=Path, help="the Spanwright JSON that was exported")
    p.add_argument("--bin", required=True, help="target/release/spanwright")
    p.add_argument("--results", required=True, type=Path)
    a = p.parse_args()

    results = Results(a.results, a.export_dir / "problems.txt")
    api = Api(a.url, {"Authorization": f"Token {a.token}"})
    originals = load_originals(a.workspace)
    export_file = a.export_dir / "label-studio.json"
    tasks = json.loads(export_file.read_text(encoding="utf-8"))
    notes: list[str] = []
    try:
        config_problems: list[str] = []
        config = labeling_config(a.export_dir, tasks, notes, config_problems)
        (a.export_dir / "config-used.xml").write_text(config, encoding="utf-8")
        if config_problems:
            results.problem("Label Studio: labeling config", config_problems)
        try:
            project = api.call("POST", "/api/projects", {"title": "Spanwright interop", "label_config": config})
        except ApiError as e:
            results.problem("Label Studio: creating the project with the labeling config", [str(e)])
            results.add(Row(CONSUMER, a.version, "import label-studio.json → API read-back", 0, 0, "error", ["project refused: see problems"]))
            return 1
        pid = project["id"]
        # Upload the file, as the import dialog does (multipart), rather than posting JSON.
        try:
            imported = api.call(
                "POST", f"/api/projects/{pid}/import", files={"file": ("label-studio.json", export_file.read_bytes(), "application/json")}
            )
        except ApiError as e:
            results.problem("Label Studio: importing label-studio.json", [str(e)])
            results.add(Row(CONSUMER, a.version, "import label-studio.json → API read-back", 0, 0, "error", ["import refused: see problems"]))
            return 1
        want_anns = sum(len(t.get("annotations", [])) for t in tasks)
        if imported.get("task_count") != len(tasks) or imported.get("annotation_count") != want_anns:
            notes.append(f"import reported {imported.get('task_count')} tasks / {imported.get('annotation_count')} annotations, expected {len(tasks)} / {want_anns}")
        if len(config_problems):
            notes.append(f"{len(config_problems)} labeling-config problem(s)")
        check_import(api, pid, tasks, results, a.version, notes, len(config_problems))
        for fmt in ("JSON", "JSON_MIN"):
            try:
                check_export(api, pid, fmt, a.export_dir, a.bin, originals, results, a.version)
            except Exception as e:  # one export failing must not hide the other
                results.problem(f"Label Studio: export {fmt}", [traceback.format_exc()])
                results.add(Row(CONSUMER, a.version, f"export {fmt} → spanwright convert --from labelstudio", 0, 0, "error", [str(e)[:200]]))
    except Exception as e:
        results.problem("Label Studio: the check itself failed", [traceback.format_exc()])
        results.add(Row(CONSUMER, a.version, "check", 0, 0, "error", [f"{type(e).__name__}: {str(e)[:200]}"]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
