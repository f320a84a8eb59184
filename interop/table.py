"""Prints the interop table from target/interop/results.jsonl, writes it to table.md, and exits
non-zero when any row has a mismatch or an error, or a consumer that should have run has no row.

    python3 interop/table.py RESULTS.jsonl TABLE.md --workspace WS --expect "Label Studio" --expect doccano
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

COLUMNS = ["consumer", "version", "direction", "regions", "relations", "mismatches"]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("results", type=Path)
    p.add_argument("table", type=Path)
    p.add_argument("--workspace", default="")
    p.add_argument("--expect", action="append", default=[], help="a consumer that must have rows")
    p.add_argument("--problems", action="append", default=[], help="problems files to point to")
    a = p.parse_args()

    rows = []
    if a.results.exists():
        # split on "\n" only: notes may quote text with U+2028, on which str.splitlines() splits
        rows = [json.loads(l) for l in a.results.read_text(encoding="utf-8").split("\n") if l.strip()]
    for consumer in a.expect:
        if not any(r["consumer"] == consumer for r in rows):
            rows.append({"consumer": consumer, "version": "?", "direction": "(did not run)", "regions": 0, "relations": 0, "mismatches": "error", "notes": ["no result: see the log above"]})

    lines = [
        f"Interop check of `{a.workspace}`" if a.workspace else "Interop check",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "| " + " | ".join("---" for _ in COLUMNS) + " |",
    ]
    for r in rows:
        lines.append("| " + " | ".join(str(r.get(c, "")) for c in COLUMNS) + " |")
    notes = [(i, r) for i, r in enumerate(rows, 1) if r.get("notes")]
    if notes:
        lines += ["", "Notes:"]
        for i, r in notes:
            for n in r["notes"]:
                lines.append(f"- {r['consumer']}, {r['direction']}: {n}")
    existing = [f for f in a.problems if Path(f).exists() and Path(f).stat().st_size]
    if existing:
        lines += ["", "Details: " + ", ".join(existing)]
    text = "\n".join(lines) + "\n"
    a.table.write_text(text, encoding="utf-8")
    print(text)
    bad = [r for r in rows if r.get("mismatches") != 0]
    if bad:
        print(f"interop: {len(bad)} row(s) with mismatches or errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
