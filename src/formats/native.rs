//! Spanwright's own JSON: one annotation set or a whole workspace, versioned.
//!
//! ```json
//! {
//!   "format": "spanwright", "version": 1, "kind": "workspace" | "set",
//!   "offset_unit": "codepoint",
//!   "labels": { "labels": [...], "entity_types": [...], "relation_types": [...] },
//!   "documents": [{ "id", "title", "date"?, "byline"?, "source"?, "section"?, "url"?, "meta"?,
//!                   "origin", "text", "sha256" }],
//!   "sets": [{ "id", "name", "annotator", "document", "document_sha256", "created", "updated",
//!              "done"?, "suggestions"?,
//!              "spans": [{ "id", "start", "end", "label", "entity_type"?, "note"?, "provenance"?,
//!                          "text" }],
//!              "relations": [{ "id", "type", "from", "to" }],
//!              "rejected_suggestions"?: [{ "start", "end", "label", "entity_type"? }] }],
//!   "active": { "<document id>": "<set id>" }
//! }
//! ```
//!
//! Offsets are half-open ranges of Unicode code points into `text`, which is the document
//! exactly as loaded; `text[start:end]` in Python is the span's `text`. `sha256` is the hex
//! SHA-256 of the document's UTF-8 text, and a set's `document_sha256` must equal it.
//! The JSON Schema is `schema/spanwright-v1.schema.json`.
//!
//! Loading checks everything and takes what it can: a file that is not JSON, not Spanwright,
//! of another version or of the wrong shape is refused whole, with the place; a span, relation,
//! set or document that is wrong is refused alone, with its JSON path, and the rest is taken.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Export, ExportFile, ImportError, Imported, Problem, SetView, OFFSET_UNIT};
use crate::model::{
    document::sha256_hex, AnnotationSet, CharRange, DocId, Document, Header, LabelSet, OffsetIndex, Origin, Provenance, Rejection, Relation, SetId, Span,
    Workspace,
};

/// The `format` value.
pub const FORMAT: &str = "spanwright";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;

/// Whether a file holds a workspace or one set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Everything.
    Workspace,
    /// One set and its document.
    Set,
}

/// The file.
#[derive(Debug, Serialize, Deserialize)]
pub struct WireFile {
    /// Always `"spanwright"`.
    pub format: String,
    /// Always 1 for this build.
    pub version: u32,
    /// Workspace or set.
    pub kind: Kind,
    /// Always `"codepoint"`.
    #[serde(default = "unit")]
    pub offset_unit: String,
    /// The label schema; defaults when absent.
    #[serde(default)]
    pub labels: Option<LabelSet>,
    /// Documents.
    #[serde(default)]
    pub documents: Vec<WireDocument>,
    /// Annotation sets.
    #[serde(default)]
    pub sets: Vec<WireSet>,
    /// Active set per document.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub active: BTreeMap<DocId, SetId>,
}

fn unit() -> String {
    OFFSET_UNIT.to_owned()
}

/// A document on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub struct WireDocument {
    /// Id.
    pub id: String,
    /// Title, date, byline, source, section.
    #[serde(flatten)]
    pub header: Header,
    /// Bundled or user.
    #[serde(default)]
    pub origin: Origin,
    /// Exact text.
    pub text: String,
    /// Hex SHA-256 of `text`.
    pub sha256: String,
}

/// A set on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub struct WireSet {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Annotator.
    #[serde(default)]
    pub annotator: String,
    /// Document id.
    pub document: String,
    /// SHA-256 of the document text the offsets count.
    pub document_sha256: String,
    /// Created (ISO 8601).
    #[serde(default)]
    pub created: String,
    /// Updated (ISO 8601).
    #[serde(default)]
    pub updated: String,
    /// Marked done by its annotator; absent (false) in files from before "Mark done".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub done: bool,
    /// Suggestions switched on in it ("Suggest spans"); absent (false) in files from before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suggestions: bool,
    /// Spans.
    #[serde(default)]
    pub spans: Vec<WireSpan>,
    /// Relations.
    #[serde(default)]
    pub relations: Vec<WireRelation>,
    /// Suggestions rejected in this set (absent in files from before suggestions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected_suggestions: Vec<Rejection>,
}

