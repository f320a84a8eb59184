//! doccano sequence-labelling JSONL, in its entities-and-relations form, and its import.
//!
//! Export, one line per set:
//! `{"id", "text", "entities": [{"id", "label", "start_offset", "end_offset"}],
//!   "relations": [{"id", "from_id", "to_id", "type"}], "offset_unit": "codepoint", "meta": {…}}`.
//! Offsets are code points, as for every Spanwright export, and each line says so.
//!
//! doccano itself counts UTF-16 code units (a span after an emoji is off by one per emoji
//! for Python, doccano#2290), so the importer reads offsets as UTF-16 units unless the line
//! says `"offset_unit": "codepoint"` (as Spanwright's own export does). Both doccano shapes
//! are read: `"label": [[start, end, "TAG"], …]` and `"entities"`/`"relations"`. doccano has
//! no span text to check against, so an offset inside a surrogate pair is the only unit error
//! it can catch; the report says which unit it assumed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{report_notes, views, Export, ExportFile, ImportError, Imported, Problem, OFFSET_UNIT};
use crate::model::{AnnotationSet, CharRange, Document, LabelSet, OffsetIndex, Origin, Relation, Span, Workspace};

#[derive(Serialize)]
struct LineOut<'a> {
    id: &'a str,
    text: &'a str,
    entities: Vec<EntityOut>,
    relations: Vec<RelationOut<'a>>,
    offset_unit: &'static str,
    meta: MetaOut<'a>,
}

#[derive(Serialize)]
struct MetaOut<'a> {
    document_id: &'a str,
    set_name: &'a str,
    annotator: &'a str,
}

#[derive(Serialize, Deserialize)]
struct EntityOut {
    id: u64,
    label: String,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    id: u64,
    from_id: u64,
    to_id: u64,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// One doccano line per set.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet]) -> Export {
    let mut report = Vec::new();
    let views = views(ws, sets, &mut report);
    report_notes(&views, "doccano", &mut report);
    let mut content = String::new();
    for v in &views {
        let line = LineOut {
            id: &v.set.id,
            text: &v.doc.text,
            entities: v
                .set
                .spans()
                .iter()
                .map(|s| EntityOut {
                    id: s.id,
                    label: ws.labels.tag(&s.label, s.entity_type.as_deref()),
                    start_offset: s.range.start(),
                    end_offset: s.range.end(),
                })
                .collect(),
            relations: v.set.relations().iter().map(|r| RelationOut { id: r.id, from_id: r.from, to_id: r.to, kind: &r.kind }).collect(),
            offset_unit: OFFSET_UNIT,
            meta: MetaOut { document_id: &v.doc.id, set_name: &v.set.name, annotator: &v.set.annotator },
        };
        content.push_str(&serde_json::to_string(&line).expect("serialisable"));
        content.push('\n');
    }
    if views.iter().any(|v| v.doc.text.chars().any(|c| c.len_utf16() == 2)) {
        report.push(
            "offsets are code points (\"offset_unit\": \"codepoint\" on each line); doccano's own importer counts UTF-16 units, so spans after an emoji or other astral character shift by one per such character inside doccano".into(),
        );
    }
    Export { files: vec![ExportFile { name: "doccano.jsonl".into(), media_type: "application/jsonl", content }], report }
}

