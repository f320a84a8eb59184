//! Label Studio JSON tasks, and their import.
//!
//! Export: a JSON array with one task per document and one annotation per set:
//! `{"id", "data": {"text", "document_id", "title"}, "meta": {"offset_unit": "codepoint"},
//!   "annotations": [{"id", "result": [region…, relation…], "created_at", "updated_at",
//!   "meta": {"set_id", "set_name", "annotator"}}]}`.
//! A region is `{"id", "from_name": "label", "to_name": "text", "type": "labels",
//! "value": {"start", "end", "text", "labels": [TAG]}}` with the note, if any, in
//! `"meta": {"text": [note]}`; a relation is `{"type": "relation", "from_id", "to_id",
//! "direction": "right", "labels": [type]}`. Current Label Studio counts code points.
//!
//! Beside the tasks, the export writes `label-studio-config.xml`: the labeling config a
//! project needs to import them (`<Text name="text">`, `<Labels name="label">` with every tag,
//! `<Relations>` with every relation type). Paste it into the project's Labeling Interface
//! (Code) before importing the tasks.
//!
//! Import reads an array of tasks, one task, or `{"tasks": […]}`, taking `annotations` (and
//! `predictions` when a task has no annotations). It also reads Label Studio's JSON-MIN
//! export, whose rows hold the task's data fields and, under each control's name, the regions'
//! values (`{"text", "label": [{"start", "end", "text", "labels"}]}`); JSON-MIN has no
//! relations or notes, and the import says so. Each region's `value.text` is checked against
//! the document; when it only matches as UTF-16 offsets (older Label Studio, #1347), the
//! offsets are converted and the report says so.

use serde::Serialize;
use serde_json::Value;

use super::{
    doccano::{relation_type, tag_to_label},
    report_provenance, views, Export, ExportFile, ImportError, Imported, Problem, OFFSET_UNIT,
};
use crate::model::{document::sha256_hex, AnnotationSet, CharRange, Document, LabelSet, OffsetIndex, Origin, Relation, Span, Workspace};

// Typed records for the export, fields in alphabetical order (the files' order): a tree of
// JSON values for 10,000 regions cost several times the file's size in memory.

#[derive(Serialize)]
struct Task<'a> {
    annotations: Vec<Annotation<'a>>,
    data: TaskData<'a>,
    id: usize,
    meta: TaskMeta<'a>,
}

#[derive(Serialize)]
struct TaskData<'a> {
    document_id: &'a str,
    text: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct TaskMeta<'a> {
    offset_unit: &'static str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct Annotation<'a> {
    created_at: &'a str,
    id: usize,
    meta: AnnotationMeta<'a>,
    result: Vec<ResultItem<'a>>,
    updated_at: &'a str,
}

#[derive(Serialize)]
struct AnnotationMeta<'a> {
    annotator: &'a str,
    set_id: &'a str,
    set_name: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResultItem<'a> {
    Region(Region<'a>),
    Link(Link<'a>),
}

#[derive(Serialize)]
struct Region<'a> {
    from_name: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<RegionMeta<'a>>,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: RegionValue<'a>,
}

#[derive(Serialize)]
struct RegionMeta<'a> {
    text: [&'a str; 1],
}