/// A span on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub struct WireSpan {
    /// Id within the set.
    pub id: u64,
    /// First code point.
    pub start: u64,
    /// Code point after the last.
    pub end: u64,
    /// Label id.
    pub label: String,
    /// Entity type id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    /// Note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where it came from: a gold set's sources, or the suggestion accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<WireProvenance>,
    /// The span's text, checked against the document on load.
    pub text: String,
}

/// A span's provenance on the wire: `how` and the fields that go with it. Read as a plain
/// struct and checked by hand ([`Provenance`] as an internally tagged enum cost the page 12 KB
/// of wasm to read).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct WireProvenance {
    /// `unanimous`, `majority`, `adjudicated` or `suggested`.
    pub how: String,
    /// The sets it came from (gold spans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Vec<String>>,
    /// How many sets had it (majority).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<u64>,
    /// Of how many sets (majority).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<u64>,
    /// Edited by hand (adjudicated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<bool>,
    /// What suggested it (suggested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Why, as shown (suggested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl WireProvenance {
    fn new(p: &Provenance) -> Self {
        let from = Some(p.from().to_vec());
        match p.clone() {
            Provenance::Unanimous { .. } => WireProvenance { how: "unanimous".into(), from, ..Default::default() },
            Provenance::Majority { votes, of, .. } => {
                WireProvenance { how: "majority".into(), votes: Some(votes as u64), of: Some(of as u64), from, ..Default::default() }
            }
            Provenance::Adjudicated { edited, .. } => WireProvenance { how: "adjudicated".into(), edited: Some(edited), from, ..Default::default() },
            Provenance::Suggested { source, detail } => {
                WireProvenance { how: "suggested".into(), source: Some(source), detail: Some(detail), ..Default::default() }
            }
        }
    }

    /// The provenance, or what is missing or unknown.
    fn read(self) -> Result<Provenance, String> {
        let missing = |field: &str| format!("a “{}” provenance needs “{field}”", self.how);
        let from = || self.from.clone().ok_or_else(|| missing("from"));
        Ok(match self.how.as_str() {
            "unanimous" => Provenance::Unanimous { from: from()? },
            "majority" => Provenance::Majority {
                votes: self.votes.ok_or_else(|| missing("votes"))? as usize,
                of: self.of.ok_or_else(|| missing("of"))? as usize,
                from: from()?,
            },
            "adjudicated" => Provenance::Adjudicated { edited: self.edited.ok_or_else(|| missing("edited"))?, from: from()? },
            "suggested" => Provenance::Suggested {
                source: self.source.clone().ok_or_else(|| missing("source"))?,
                detail: self.detail.clone().ok_or_else(|| missing("detail"))?,
            },
            other => return Err(format!("unknown provenance “{other}” (expected unanimous, majority, adjudicated or suggested)")),
        })
    }
}

/// A relation on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub struct WireRelation {
    /// Id within the set.
    pub id: u64,
    /// Relation type id.
    #[serde(rename = "type")]
    pub kind: String,
    /// From span id.
    pub from: u64,
    /// To span id.
    pub to: u64,
}

fn wire_document(doc: &Document) -> WireDocument {
    WireDocument { id: doc.id.clone(), header: doc.header.clone(), origin: doc.origin, text: doc.text.to_string(), sha256: doc.sha256.clone() }
}

fn wire_set(view: &SetView<'_>) -> WireSet {
    let set = view.set;
    WireSet {
        id: set.id.clone(),
        name: set.name.clone(),
        annotator: set.annotator.clone(),
        document: set.doc_id.clone(),
        document_sha256: set.doc_sha256.clone(),
        created: set.created.clone(),
        updated: set.updated.clone(),
        done: set.done,
        suggestions: set.suggestions,
        spans: set
            .spans()
            .iter()
            .map(|s| WireSpan {
                id: s.id,
                start: s.range.start() as u64,
                end: s.range.end() as u64,
                label: s.label.clone(),
                entity_type: s.entity_type.clone(),
                note: s.note.clone(),
                provenance: s.provenance.as_ref().map(WireProvenance::new),
                text: view.index.slice(s.range).to_owned(),
            })
            .collect(),
        relations: set.relations().iter().map(|r| WireRelation { id: r.id, kind: r.kind.clone(), from: r.from, to: r.to }).collect(),
        rejected_suggestions: set.rejected.iter().cloned().collect(),
    }
}

