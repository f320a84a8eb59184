//! doccano sequence-labelling JSONL, in its entities-and-relations form, and its import.
//!
//! Export, one line per set:
//! `{"id", "text", "entities": [{"id", "label", "start_offset", "end_offset"}],
//!   "relations": [{"id", "from_id", "to_id", "type"}], "offset_unit": "utf-16", "meta": {…}}`.
//!
//! The file is ASCII: every other character is written as a JSON `\uXXXX` escape (an emoji
//! as its surrogate pair). doccano's import dialog sends no encoding for this format, so
//! doccano guesses one with chardet, which takes UTF-8 with a few emoji for Windows-1252 and
//! garbles the text or fails; ASCII it reads right, and any JSON reader decodes the escapes.
//!
//! Offsets are **UTF-16 code units**, the unit doccano counts in: its interface places spans
//! by JavaScript string offsets, and the spans an annotator adds inside doccano come back on
//! its export in that unit. Every other Spanwright export counts code points; doccano's is
//! the one exception, because a file in any other unit would put every span after an emoji
//! in the wrong place once inside doccano (doccano#2290). Each line says
//! `"offset_unit": "utf-16"` and the export report says so too. doccano keeps unknown keys of
//! a line in the example's meta and writes them back on its export, so the marker survives a
//! round trip, and there it is still true of every span, old or added.
//!
//! doccano drops overlapping spans on import unless the project allows them (then relations
//! to the dropped spans fail), so the report counts the spans it would drop.
//!
//! Import reads both doccano shapes, `"label": [[start, end, "TAG"], …]` and
//! `"entities"`/`"relations"`, with offsets in UTF-16 units unless the line says otherwise.
//! A line marked `"offset_unit": "codepoint"` comes from a Spanwright export before this
//! change; since doccano keeps that marker while it adds spans in UTF-16 units, each span is
//! read both ways: where only one reading fits the text, it is that one; where both fit and
//! differ (a span after a character beyond U+FFFF), it cannot be placed for sure, and is
//! refused with both readings rather than shifted.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{plural, report_notes, report_provenance, views, Export, ExportFile, ImportError, Imported, Problem, OFFSET_UNIT};
use crate::model::{AnnotationSet, CharRange, Document, LabelSet, OffsetIndex, Origin, Relation, Span, Workspace};

/// The offset unit of doccano files: UTF-16 code units, as doccano counts.
pub const DOCCANO_UNIT: &str = "utf-16";

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

/// One doccano line per set, offsets in UTF-16 units.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet], progress: &mut dyn FnMut(usize, usize)) -> Export {
    let mut report = Vec::new();
    let views = views(ws, sets, &mut report);
    let mut tick = super::Ticker::new(progress, &views);
    report_notes(&views, "doccano", &mut report);
    report_provenance(&views, "doccano", &mut report);
    let mut content = String::new();
    let (mut dropped, mut total) = (0usize, 0usize);
    for v in &views {
        let utf16 = |c: usize| v.index.char_to_utf16(c).expect("span offsets are within the text");
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
                    start_offset: utf16(s.range.start()),
                    end_offset: utf16(s.range.end()),
                })
                .collect(),
            relations: v.set.relations().iter().map(|r| RelationOut { id: r.id, from_id: r.from, to_id: r.to, kind: &r.kind }).collect(),
            offset_unit: DOCCANO_UNIT,
            meta: MetaOut { document_id: &v.doc.id, set_name: &v.set.name, annotator: &v.set.annotator },
        };
        content.push_str(&super::json_line(&line, super::Escape::NonAscii));
        content.push('\n');
        total += v.set.spans().len();
        dropped += dropped_without_overlaps(v.set.spans().iter().map(|s| (s.range.start(), s.range.end())));
        tick.wrote(v);
    }
    if !views.is_empty() {
        report.push(
            "offsets are UTF-16 code units, as doccano counts them (each line says \"offset_unit\": \"utf-16\"); after an emoji or another character beyond U+FFFF they differ from Python str indices".into(),
        );
    }
    if dropped > 0 {
        report.push(format!(
            "{dropped} of {total} span{} overlap an earlier one: doccano drops them on import, and refuses relations to them, unless the project allows overlapping spans (tick “Allow overlapping spans” when creating it)",
            plural(total)
        ));
    }
    Export { files: vec![ExportFile { name: "doccano.jsonl".into(), media_type: "application/jsonl", content }], report }
}