#[derive(Serialize)]
struct RegionValue<'a> {
    end: usize,
    labels: [String; 1],
    start: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct Link<'a> {
    direction: &'static str,
    from_id: String,
    labels: [&'a str; 1],
    to_id: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// One task per document, one annotation per set.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet], progress: &mut dyn FnMut(usize, usize)) -> Export {
    let mut report = Vec::new();
    let views = views(ws, sets, &mut report);
    let mut tick = super::Ticker::new(progress, &views);
    report_provenance(&views, "Label Studio", &mut report);
    let mut tasks: Vec<Task<'_>> = Vec::new();
    let mut order: Vec<&str> = Vec::new();
    for v in &views {
        if !order.contains(&v.doc.id.as_str()) {
            order.push(&v.doc.id);
        }
    }
    for (t, doc_id) in order.iter().enumerate() {
        let mut annotations = Vec::new();
        let mut doc = None;
        for (a, v) in views.iter().enumerate().filter(|(_, v)| v.doc.id == *doc_id) {
            doc = Some(v.doc);
            let mut result: Vec<ResultItem<'_>> = v
                .set
                .spans()
                .iter()
                .map(|s| {
                    ResultItem::Region(Region {
                        from_name: "label",
                        id: format!("s{}", s.id),
                        meta: s.note.as_deref().map(|note| RegionMeta { text: [note] }),
                        to_name: "text",
                        kind: "labels",
                        value: RegionValue {
                            end: s.range.end(),
                            labels: [ws.labels.tag(&s.label, s.entity_type.as_deref())],
                            start: s.range.start(),
                            text: v.index.slice(s.range),
                        },
                    })
                })
                .collect();
            result.extend(v.set.relations().iter().map(|r| {
                ResultItem::Link(Link { direction: "right", from_id: format!("s{}", r.from), labels: [&r.kind], to_id: format!("s{}", r.to), kind: "relation" })
            }));
            annotations.push(Annotation {
                created_at: &v.set.created,
                id: a + 1,
                meta: AnnotationMeta { annotator: &v.set.annotator, set_id: &v.set.id, set_name: &v.set.name },
                result,
                updated_at: &v.set.updated,
            });
            tick.wrote(v);
        }
        let doc = doc.expect("each listed document has a set");
        tasks.push(Task {
            annotations,
            data: TaskData { document_id: &doc.id, text: &doc.text, title: &doc.header.title },
            id: t + 1,
            meta: TaskMeta { offset_unit: OFFSET_UNIT, sha256: &doc.sha256 },
        });
    }
    let content = serde_json::to_string_pretty(&tasks).expect("serialisable");
    let mut tags: Vec<String> = Vec::new();
    for l in &ws.labels.labels {
        tags.push(l.tag.clone());
        if l.typed {
            tags.extend(ws.labels.entity_types.iter().map(|t| t.tag.clone()));
        }
    }
    for v in &views {
        tags.extend(v.set.spans().iter().map(|s| ws.labels.tag(&s.label, s.entity_type.as_deref())));
    }
    let mut relations: Vec<&str> = ws.labels.relation_types.iter().map(|r| r.id.as_str()).collect();
    relations.extend(views.iter().flat_map(|v| v.set.relations()).map(|r| r.kind.as_str()));
    let config = labeling_config(&tags, &relations);
    Export {
        files: vec![
            ExportFile { name: "label-studio.json".into(), media_type: "application/json", content },
            ExportFile { name: "label-studio-config.xml".into(), media_type: "application/xml", content: config },
        ],
        report,
    }
}

/// The labeling config that imports the export: its control names are the regions'
/// `from_name` and `to_name`, and it lists every tag and relation type (each once, in order).
pub fn labeling_config(tags: &[String], relations: &[&str]) -> String {
    use std::fmt::Write;
    let mut seen = std::collections::HashSet::new();
    let mut out = String::from("<View>\n  <Relations>\n");
    for r in relations.iter().filter(|r| seen.insert(format!("r:{r}"))) {
        writeln!(out, "    <Relation value=\"{}\"/>", xml_attr(r)).unwrap();
    }
    out.push_str("  </Relations>\n  <Labels name=\"label\" toName=\"text\">\n");
    for t in tags.iter().filter(|t| seen.insert(format!("t:{t}"))) {
        writeln!(out, "    <Label value=\"{}\"/>", xml_attr(t)).unwrap();
    }
    out.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n");
    out
}