/// The whole workspace as a native file, indented for people to read.
pub fn save_workspace(ws: &Workspace) -> String {
    serde_json::to_string_pretty(&workspace_file(ws)).expect("wire types serialise")
}

/// The whole workspace as a native file without indentation: what browser storage keeps,
/// a third smaller and quicker to write.
pub fn save_workspace_compact(ws: &Workspace) -> String {
    serde_json::to_string(&workspace_file(ws)).expect("wire types serialise")
}

fn workspace_file(ws: &Workspace) -> WireFile {
    let sets: Vec<&AnnotationSet> = ws.sets().iter().collect();
    let mut report = Vec::new();
    let views = super::views(ws, &sets, &mut report);
    WireFile {
        format: FORMAT.into(),
        version: VERSION,
        kind: Kind::Workspace,
        offset_unit: unit(),
        labels: Some(ws.labels.clone()),
        documents: ws.documents().iter().map(|d| wire_document(d)).collect(),
        sets: views.iter().map(wire_set).collect(),
        active: ws.active.clone(),
    }
}

/// Some sets, each with its document, as a native file (`kind: "set"` for one set).
pub fn save_sets(ws: &Workspace, sets: &[&AnnotationSet]) -> (String, Vec<String>) {
    let mut report = Vec::new();
    let views = super::views(ws, sets, &mut report);
    let mut doc_ids: Vec<&str> = Vec::new();
    for v in &views {
        if !doc_ids.contains(&v.doc.id.as_str()) {
            doc_ids.push(&v.doc.id);
        }
    }
    let file = WireFile {
        format: FORMAT.into(),
        version: VERSION,
        kind: if views.len() == 1 { Kind::Set } else { Kind::Workspace },
        offset_unit: unit(),
        labels: Some(ws.labels.clone()),
        documents: doc_ids.iter().filter_map(|id| ws.document(id)).map(|d| wire_document(d)).collect(),
        sets: views.iter().map(wire_set).collect(),
        active: BTreeMap::new(),
    };
    (serde_json::to_string_pretty(&file).expect("wire types serialise"), report)
}

/// A merge plan's labels, new documents and sets as a compact native file of kind "set": its
/// sets may refer to documents of the workspace, which the reader passes as known.
pub(super) fn save_plan(ws: &Workspace, new_documents: &[Document], sets: &[&AnnotationSet]) -> String {
    let mut report = Vec::new();
    let views = super::views(ws, sets, &mut report);
    let file = WireFile {
        format: FORMAT.into(),
        version: VERSION,
        kind: Kind::Set,
        offset_unit: unit(),
        labels: Some(ws.labels.clone()),
        documents: new_documents.iter().map(wire_document).collect(),
        sets: views.iter().map(wire_set).collect(),
        active: BTreeMap::new(),
    };
    serde_json::to_string(&file).expect("wire types serialise")
}

pub(super) fn export_sets(ws: &Workspace, sets: &[&AnnotationSet]) -> Export {
    let (content, report) = save_sets(ws, sets);
    let name = match sets {
        [one] => format!("{}.spanwright.json", super::file_stem(&one.id)),
        _ => "workspace.spanwright.json".to_owned(),
    };
    Export { files: vec![ExportFile { name, media_type: "application/json", content }], report }
}

/// What a native load gives: the import plus the file's kind and active sets.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Documents, sets, labels, refusals.
    pub imported: Imported,
    /// Active set per document, as saved.
    pub active: BTreeMap<DocId, SetId>,
    /// Whether it was a workspace or one set.
    pub kind: Option<Kind>,
}

