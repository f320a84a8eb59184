"""Shared helpers for `make interop` (scripts/interop.sh).

Standard library only: the driver runs on the system python3, not in the tools' virtual
environments, so it needs nothing installed.

What lives here:
- `Api`: a small JSON-over-HTTP client (urllib) with multipart upload, for the REST APIs of
  Label Studio and doccano;
- `load_originals`: the spans and relations of a Spanwright JSON file (workspace or set), with
  the tag each export writes, as the ground truth every check compares against;
- offset helpers between code points (Python `str` indices, Spanwright's unit) and UTF-16 code
  units (doccano's unit);
- `run_cli`: runs `spanwright convert` and keeps its exit code and standard error;
- `Results`: rows for the final table, appended to target/interop/results.jsonl;
- a command line for the shell script: `free-port` and `wait-http`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------------------------
# HTTP


class ApiError(Exception):
    """A request that did not answer with a 2xx status."""

    def __init__(self, method: str, url: str, status: int, body: bytes):
        self.status = status
        self.body = body.decode("utf-8", "replace")
        super().__init__(f"{method} {url} -> HTTP {status}: {self.body[:600]}")


class Api:
    """JSON API client: `call` returns the parsed JSON answer (or bytes with raw=True)."""

    def __init__(self, base: str, headers: dict[str, str] | None = None, timeout: float = 120):
        self.base = base.rstrip("/")
        self.headers = dict(headers or {})
        self.timeout = timeout

    def call(self, method: str, path: str, body=None, *, files: dict | None = None, raw: bool = False):
        url = self.base + path
        headers = dict(self.headers)
        data = None
        if files is not None:
            # multipart/form-data: files maps field name -> (file name, bytes, content type)
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (body or {}).items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
            for name, (filename, content, ctype) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {ctype}\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            parts.append(f"--{boundary}--\r\n".encode())
            data = b"".join(parts)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                content = response.read()
        except urllib.error.HTTPError as e:
            raise ApiError(method, url, e.code, e.read()) from None
        if raw:
            return content
        if not content:
            return None
        return json.loads(content)


def wait_for(predicate, timeout: float, what: str, interval: float = 1.0):
    """Calls predicate() until it returns something truthy; raises TimeoutError after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


# --------------------------------------------------------------------------------------------
# Offsets


def utf16_offset(text: str, codepoint_index: int) -> int:
    """UTF-16 code units before code point `codepoint_index` (astral characters count 2)."""
    return codepoint_index + sum(1 for c in text[:codepoint_index] if ord(c) > 0xFFFF)


def utf16_slice(text: str, start: int, end: int) -> str:
    """text[start:end] with start/end counted in UTF-16 code units, as doccano and JavaScript count.

    A boundary inside a surrogate pair gives lone-surrogate halves, shown as \\udXXX escapes,
    so a wrong offset is visible rather than an exception."""
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * start : 2 * end].decode("utf-16-le", "backslashreplace")


def first_word_after_astral(text: str):
    """(code-point start, end, word) of the first word that follows an astral character
    (an emoji such as 🚀), or None when the text has no astral character followed by a word."""
    import re

    for i, c in enumerate(text):
        if ord(c) > 0xFFFF:
            m = re.compile(r"\w+").search(text, i + 1)
            if m:
                return m.start(), m.end(), m.group()
    return None


# --------------------------------------------------------------------------------------------
# The ground truth: a Spanwright JSON file


# Spanwright's default schema, used when a file has no "labels" (the field is optional).
DEFAULT_LABELS = {
    "labels": [
        {"id": "claim", "tag": "CLAIM"},
        {"id": "quote", "tag": "QUOTE"},
        {"id": "entity", "tag": "ENTITY"},
    ],
    "entity_types": [
        {"id": "person", "tag": "PERSON"},
        {"id": "organisation", "tag": "ORG"},
        {"id": "location", "tag": "LOC"},
    ],
}


@dataclass
class OSpan:
    id: int
    start: int  # code points
    end: int
    tag: str
    text: str
    note: str | None = None

    @property
    def key(self):
        return (self.start, self.end, self.tag)