fn xml_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Imports Label Studio tasks.
pub fn import(input: &str, labels: &LabelSet, at: &str) -> Result<Imported, ImportError> {
    let value: Value = serde_json::from_str(input.trim_start_matches('\u{feff}')).map_err(|e| ImportError::from_json(&e))?;
    let tasks: Vec<Value> = match value {
        Value::Array(tasks) => tasks,
        Value::Object(ref o) if o.contains_key("tasks") => o["tasks"].as_array().cloned().unwrap_or_default(),
        Value::Object(_) => vec![value],
        other => {
            return Err(ImportError::Shape(Problem::new("the file", format!("expected a task or an array of tasks, found {other}"))));
        }
    };
    let mut out = Imported { labels: labels.clone(), ..Imported::default() };
    let mut converted = 0usize;
    let mut json_min = 0usize;
    let tasks: Vec<Value> = tasks
        .into_iter()
        .map(|task| match from_json_min(&task) {
            Some(t) => {
                json_min += 1;
                t
            }
            None => task,
        })
        .collect();
    for (t, task) in tasks.iter().enumerate() {
        let tp = format!("[{t}]");
        let Some(text) = task_text(task) else {
            out.refused.push(Problem::new(
                tp.clone(),
                "expected a task with \"data\" holding a \"text\" string (Label Studio's JSON export), or a row with a \"text\" string and its regions (its JSON-MIN export)",
            ));
            continue;
        };
        let doc_id = task["data"]["document_id"].as_str().map_or_else(|| format!("ls-{}", &sha256_hex(text)[..12]), str::to_owned);
        let doc = Document::new(doc_id, text, Origin::User);
        let index = OffsetIndex::new(text);
        let (key, list) = match task["annotations"].as_array() {
            Some(a) if !a.is_empty() => ("annotations", a.clone()),
            _ => ("predictions", task["predictions"].as_array().cloned().unwrap_or_default()),
        };
        for (a, ann) in list.iter().enumerate() {
            let ap = format!("{tp}.{key}[{a}]");
            let meta = &ann["meta"];
            let set_id = meta["set_id"].as_str().map_or_else(|| format!("ls-{}-{t}-{a}", &doc.sha256[..8]), str::to_owned);
            let name = meta["set_name"].as_str().map_or_else(|| format!("Label Studio task {} {key} {}", t + 1, a + 1), str::to_owned);
            let annotator =
                meta["annotator"].as_str().map(str::to_owned).or_else(|| ann["completed_by"].as_u64().map(|n| format!("user {n}"))).unwrap_or_default();
            let mut set = AnnotationSet::new(set_id, name, annotator, &doc, ann["created_at"].as_str().unwrap_or(at));
            set.updated = ann["updated_at"].as_str().unwrap_or(at).to_owned();
            let results = ann["result"].as_array().cloned().unwrap_or_default();
            let mut ids = std::collections::HashMap::new();
            for (r, region) in results.iter().enumerate().filter(|(_, r)| r["type"] == "labels") {
                let rp = format!("{ap}.result[{r}]");
                match region_span(region, &index, &mut converted) {
                    Ok((range, tag)) => {
                        let (label, entity_type) = tag_to_label(&mut out, &tag);
                        let id = set.fresh_id();
                        let note = notes_for(region, &results);
                        match set.insert_span(Span { id, range, label, entity_type, note, provenance: None }, index.char_len()) {
                            Ok(()) => {
                                ids.insert(region["id"].as_str().unwrap_or_default().to_owned(), id);
                            }
                            Err(e) => out.refused.push(Problem::new(rp, e.to_string())),
                        }
                    }
                    Err(message) => out.refused.push(Problem::new(rp, message)),
                }
            }
            for (r, rel) in results.iter().enumerate().filter(|(_, r)| r["type"] == "relation") {
                let rp = format!("{ap}.result[{r}]");
                let from = rel["from_id"].as_str().and_then(|i| ids.get(i)).copied();
                let to = rel["to_id"].as_str().and_then(|i| ids.get(i)).copied();
                let (Some(mut from), Some(mut to)) = (from, to) else {
                    out.refused.push(Problem::new(rp, format!("relation between regions {} and {}, which are not both taken", rel["from_id"], rel["to_id"])));
                    continue;
                };
                if rel["direction"] == "left" {
                    std::mem::swap(&mut from, &mut to);
                }
                let kind = rel["labels"][0].as_str().unwrap_or("related");
                let kind = relation_type(&mut out, kind);
                let id = set.fresh_id();
                if let Err(e) = set.insert_relation(Relation { id, kind, from, to }) {
                    out.refused.push(Problem::new(rp, e.to_string()));
                }
            }
            out.sets.push(set);
        }
        if !out.documents.iter().any(|d| d.id == doc.id) {
            out.documents.push(doc);
        }
    }
    if json_min > 0 {
        out.notes.push(format!(
            "read {json_min} row{} of Label Studio's JSON-MIN export, which holds no relations and no notes; export JSON from Label Studio to keep them",
            if json_min == 1 { "" } else { "s" }
        ));
    }
    if converted > 0 {
        out.notes.push(format!(
            "{converted} region offset{} matched the text only as UTF-16 units (older Label Studio) and were converted to code points",
            if converted == 1 { "" } else { "s" }
        ));
    }
    if out.sets.is_empty() && out.documents.is_empty() {
        let mut refused = out.refused;
        if refused.is_empty() {
            refused.push(Problem::new("the file", "no Label Studio tasks"));
        }
        return Err(ImportError::NothingUsable(refused));
    }
    Ok(out)
}