impl Loaded {
    /// The loaded data as a workspace (for restoring saved state).
    pub fn into_workspace(self) -> Workspace {
        let mut ws = Workspace::with_documents(self.imported.documents);
        ws.labels = self.imported.labels;
        for set in self.imported.sets {
            ws.insert_set(usize::MAX, set).expect("load validated every set against its document and labels");
        }
        ws.active = self.active.into_iter().filter(|(doc, set)| ws.set(set).is_some_and(|s| &s.doc_id == doc)).collect();
        ws
    }
}

/// Reads a native file. `known` are documents already in the workspace: a set may refer to
/// one of them instead of carrying its text.
pub fn load(input: &str, known: &[&Document]) -> Result<Loaded, ImportError> {
    // Straight from the text, without a `Value` tree of the whole file in between (a
    // 10,000-span workspace would hold several times its size in memory), and in one pass
    // with no path tracking when the file is good. Only a file that fails is read again, to
    // say what is wrong first: not JSON, not Spanwright's, another version, then the shape
    // with its JSON path.
    // (A derived struct would also take an array, by position: look at the first character.)
    let object = input.trim_start().starts_with('{');
    let parsed = object.then(|| {
        let mut de = serde_json::Deserializer::from_str(input);
        let file = WireFile::deserialize(&mut de);
        // Nothing may follow the object (two files pasted together, say).
        (file, de.end())
    });
    let file = match parsed {
        Some((Ok(file), Ok(()))) => file,
        Some((Ok(_), Err(e))) => return Err(ImportError::from_json(&e)),
        Some((Err(_), _)) | None => {
            diagnose(input, object)?;
            return Err(shape_problem(input));
        }
    };
    from_wire(file, known)
}

/// Checks and builds what a file read as [`WireFile`] holds; [`load`] without the reading,
/// for a caller that read the file inside a larger record.
pub fn from_wire(file: WireFile, known: &[&Document]) -> Result<Loaded, ImportError> {
    check_header(&Probe { format: Some(Value::String(file.format.clone())), version: Some(file.version.into()), data: None, annotations: None })?;
    let mut out = Imported { labels: file.labels.clone().unwrap_or_default(), ..Imported::default() };
    check_labels(&out.labels, &mut out.refused);

    let mut docs: Vec<Document> = Vec::new();
    let mut doc_ids = HashSet::new();
    for (i, d) in file.documents.into_iter().enumerate() {
        let path = format!("documents[{i}]");
        let actual = sha256_hex(&d.text);
        if !doc_ids.insert(d.id.clone()) {
            out.refused.push(Problem::new(&path, format!("a document with the id “{}” appears earlier in the file", d.id)));
        } else if actual != d.sha256 {
            out.refused.push(Problem::new(
                format!("{path}.sha256"),
                format!("the text's SHA-256 is {actual}, not the {} the file states: the text was changed after it was saved", d.sha256),
            ));
        } else {
            docs.push(Document { id: d.id, header: d.header, origin: d.origin, text: d.text.into(), sha256: d.sha256, index_cache: Default::default() });
        }
    }

    let mut set_ids = HashSet::new();
    for (i, wire) in file.sets.into_iter().enumerate() {
        let path = format!("sets[{i}]");
        if !set_ids.insert(wire.id.clone()) {
            out.refused.push(Problem::new(&path, format!("a set with the id “{}” appears earlier in the file", wire.id)));
            continue;
        }
        let doc = docs.iter().find(|d| d.id == wire.document).or_else(|| known.iter().copied().find(|d| d.id == wire.document));
        let Some(doc) = doc else {
            out.refused.push(Problem::new(
                format!("{path}.document"),
                format!("set “{}” refers to document “{}”, which is neither in the file nor in the workspace", wire.name, wire.document),
            ));
            continue;
        };
        if doc.sha256 != wire.document_sha256 {
            out.refused.push(Problem::new(
                format!("{path}.document_sha256"),
                format!(
                    "set “{}” was made on a different text of document “{}” (SHA-256 {} here, {} in the set): its offsets would point at the wrong words",
                    wire.name, doc.id, doc.sha256, wire.document_sha256
                ),
            ));
            continue;
        }
        out.sets.push(build_set(wire, doc, &out.labels, &path, &mut out.refused));
    }

    let used: HashSet<&str> = out.sets.iter().map(|s| s.doc_id.as_str()).collect();
    // A set file carries its document; keep it only when it is new or a set uses it.
    out.documents = docs.into_iter().filter(|d| file.kind == Kind::Workspace || used.contains(d.id.as_str()) || known.iter().all(|k| k.id != d.id)).collect();
    if out.documents.is_empty() && out.sets.is_empty() && !out.refused.is_empty() {
        return Err(ImportError::NothingUsable(out.refused));
    }
    Ok(Loaded { imported: out, active: file.active, kind: Some(file.kind) })
}