@dataclass
class OSet:
    id: str
    doc_id: str
    text: str
    spans: list[OSpan]
    relations: list[tuple[str, int, int]]  # (type, from span id, to span id)
    name: str = ""
    annotator: str = ""

    def span(self, sid: int) -> OSpan:
        return next(s for s in self.spans if s.id == sid)

    def relation_keys(self) -> Counter:
        return Counter((t, self.span(a).key, self.span(b).key) for t, a, b in self.relations)


def span_tag(labels: dict, label_id: str, entity_type: str | None) -> str:
    """The training tag Spanwright writes: the entity type's tag, else the label's."""
    if entity_type:
        for et in labels.get("entity_types", []):
            if et["id"] == entity_type:
                return et["tag"]
    for lab in labels.get("labels", []):
        if lab["id"] == label_id:
            return lab["tag"]
    return label_id.upper()


def load_workspace_sets(path: Path) -> list[OSet]:
    """Every set of a Spanwright JSON file, with its document's text and tags resolved."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    labels = data.get("labels") or DEFAULT_LABELS
    docs = {d["id"]: d["text"] for d in data.get("documents", [])}
    out = []
    for s in data.get("sets", []):
        text = docs[s["document"]]
        spans = [
            OSpan(
                sp["id"],
                sp["start"],
                sp["end"],
                span_tag(labels, sp["label"], sp.get("entity_type")),
                text[sp["start"] : sp["end"]],
                sp.get("note"),
            )
            for sp in s.get("spans", [])
        ]
        rels = [(r["type"], r["from"], r["to"]) for r in s.get("relations", [])]
        out.append(OSet(s["id"], s["document"], text, spans, rels, s.get("name", ""), s.get("annotator", "")))
    return out


load_originals = load_workspace_sets


def by_text(sets: list[OSet]):
    """Spans and relations per document text, over all sets on that text: the comparison key for
    round trips, where set and document ids are not kept by every tool."""
    spans: dict[str, Counter] = {}
    rels: dict[str, Counter] = {}
    for s in sets:
        spans.setdefault(s.text, Counter()).update(sp.key for sp in s.spans)
        rels.setdefault(s.text, Counter()).update(s.relation_keys())
    return spans, rels


def compare_round_trip(originals: list[OSet], back: list[OSet], ignore_tags=()) -> tuple[int, int, list[str]]:
    """Mismatches between the original spans/relations and those a round trip gave back, per
    document text. Returns (span mismatches, relation mismatches, problem lines)."""
    o_spans, o_rels = by_text(originals)
    b_spans, b_rels = by_text(back)
    problems = []
    span_mm = rel_mm = 0
    for text in sorted(set(o_spans) | set(b_spans)):
        name = repr(text[:40] + ("…" if len(text) > 40 else ""))
        if text not in b_spans:
            problems.append(f"document {name}: not in the round trip at all (its text did not come back unchanged?)")
            span_mm += sum(o_spans[text].values())
            rel_mm += sum(o_rels[text].values())
            continue
        if text not in o_spans:
            problems.append(f"document {name}: in the round trip but not in the original (text changed?)")
            continue
        b = Counter({k: v for k, v in b_spans[text].items() if k[2] not in ignore_tags})
        missing = o_spans[text] - b
        extra = b - o_spans[text]
        for (s, e, t), n in sorted(missing.items()):
            problems.append(f"document {name}: span {t} {s}..{e} {text[s:e]!r} missing after the round trip")
        for (s, e, t), n in sorted(extra.items()):
            problems.append(f"document {name}: span {t} {s}..{e} {text[s:e]!r} appeared in the round trip (shifted or new)")
        span_mm += max(sum(missing.values()), sum(extra.values()))
        br = Counter({k: v for k, v in b_rels[text].items() if k[1][2] not in ignore_tags and k[2][2] not in ignore_tags})
        rmissing = o_rels[text] - br
        rextra = br - o_rels[text]
        for (t, a, b2), n in sorted(rmissing.items()):
            problems.append(f"document {name}: relation {t} {a} -> {b2} missing after the round trip")
        for (t, a, b2), n in sorted(rextra.items()):
            problems.append(f"document {name}: relation {t} {a} -> {b2} appeared in the round trip")
        rel_mm += max(sum(rmissing.values()), sum(rextra.values()))
    return span_mm, rel_mm, problems


def read_jsonl(path: Path) -> list:
    """JSON Lines, split on "\n" only, as the JSON Lines spec says. Not str.splitlines(): it also
    splits on U+2028, U+2029, U+0085 and a few control characters, which JSON leaves raw inside
    strings, and so cuts such a line in two."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").split("\n") if line.strip()]