/// How many of `spans` (in file order) doccano drops when a project does not allow overlaps:
/// as its importer does (`Spans.clean`), it sorts them by start, stably, and keeps each one
/// that starts at or after the end of the last one kept.
pub fn dropped_without_overlaps(spans: impl Iterator<Item = (usize, usize)>) -> usize {
    let mut spans: Vec<(usize, usize)> = spans.collect();
    spans.sort_by_key(|&(start, _)| start);
    let mut end = 0usize;
    let mut dropped = 0usize;
    for (i, (s, e)) in spans.into_iter().enumerate() {
        if i > 0 && s < end {
            dropped += 1;
        } else {
            end = e;
        }
    }
    dropped
}

/// Imports doccano JSONL. `labels` is the workspace schema: tags it lacks become new labels.
/// `at` stamps the new sets.
pub fn import(input: &str, labels: &LabelSet, at: &str) -> Result<Imported, ImportError> {
    let mut out = Imported { labels: labels.clone(), ..Imported::default() };
    let mut converted = false;
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
        let unit = match value.get("offset_unit") {
            None | Some(Value::Null) => Unit::Utf16,
            Some(Value::String(u)) if u == DOCCANO_UNIT => Unit::Utf16,
            Some(Value::String(u)) if u == OFFSET_UNIT => Unit::LegacyCodepoint,
            Some(other) => {
                out.refused.push(Problem::new(&place, format!("\"offset_unit\" is {other}; doccano files count \"utf-16\" units")));
                continue;
            }
        };
        let index = OffsetIndex::new(text);
        if matches!(unit, Unit::Utf16) && index.utf16_len() != index.char_len() {
            converted = true;
        }
        // What a Spanwright export put in the line comes back on doccano's export (doccano
        // keeps unknown keys, and writes our "id" over its own): the document's id, the set's
        // id, name and annotator, so a round trip lands on the same article and set.
        let meta = |key: &str| value.get("meta").and_then(|m| m.get(key)).and_then(Value::as_str).filter(|v| !v.trim().is_empty() && v.len() <= 200);
        let sha256 = crate::model::document::sha256_hex(text);
        let own_id = || format!("doccano-{}", &sha256[..12]);
        let doc_id = meta("document_id").map_or_else(own_id, str::to_owned);
        let doc = match out.documents.iter().find(|d| d.id == doc_id) {
            Some(d) if d.sha256 == sha256 => d.clone(),
            Some(_) => Document::new(own_id(), text, Origin::User),
            None => Document::new(doc_id, text, Origin::User),
        };
        let set_id = value
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| crate::model::labels::is_valid_id(id) && !out.sets.iter().any(|s| s.id == *id))
            .map_or_else(|| format!("doccano-{line_no}-{}", &doc.sha256[..8]), str::to_owned);
        let name = meta("set_name").map_or_else(|| format!("doccano line {line_no}"), str::to_owned);
        // An annotator our export left empty stays empty; a line without one is doccano's.
        let annotator = value.get("meta").and_then(|m| m.get("annotator")).and_then(Value::as_str).unwrap_or("doccano");
        let mut set = AnnotationSet::new(set_id, name, annotator, &doc, at);
        let len = index.char_len();

        // (id, start, end, tag) from either shape.
        let mut raw_spans: Vec<(Option<u64>, String, Value, Value, Value)> = Vec::new();
        if let Some(entities) = value.get("entities").and_then(Value::as_array) {
            for (i, e) in entities.iter().enumerate() {
                raw_spans.push((
                    e.get("id").and_then(Value::as_u64),
                    format!("{place}, entities[{i}]"),
                    e["start_offset"].clone(),
                    e["end_offset"].clone(),
                    e["label"].clone(),
                ));
            }
        } else if let Some(list) = value.get("label").and_then(Value::as_array) {
            for (i, e) in list.iter().enumerate() {
                raw_spans.push((None, format!("{place}, label[{i}]"), e[0].clone(), e[1].clone(), e[2].clone()));
            }
        }
        let mut ids = std::collections::HashMap::new();
        let mut refused_ids = std::collections::HashSet::new();
        for (k, (orig_id, sp, start, end, tag)) in raw_spans.into_iter().enumerate() {
            let (Some(start), Some(end), Some(tag)) = (start.as_u64(), end.as_u64(), tag.as_str()) else {
                out.refused.push(Problem::new(sp, format!("expected non-negative integer offsets and a string label, found {start}, {end}, {tag}")));
                refused_ids.extend(orig_id);
                continue;
            };
            let (start, end) = (start as usize, end as usize);
            let range = match place_span(&index, unit, start, end) {
                Ok(r) => r,
                Err(e) => {
                    out.refused.push(Problem::new(sp, e));
                    refused_ids.extend(orig_id);
                    continue;
                }
            };
            let (label, entity_type) = tag_to_label(&mut out, tag);
            let id = k as u64 + 1;
            match set.insert_span(Span { id, range, label, entity_type, note: None, provenance: None }, len) {
                Ok(()) => {
                    if let Some(orig) = orig_id {
                        ids.insert(orig, id);
                    }
                }
                Err(e) => {
                    out.refused.push(Problem::new(sp, e.to_string()));
                    refused_ids.extend(orig_id);
                }
            }
        }
        for (i, r) in value.get("relations").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let rp = format!("{place}, relations[{i}]");
            let (Some(from), Some(to), Some(kind)) = (r["from_id"].as_u64(), r["to_id"].as_u64(), r["type"].as_str()) else {
                out.refused.push(Problem::new(rp, "expected integer from_id and to_id and a string type"));
                continue;
            };
            let (Some(&from_id), Some(&to_id)) = (ids.get(&from), ids.get(&to)) else {
                let why = match [from, to].into_iter().find(|e| refused_ids.contains(e)) {
                    Some(e) => format!("relation between entities {from} and {to} left out with entity {e}, refused above"),
                    None => format!("relation between entities {from} and {to}, which are not both in the line"),
                };
                out.refused.push(Problem::new(rp, why));
                continue;
            };
            let (from, to) = (from_id, to_id);
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
    if converted {
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

/// The unit a line's offsets are read in.
#[derive(Clone, Copy)]
enum Unit {
    /// doccano's own: UTF-16 code units.
    Utf16,
    /// Marked `"codepoint"` by a Spanwright export before doccano files counted UTF-16 units;
    /// spans added inside doccano are UTF-16 nonetheless.
    LegacyCodepoint,
}

/// The code-point range of doccano offsets, or why they cannot be placed.
fn place_span(index: &OffsetIndex<'_>, unit: Unit, start: usize, end: usize) -> Result<CharRange, String> {
    let as_utf16 = index.range_from_utf16(start, end).map_err(|e| e.to_string()).and_then(|r| {
        index.check_whole_clusters(r).map(|()| r).map_err(|e| {
            // The cluster check names a code point; say it in the unit of the file.
            let at = if index.is_grapheme_boundary(r.start()) { end } else { start };
            e.split_once(" splits ").map_or(e.clone(), |(_, rest)| format!("UTF-16 unit offset {at} splits {rest}"))
        })
    });
    match unit {
        Unit::Utf16 if end <= start => Err(format!(
            "offsets {start}..{end} (UTF-16 units, as doccano counts) do not fit the text: the range is empty or inverted (start must be below end)"
        )),
        Unit::Utf16 => as_utf16.map_err(|e| format!("offsets {start}..{end} (UTF-16 units, as doccano counts) do not fit the text: {e}")),
        Unit::LegacyCodepoint => {
            let as_chars = CharRange::new(start, end, index.char_len()).map_err(|e| e.to_string()).and_then(|r| index.check_whole_clusters(r).map(|()| r));
            match (as_chars, as_utf16) {
                (Ok(a), Ok(b)) if a == b => Ok(a),
                // A span fits the text in the unit it was written in, so a reading that does
                // not fit (past the end, inside a surrogate pair or a character) is not it.
                (Ok(a), Err(_)) | (Err(_), Ok(a)) => Ok(a),
                (Err(e), Err(_)) => {
                    Err(format!("offsets {start}..{end} do not fit the text, as code points (the line's \"offset_unit\") or as UTF-16 units (doccano's): {e}"))
                }
                (Ok(a), Ok(b)) => Err(format!(
                    "offsets {start}..{end} cannot be placed for sure: the line says \"offset_unit\": \"codepoint\" (an older Spanwright export), but doccano counts the spans added in it in UTF-16 units, and here the two readings differ (as code points {:?}, as UTF-16 units {:?}); export the document from Spanwright again, or fix the span in doccano",
                    index.slice(a),
                    index.slice(b)
                )),
            }
        }
    }
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
    if out.labels.relation_type(&id).is_none() && out.labels.add_relation_type(crate::model::RelationType { id: id.clone(), name: kind.to_owned() }).is_ok() {
        out.notes.push(format!("added the relation type “{kind}”"));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::dropped_without_overlaps;

    #[test]
    fn overlaps_are_counted_as_doccano_drops_them() {
        // Sorted by start, stably; kept when it starts at or after the last kept end.
        for (spans, dropped) in [
            (vec![], 0),
            (vec![(0, 5), (5, 8)], 0),
            (vec![(0, 10), (0, 5), (5, 8), (9, 12)], 3),
            (vec![(0, 5), (0, 10), (5, 8)], 1),
            (vec![(5, 8), (0, 5)], 0),
            (vec![(0, 4), (2, 6), (4, 8)], 1),
        ] {
            assert_eq!(dropped_without_overlaps(spans.clone().into_iter()), dropped, "{spans:?}");
        }
    }
}