/// Where and why a file with a good header does not have the shape of a Spanwright file:
/// the second, slower read, with the JSON path tracked.
#[cfg(feature = "json-paths")]
fn shape_problem(input: &str) -> ImportError {
    let mut de = serde_json::Deserializer::from_str(input);
    let error = match serde_path_to_error::deserialize::<_, WireFile>(&mut de) {
        Err(e) => e,
        // The same read as the first, which failed; never expected to pass, but a loader
        // must not panic on a file.
        Ok(_) => return ImportError::Shape(Problem::new("the file", "it does not have the shape of a Spanwright file")),
    };
    let path = error.path().to_string();
    let message = super::strip_position(&error.into_inner().to_string());
    ImportError::Shape(Problem::new(if path == "." { "the file".into() } else { path }, plain(&message)))
}

/// Where and why a file with a good header does not have the shape of a Spanwright file,
/// by line and column (built without `json-paths`).
#[cfg(not(feature = "json-paths"))]
fn shape_problem(input: &str) -> ImportError {
    match serde_json::from_str::<WireFile>(input) {
        Err(e) => ImportError::Shape(Problem::new(format!("line {}, column {}", e.line(), e.column()), plain(&super::strip_position(&e.to_string())))),
        Ok(_) => ImportError::Shape(Problem::new("the file", "it does not have the shape of a Spanwright file")),
    }
}

/// serde's words for types, in the words of someone editing a JSON file.
fn plain(message: &str) -> String {
    message
        .replace("expected u64", "expected a whole number, 0 or more")
        .replace("expected a sequence", "expected a list")
        .replace("invalid type: map", "invalid type: an object")
        .replace("invalid type: sequence", "invalid type: a list")
        .replace("floating point", "number")
}

/// Why a file that did not load is not Spanwright JSON at all, if that is why: not JSON, not
/// an object, not Spanwright's, or another version. `Ok` when the header is fine (the
/// problem is then in the shape).
fn diagnose(input: &str, object: bool) -> Result<(), ImportError> {
    let probe: Probe = match serde_json::from_str(input) {
        Ok(p) if object => p,
        Ok(_) => {
            let value: Value = serde_json::from_str(input).map_err(|e| ImportError::from_json(&e))?;
            return Err(ImportError::NotSpanwright(format!("expected a JSON object at the top, found {}", kind_of(&value))));
        }
        Err(e) if e.is_data() => {
            // Valid JSON, but not an object at the top: say what it is.
            let value: Value = serde_json::from_str(input).map_err(|e| ImportError::from_json(&e))?;
            return Err(ImportError::NotSpanwright(format!("expected a JSON object at the top, found {}", kind_of(&value))));
        }
        Err(e) => return Err(ImportError::from_json(&e)),
    };
    check_header(&probe)
}

/// What is read to diagnose a file: the fields that say whether it is a Spanwright file at
/// all. Any other field is skipped, but its syntax is still checked.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    format: Option<Value>,
    #[serde(default)]
    version: Option<Value>,
    #[serde(default)]
    data: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    annotations: Option<serde::de::IgnoredAny>,
}