SPLITLINES_BREAKERS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def splitlines_hazards(path: Path) -> int:
    """How many lines of a JSONL file hold a character on which str.splitlines() breaks a line."""
    return sum(1 for line in Path(path).read_text(encoding="utf-8").split("\n") if any(c in line for c in SPLITLINES_BREAKERS))


# --------------------------------------------------------------------------------------------
# The CLI


@dataclass
class CliRun:
    argv: list[str]
    code: int
    stderr: str

    def describe(self) -> str:
        lines = "\n    ".join(self.stderr.strip().split("\n")) or "(no output)"
        return f"$ {' '.join(self.argv)}\n  exit {self.code}\n    {lines}"


def run_cli(binary: str, *args: str) -> CliRun:
    argv = [binary, *args]
    p = subprocess.run(argv, capture_output=True, text=True)
    return CliRun(argv, p.returncode, p.stderr)


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class Row:
    consumer: str
    version: str
    direction: str
    regions: int | str = 0
    relations: int | str = 0
    mismatches: int | str = 0
    notes: list[str] = field(default_factory=list)


class Results:
    """Rows for the table, appended one JSON line each to results.jsonl (so a crash in one
    tool's check keeps the rows of the other), and problem lines to <tool>/problems.txt."""

    def __init__(self, path: Path, problems_path: Path):
        self.path = Path(path)
        self.problems_path = Path(problems_path)

    def add(self, row: Row):
        row.notes = list(dict.fromkeys(row.notes))  # once each, in order
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row.__dict__, ensure_ascii=False) + "\n")
        print(f"  -> {row.direction}: regions {row.regions}, relations {row.relations}, mismatches {row.mismatches}", flush=True)

    def problem(self, heading: str, lines):
        lines = list(lines)
        if not lines:
            return
        with self.problems_path.open("a", encoding="utf-8") as f:
            f.write(f"## {heading}\n")
            for line in lines:
                f.write(f"- {line}\n")
            f.write("\n")
        print(f"  problems ({heading}):", flush=True)
        for line in lines[:30]:
            print(f"    - {line}", flush=True)
        if len(lines) > 30:
            print(f"    … {len(lines) - 30} more in {self.problems_path}", flush=True)


# --------------------------------------------------------------------------------------------
# Command line for scripts/interop.sh


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float, pid: int | None, log: str | None) -> int:
    """Waits until url answers 200, the process `pid` dies (fails at once), or timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if pid and not Path(f"/proc/{pid}").exists():
            print(f"the server process {pid} exited before {url} answered; see {log}", file=sys.stderr)
            return 1
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    print(f"{url} ready after {time.monotonic() - start:.0f} s", file=sys.stderr)
                    return 0
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    print(f"{url} did not answer within {timeout:.0f} s; see {log}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "free-port":
        print(_free_port())
    elif cmd == "wait-http":
        # wait-http URL TIMEOUT [PID] [LOG]
        url, timeout = sys.argv[2], float(sys.argv[3])
        pid = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
        log = sys.argv[5] if len(sys.argv) > 5 else None
        sys.exit(_wait_http(url, timeout, pid, log))
    else:
        print("usage: common.py free-port | wait-http URL TIMEOUT [PID] [LOG]", file=sys.stderr)
        sys.exit(2)