/// Imports doccano JSONL. `labels` is the workspace schema: tags it lacks become new labels.
/// `at` stamps the new sets.
pub fn import(input: &str, labels: &LabelSet, at: &str) -> Result<Imported, ImportError> {
    let mut out = Imported { labels: labels.clone(), ..Imported::default() };
    let mut assumed_utf16 = false;
    for (n, raw) in input.lines().enumerate() {
        let line_no = n + 1;
        let raw = raw.trim_start_matches('\u{feff}');
        if raw.trim().is_empty() {
            continue;
        }
        let place = format!("line {line_no}");
        let value: Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(e) => {
                out.refused.push(Problem::new(format!("{place}, column {}", e.column()), format!("not valid JSON: {}", super::strip_position(&e.to_string()))));
                continue;
            }
        };
        let Some(text) = value.get("text").and_then(Value::as_str) else {
            out.refused.push(Problem::new(&place, "expected an object with a \"text\" string"));
            continue;
        };
        let codepoints = value.get("offset_unit").and_then(Value::as_str) == Some(OFFSET_UNIT);
        let index = OffsetIndex::new(text);
        if !codepoints && index.utf16_len() != index.char_len() {
            assumed_utf16 = true;
        }
        let doc = Document::new(format!("doccano-{}", &crate::model::document::sha256_hex(text)[..12]), text, Origin::User);
        let set_id = format!("doccano-{line_no}-{}", &doc.sha256[..8]);
        let name = value.get("meta").and_then(|m| m.get("set_name")).and_then(Value::as_str).map_or_else(|| format!("doccano line {line_no}"), str::to_owned);
        let mut set = AnnotationSet::new(set_id, name, "doccano", &doc, at);
        let len = index.char_len();

        // (id, start, end, tag) from either shape.
        let mut raw_spans: Vec<(Option<u64>, String, Value, Value, Value)> = Vec::new();
        if let Some(entities) = value.get("entities").and_then(Value::as_array) {
            for (i, e) in entities.iter().enumerate() {
                raw_spans.push((e.get("id").and_then(Value::as_u64), format!("{place}, entities[{i}]"), e["start_offset"].clone(), e["end_offset"].clone(), e["label"].clone()));
            }
        } else if let Some(list) = value.get("label").and_then(Value::as_array) {
            for (i, e) in list.iter().enumerate() {
                raw_spans.push((None, format!("{place}, label[{i}]"), e[0].clone(), e[1].clone(), e[2].clone()));
            }
        }
        let mut ids = std::collections::HashMap::new();
        for (k, (orig_id, sp, start, end, tag)) in raw_spans.into_iter().enumerate() {
            let (Some(start), Some(end), Some(tag)) = (start.as_u64(), end.as_u64(), tag.as_str()) else {
                out.refused.push(Problem::new(sp, format!("expected non-negative integer offsets and a string label, found {start}, {end}, {tag}")));
                continue;
            };
            let (start, end) = (start as usize, end as usize);
            let range = if codepoints { CharRange::new(start, end, len) } else { index.range_from_utf16(start, end) };
            let range = match range.map_err(|e| e.to_string()).and_then(|r| index.check_whole_clusters(r).map(|()| r)) {
                Ok(r) => r,
                Err(e) => {
                    let unit = if codepoints { "code points" } else { "UTF-16 units, as doccano counts" };
                    out.refused.push(Problem::new(sp, format!("offsets {start}..{end} ({unit}) do not fit the text: {e}")));
                    continue;
                }
            };
            let (label, entity_type) = tag_to_label(&mut out, tag);
            let id = k as u64 + 1;
            match set.insert_span(Span { id, range, label, entity_type, note: None }, len) {
                Ok(()) => {
                    if let Some(orig) = orig_id {
                        ids.insert(orig, id);
                    }
                }
                Err(e) => out.refused.push(Problem::new(sp, e.to_string())),
            }
        }
        for (i, r) in value.get("relations").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let rp = format!("{place}, relations[{i}]");
            let (Some(from), Some(to), Some(kind)) = (r["from_id"].as_u64(), r["to_id"].as_u64(), r["type"].as_str()) else {
                out.refused.push(Problem::new(rp, "expected integer from_id and to_id and a string type"));
                continue;
            };
            let (Some(&from), Some(&to)) = (ids.get(&from), ids.get(&to)) else {
                out.refused.push(Problem::new(rp, format!("relation between entities {from} and {to}, which are not both in the line")));
                continue;
            };
            let kind = relation_type(&mut out, kind);
            let id = set.fresh_id();
            if let Err(e) = set.insert_relation(Relation { id, kind, from, to }) {
                out.refused.push(Problem::new(rp, e.to_string()));
            }
        }
        if !out.documents.iter().any(|d| d.id == doc.id) {
            out.documents.push(doc);
        }
        out.sets.push(set);
    }
    if assumed_utf16 {
        out.notes.push("offsets were read as UTF-16 code units, as doccano counts them, and converted to code points".into());
    }
    if out.sets.is_empty() {
        let mut refused = out.refused;
        if refused.is_empty() {
            refused.push(Problem::new("the file", "no doccano lines (JSON objects with a \"text\" field, one per line)"));
        }
        return Err(ImportError::NothingUsable(refused));
    }
    Ok(out)
}

/// The label for a tag, adding a new label when the schema has none.
pub(super) fn tag_to_label(out: &mut Imported, tag: &str) -> (String, Option<String>) {
    if let Some(found) = out.labels.from_tag(tag) {
        return found;
    }
    let mut id: String = tag.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if id.is_empty() || out.labels.label(&id).is_some() || out.labels.entity_type(&id).is_some() {
        id = format!("label-{}", out.labels.labels.len() + 1);
    }
    let color = LabelSet::palette_color(out.labels.labels.len()).to_owned();
    let label = crate::model::Label { id: id.clone(), name: tag.to_owned(), tag: tag.to_owned(), color, key: None, typed: false };
    match out.labels.add_label(label) {
        Ok(()) => out.notes.push(format!("added the label “{tag}”, which the workspace did not have")),
        Err(e) => out.notes.push(format!("could not add the label “{tag}”: {e}")),
    }
    (id, None)
}

/// The relation type for a name, adding it when the schema has none.
pub(super) fn relation_type(out: &mut Imported, kind: &str) -> String {
    let id: String = kind.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if out.labels.relation_type(&id).is_none()
        && out.labels.add_relation_type(crate::model::RelationType { id: id.clone(), name: kind.to_owned() }).is_ok()
    {
        out.notes.push(format!("added the relation type “{kind}”"));
    }
    id
}