/// Refuses files that are not Spanwright's, or of another version, before looking deeper,
/// so the user hears about the real problem rather than a missing field.
fn check_header(probe: &Probe) -> Result<(), ImportError> {
    match &probe.format {
        Some(Value::String(s)) if s == FORMAT => {}
        Some(other) => {
            return Err(ImportError::NotSpanwright(format!("\"format\" is {other}, expected \"{FORMAT}\"")));
        }
        None if probe.data.is_some() || probe.annotations.is_some() => {
            return Err(ImportError::NotSpanwright("it looks like a Label Studio task; import it as Label Studio".into()));
        }
        None => return Err(ImportError::NotSpanwright("there is no \"format\": \"spanwright\" field".into())),
    }
    match &probe.version {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION as u64) => Ok(()),
        Some(v) => Err(ImportError::UnknownVersion { found: v.to_string(), supported: VERSION }),
        None => Err(ImportError::Shape(Problem::new("version", "missing field `version`"))),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn check_labels(labels: &LabelSet, refused: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    for (i, l) in labels.labels.iter().enumerate() {
        if !seen.insert(&l.id) {
            refused.push(Problem::new(format!("labels.labels[{i}]"), format!("label id “{}” appears twice", l.id)));
        }
    }
}

/// Builds a set from its wire form, refusing (with their paths) the spans and relations that
/// do not fit the document or the labels.
fn build_set(wire: WireSet, doc: &Document, labels: &LabelSet, path: &str, refused: &mut Vec<Problem>) -> AnnotationSet {
    let index = doc.index();
    let len = index.char_len();
    let mut set = AnnotationSet::new(wire.id, wire.name, wire.annotator, doc, &wire.created);
    set.updated = wire.updated;
    set.done = wire.done;
    set.suggestions = wire.suggestions;
    let mut probe = Workspace::default();
    probe.labels = labels.clone();

    for (j, r) in wire.rejected_suggestions.into_iter().enumerate() {
        if r.start >= r.end || r.end > len {
            let message = format!("the range {}..{} is not inside the document ({len} characters)", r.start, r.end);
            refused.push(Problem::new(format!("{path}.rejected_suggestions[{j}]"), message));
        } else if labels.label(&r.label).is_none() {
            refused.push(Problem::new(format!("{path}.rejected_suggestions[{j}]"), format!("there is no label “{}”", r.label)));
        } else {
            set.rejected.insert(r);
        }
    }
    let mut refused_ids = Vec::new();
    for (j, s) in wire.spans.into_iter().enumerate() {
        let s_id = s.id;
        let result = check_span(&s, &index, len).and_then(|range| {
            let provenance = s.provenance.map(WireProvenance::read).transpose()?;
            let span = Span { id: s.id, range, label: s.label, entity_type: s.entity_type, note: s.note, provenance };
            probe.check_span_labels(&span).map_err(|e| e.to_string())?;
            set.insert_span(span, len).map_err(|e| e.to_string())
        });
        if let Err(message) = result {
            refused.push(Problem::new(format!("{path}.spans[{j}]"), message));
            refused_ids.push(s_id);
        }
    }
    for (j, r) in wire.relations.into_iter().enumerate() {
        let rp = || format!("{path}.relations[{j}]");
        if labels.relation_type(&r.kind).is_none() {
            refused.push(Problem::new(rp(), format!("there is no relation type “{}”", r.kind)));
            continue;
        }
        let (id, from, to) = (r.id, r.from, r.to);
        if let Err(e) = set.insert_relation(Relation { id, kind: r.kind, from, to }) {
            // Say so when the span is missing only because it was refused itself.
            let message = match [from, to].into_iter().find(|s| set.span(*s).is_none() && refused_ids.contains(s)) {
                Some(span) => format!("relation {id} points to span {span}, which was refused above"),
                None => e.to_string(),
            };
            refused.push(Problem::new(rp(), message));
        }
    }
    set
}

fn check_span(s: &WireSpan, index: &OffsetIndex<'_>, len: usize) -> Result<CharRange, String> {
    let (start, end) = (usize::try_from(s.start).unwrap_or(usize::MAX), usize::try_from(s.end).unwrap_or(usize::MAX));
    if end > len || start > len {
        return Err(format!("the range {}..{} is past the end of the document ({len} characters)", s.start, s.end));
    }
    let range = CharRange::new(start, end, len).map_err(|e| e.to_string())?;
    index.check_whole_clusters(range)?;
    let actual = index.slice(range);
    if actual != s.text {
        return Err(format!("the span text {:?} does not match the document, which has {actual:?} at {range}", s.text));
    }
    Ok(range)
}

#[cfg(test)]
mod tests;
