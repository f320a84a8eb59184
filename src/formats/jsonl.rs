//! JSON Lines for spaCy and Hugging Face `datasets`: one line per annotation set.
//!
//! ```json
//! {"id": "<set id>", "text": "...", "meta": {"document_id", "title", "date", "set_id",
//!  "set_name", "annotator", "sha256", "offset_unit": "codepoint"},
//!  "spans": [{"id", "start", "end", "label", "text", "kind", "entity_type", "note",
//!             "provenance": null | {"how", "from", "votes", "of", "edited", "source", "detail"}}],
//!  "relations": [{"id", "type", "head", "child"}]}
//! ```
//!
//! U+0085, U+2028 and U+2029 are written as `\u` escapes: they are valid in JSON, but
//! Python's `str.splitlines()` ends a line at each, which would cut a row in two.
//!
//! Every row carries every key, in this order, with `null` where a value is empty (`date`,
//! `entity_type`, `note`, `provenance` and the keys of a provenance that do not apply): `datasets` infers a schema per file and per block of about 10 MB
//! and fails the cast when a key is missing from one shard or block. A block whose rows have
//! only nulls, or only empty `relations`, still infers a narrower type than the others, so
//! the README gives the `datasets.Features` that load every split the same way
//! (`tests/consumers/` loads them).
//!
//! `label` is the training tag (`CLAIM`, `QUOTE`, `PERSON`, `ORG`…); `kind` is the Spanwright
//! label (`claim`, `quote`, `entity`). Spans are objects, never mixed-type arrays (pyarrow
//! cannot read those, datasets#6460). `start`/`end` are Python `str` indices:
//! `doc.char_span(s["start"], s["end"], label=s["label"])` and `text[start:end] == s["text"]`.
//! Overlapping spans are all kept: put them in `doc.spans["sc"]`, not `doc.ents`.

use serde::Serialize;

use super::{views, Export, ExportFile, OFFSET_UNIT};
use crate::model::{AnnotationSet, Provenance, Workspace};

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    text: &'a str,
    meta: Meta<'a>,
    spans: Vec<SpanOut<'a>>,
    relations: Vec<RelationOut<'a>>,
}

#[derive(Serialize)]
struct Meta<'a> {
    document_id: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    set_id: &'a str,
    set_name: &'a str,
    annotator: &'a str,
    sha256: &'a str,
    offset_unit: &'static str,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    id: u64,
    start: usize,
    end: usize,
    label: String,
    text: &'a str,
    kind: &'a str,
    entity_type: Option<&'a str>,
    note: Option<&'a str>,
    provenance: Option<ProvenanceOut<'a>>,
}

/// A span's provenance with every key, `null` where it does not apply, so that `datasets`
/// reads one struct type for all rows.
#[derive(Serialize)]
struct ProvenanceOut<'a> {
    how: &'static str,
    from: &'a [String],
    votes: Option<usize>,
    of: Option<usize>,
    edited: Option<bool>,
    source: Option<&'a str>,
    detail: Option<&'a str>,
}

impl<'a> ProvenanceOut<'a> {
    fn new(p: &'a Provenance) -> Self {
        let mut out = ProvenanceOut { how: "", from: p.from(), votes: None, of: None, edited: None, source: None, detail: None };
        match p {
            Provenance::Unanimous { .. } => out.how = "unanimous",
            Provenance::Majority { votes, of, .. } => (out.how, out.votes, out.of) = ("majority", Some(*votes), Some(*of)),
            Provenance::Adjudicated { edited, .. } => (out.how, out.edited) = ("adjudicated", Some(*edited)),
            Provenance::Suggested { source, detail } => (out.how, out.source, out.detail) = ("suggested", Some(source.as_str()), Some(detail.as_str())),
        }
        out
    }
}

#[derive(Serialize)]
struct RelationOut<'a> {
    id: u64,
    #[serde(rename = "type")]
    kind: &'a str,
    head: u64,
    child: u64,
}

/// One JSON line per set.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet], progress: &mut dyn FnMut(usize, usize)) -> Export {
    let mut report = Vec::new();
    let mut content = String::new();
    let views = views(ws, sets, &mut report);
    let mut tick = super::Ticker::new(progress, &views);
    for v in &views {
        let line = Line {
            id: &v.set.id,
            text: &v.doc.text,
            meta: Meta {
                document_id: &v.doc.id,
                title: &v.doc.header.title,
                date: v.doc.header.date.as_deref(),
                set_id: &v.set.id,
                set_name: &v.set.name,
                annotator: &v.set.annotator,
                sha256: &v.doc.sha256,
                offset_unit: OFFSET_UNIT,
            },
            spans: v
                .set
                .spans()
                .iter()
                .map(|s| SpanOut {
                    id: s.id,
                    start: s.range.start(),
                    end: s.range.end(),
                    label: ws.labels.tag(&s.label, s.entity_type.as_deref()),
                    text: v.index.slice(s.range),
                    kind: &s.label,
                    entity_type: s.entity_type.as_deref(),
                    note: s.note.as_deref(),
                    provenance: s.provenance.as_ref().map(ProvenanceOut::new),
                })
                .collect(),
            relations: v.set.relations().iter().map(|r| RelationOut { id: r.id, kind: &r.kind, head: r.from, child: r.to }).collect(),
        };
        content.push_str(&super::json_line(&line, super::Escape::LineSeparators));
        content.push('\n');
        tick.wrote(v);
    }
    Export { files: vec![ExportFile { name: "spans.jsonl".into(), media_type: "application/jsonl", content }], report }
}