/// A JSON-MIN row (`{"text", "<control>": [{"start", "end", "text", "labels"}], "annotator", …}`)
/// as a task of the JSON export, or `None` when `row` is not one.
fn from_json_min(row: &Value) -> Option<Value> {
    let o = row.as_object()?;
    if o.contains_key("data") || !o.get("text").is_some_and(Value::is_string) {
        return None;
    }
    let is_region = |v: &Value| v.get("start").is_some() && v.get("end").is_some() && v.get("labels").is_some_and(Value::is_array);
    let mut data = serde_json::Map::new();
    let mut result = Vec::new();
    for (key, value) in o {
        match value {
            Value::Array(items) if !items.is_empty() && items.iter().all(is_region) => {
                for item in items {
                    let id = format!("m{}", result.len() + 1);
                    result.push(serde_json::json!({"id": id, "from_name": key, "to_name": "text", "type": "labels", "value": item}));
                }
            }
            Value::String(_) if !matches!(key.as_str(), "annotator" | "created_at" | "updated_at") => {
                data.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    let annotator = match o.get("annotator") {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(n)) => Value::String(format!("user {n}")),
        _ => Value::Null,
    };
    Some(serde_json::json!({
        "data": data,
        "annotations": [{
            "result": result,
            "created_at": o.get("created_at").cloned().unwrap_or(Value::Null),
            "updated_at": o.get("updated_at").cloned().unwrap_or(Value::Null),
            "meta": {"annotator": annotator},
        }],
    }))
}

fn task_text(task: &Value) -> Option<&str> {
    let data = task.get("data")?.as_object()?;
    data.get("text").and_then(Value::as_str).or_else(|| data.values().find_map(Value::as_str))
}

fn notes_for(region: &Value, results: &[Value]) -> Option<String> {
    let from_meta = region["meta"]["text"].as_array().and_then(|t| t.first()).and_then(Value::as_str).map(str::to_owned);
    from_meta
        .or_else(|| results.iter().find(|r| r["type"] == "textarea" && r["id"] == region["id"]).and_then(|r| r["value"]["text"][0].as_str()).map(str::to_owned))
}

/// The range and tag of a region, checking `value.text` against the document.
fn region_span(region: &Value, index: &OffsetIndex<'_>, converted: &mut usize) -> Result<(CharRange, String), String> {
    let (range, tag) = region_offsets(region, index, converted)?;
    index.check_whole_clusters(range)?;
    Ok((range, tag))
}

fn region_offsets(region: &Value, index: &OffsetIndex<'_>, converted: &mut usize) -> Result<(CharRange, String), String> {
    let v = &region["value"];
    let (Some(start), Some(end)) = (v["start"].as_u64(), v["end"].as_u64()) else {
        return Err(format!("expected integer value.start and value.end, found {} and {}", v["start"], v["end"]));
    };
    let tag = v["labels"][0].as_str().ok_or("expected value.labels to hold a label")?.to_owned();
    let (start, end) = (start as usize, end as usize);
    let expected = v["text"].as_str();
    let as_chars = CharRange::new(start, end, index.char_len());
    match (&as_chars, expected) {
        (Ok(r), Some(t)) if index.slice(*r) == t => return Ok((*r, tag)),
        (Ok(r), None) => return Ok((*r, tag)),
        _ => {}
    }
    if let (Ok(r), Some(t)) = (index.range_from_utf16(start, end), expected) {
        if index.slice(r) == t {
            *converted += 1;
            return Ok((r, tag));
        }
    }
    match (as_chars, expected) {
        (Err(e), _) => Err(format!("offsets {start}..{end} do not fit the text: {e}")),
        (Ok(r), Some(t)) => Err(format!("value.text {t:?} does not match the document, which has {:?} at {start}..{end}", index.slice(r))),
        (Ok(_), None) => unreachable!("handled above"),
    }
}
