//! Exports and uploads as jobs for the formats worker, a second wasm module that the page
//! loads the first time someone exports or uploads. Keeping the exporters, the foreign-format
//! readers and their path-tracking diagnostics out of the page's own module makes the app
//! smaller to load, and a 30 MB upload is parsed without freezing the page.
//!
//! What crosses between them is strings, so this part is pure and tested natively:
//! - the page hands the worker the documents and sets it does not hold yet, in batches, and
//!   names what a job works on (the whole workspace or a [`scope`](super::scope)) in a small
//!   manifest ([`super::mirror`]); jobs from before that send the whole workspace as compact
//!   Spanwright JSON ([`native::save_workspace_compact`]), and the worker keeps the last one
//!   it read;
//! - an export comes back as [`ExportReply`]: file names, types and contents;
//! - an upload comes back as [`UploadReply`]: the merge plan, whose new documents and sets
//!   travel as Spanwright files of about [`PLAN_PART_BYTES`] that the page reads a part per
//!   task with [`native::load_plan`], which it has anyway for browser storage.

use std::collections::HashSet;

use super::{
    corpus::{self, CorpusError, FieldMap, Imported, Progress, Source},
    native, upload, Format,
};
use crate::{
    agreement::{adjudicate, report, view},
    model::{AnnotationSet, CharRange, Document, Origin, Provenance, Workspace},
    state::merge::Merge,
    suggest,
};

/// A file an export made, as it travels back to the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyFile {
    /// Suggested file name.
    pub name: String,
    /// MIME type.
    pub media_type: String,
    /// The content.
    pub content: String,
}

/// An export's files and report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportReply {
    /// The files, in download order.
    pub files: Vec<ReplyFile>,
    /// What the format could not hold.
    pub report: Vec<String>,
}

/// A merge plan and the line that tells the user what was uploaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadReply {
    /// The plan's labels, new documents and new sets, in parts of about [`PLAN_PART_BYTES`]:
    /// each a Spanwright file of kind "set" with the labels, whose sets may refer to
    /// documents already in the workspace or in an earlier part. The page reads a part per
    /// task ([`MergeReader`]).
    pub merge: Vec<String>,
    /// The plan's decisions, one line each.
    pub messages: Vec<String>,
    /// "Uploaded x.json (Spanwright JSON): …".
    pub summary: String,
}

/// Why a job gave no result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// The job ran and refused its input; the message is the whole message for the user
    /// ("Upload of x.json failed, nothing was changed: …").
    #[error("{0}")]
    Refused(String),
    /// The formats worker could not run the job: it would not start, it stopped, or the job
    /// could not be handed to it. The message says which.
    #[error("{0}")]
    Worker(String),
    /// The worker's reply did not read back.
    #[error("the formats worker's reply could not be read ({0})")]
    Reply(String),
}

/// The workspace the page sent.
pub fn read_workspace(json: &str) -> Result<Workspace, String> {
    native::load(json, &[]).map(|l| l.into_workspace()).map_err(|e| format!("the workspace could not be passed to the formats worker ({e})"))
}

/// Exports every set of the workspace in `format` (a [`Format::id`]), telling
/// `progress(articles written, articles in all)` as it goes. brat's files for more than one
/// set come as one tar archive ([`super::tar`]).
pub fn export(format: &str, ws: &Workspace, progress: &mut dyn FnMut(usize, usize)) -> Result<ExportReply, String> {
    let format: Format = format.parse()?;
    let sets: Vec<&AnnotationSet> = ws.sets().iter().collect();
    let export = format.export_with(ws, &sets, progress);
    // Two files a set: a corpus would be thousands of downloads.
    let export = if format == Format::Brat { super::tar::bundle(export, "brat.tar", 2) } else { export };
    Ok(ExportReply {
        files: export.files.into_iter().map(|f| ReplyFile { name: f.name, media_type: f.media_type.to_owned(), content: f.content }).collect(),
        report: export.report,
    })
}

/// The workspace as *Download JSON* saves it (compact Spanwright JSON), telling
/// `progress(articles written, articles in all)` as its sets are written.
pub fn save(ws: &Workspace, progress: &mut dyn FnMut(usize, usize)) -> String {
    native::save_selection(ws, &super::scope::select(ws, &super::scope::Scope::All), progress)
}

/// An agreement report, ready for the page: the view as HTML, and the report as CSV and as
/// indented JSON for download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreeReply {
    /// [`crate::agreement::view::blocks`] as HTML ([`view::to_html`]).
    pub html: String,
    /// The report as CSV.
    pub csv: String,
    /// The report as indented JSON.
    pub json: String,
}

/// The agreement report of the sets `selectors` names (ids, names or annotators; every
/// annotator's when empty) over the documents `docs` (every document when empty), overlap at
/// IoU ≥ `iou`. Over one document, each pair's sets are also drawn over its text.
pub fn agree(ws: &Workspace, selectors: &[String], docs: &[String], iou: f64) -> Result<AgreeReply, String> {
    agree_with(ws, selectors, docs, iou, &mut |_, _| {})
}

/// [`agree`], calling `progress(done, total)` as documents are compared.
pub fn agree_with(ws: &Workspace, selectors: &[String], docs: &[String], iou: f64, progress: &mut dyn FnMut(usize, usize)) -> Result<AgreeReply, String> {
    let docs: Vec<&Document> = ws.documents().iter().map(|d| &**d).filter(|d| docs.is_empty() || docs.contains(&d.id)).collect();
    let selectors = if selectors.is_empty() { report::owners(ws, &docs) } else { selectors.to_vec() };
    let r = report::report_with(ws, &selectors, &docs, iou, progress).map_err(|e| e.to_string())?;
    let one = (docs.len() == 1).then(|| docs[0].id.as_str());
    // A set named by its id is shown by its name and annotator; an annotator by name.
    let name_of = |sel: &str| one.and_then(|d| ws.sets_of(d).find(|s| s.id == sel)).map_or_else(|| sel.to_owned(), report::set_title);
    let blocks = view::blocks(ws, &r, &view::Options { name_of: &name_of, compare: one });
    Ok(AgreeReply { html: view::to_html(&blocks), csv: r.csv(), json: serde_json::to_string_pretty(&r).expect("a report serialises") })
}

/// The adjudication of the sets `sets` (ids) of `doc`, spans taken at once when `k` sets have
/// them: its conflicts' keys and the conflicts laid out for the page
/// ([`view::conflicts`]).
pub fn adjudication(ws: &Workspace, doc: &str, sets: &[String], k: usize) -> Result<(Vec<String>, String), String> {
    let plan = plan_of(ws, doc, sets, k)?;
    Ok((plan.keys(), serde_json::to_string(&view::conflicts(ws, doc, &plan, k)).expect("strings serialise")))
}

fn plan_of(ws: &Workspace, doc: &str, sets: &[String], k: usize) -> Result<adjudicate::Plan, String> {
    let chosen: Vec<&AnnotationSet> = sets
        .iter()
        .map(|id| ws.set(id).filter(|s| s.doc_id == doc).ok_or_else(|| format!("the set “{id}” is not on this article any more")))
        .collect::<Result<_, _>>()?;
    if chosen.len() < 2 {
        return Err("adjudication needs two or more sets".into());
    }
    Ok(adjudicate::plan(&chosen, k, crate::agreement::DEFAULT_IOU))
}

/// The gold set of an adjudication with these decisions ([`adjudicate::encode_decisions`]'s
/// text), as an upload brings a set: a Spanwright file the page reads and adds as one undo
/// step, and the line that says what it holds.
#[allow(clippy::too_many_arguments)]
pub fn gold(
    ws: &Workspace,
    doc: &str,
    sets: &[String],
    k: usize,
    decisions: &str,
    id: &str,
    name: &str,
    annotator: &str,
    at: &str,
) -> Result<UploadReply, String> {
    let plan = plan_of(ws, doc, sets, k)?;
    let decisions = adjudicate::decode_decisions(decisions);
    let d = ws.document(doc).ok_or_else(|| "the article is not there any more".to_owned())?;
    let (gold, left_out) = plan.gold_set(&decisions, d, id.to_owned(), name.to_owned(), annotator.to_owned(), at);
    let count = |f: fn(&Provenance) -> bool| gold.spans().iter().filter(|s| s.provenance.as_ref().is_some_and(f)).count();
    let mut summary = format!(
        "Created the gold set “{}” on “{}”: {} spans ({} unanimous, {} by majority, {} adjudicated) and {} links.",
        gold.name,
        d.header.title,
        gold.spans().len(),
        count(|p| matches!(p, Provenance::Unanimous { .. })),
        count(|p| matches!(p, Provenance::Majority { .. })),
        count(|p| matches!(p, Provenance::Adjudicated { .. })),
        gold.relations().len()
    );
    let undecided = plan.conflicts.len() - plan.decided(&decisions);
    if undecided > 0 {
        summary.push_str(&format!(" {undecided} of {} conflicts were not decided and are left out.", plan.conflicts.len()));
    }
    if !left_out.is_empty() {
        summary.push_str(&format!(" {} span(s) left out: the set already has a span with the same range and label.", left_out.len()));
    }
    let merge = Merge { labels: ws.labels.clone(), documents: Vec::new(), sets: vec![gold], messages: Vec::new() };
    Ok(UploadReply { merge: merge_files(ws, &merge)?, messages: Vec::new(), summary })
}

/// Suggestions as they travel back to the page, in a form that costs the page little to
/// read (a long article with a large dictionary has thousands) and needs no JSON reader:
/// what they say, each different label, entity type (empty for none), source name and
/// detail once, written one after another in `kinds`; and numbers, as little-endian `u32`
/// bytes in `places`: how many kinds, the length in bytes of each of their four texts, then
/// five numbers per suggestion: start, end, the index of its kind, and the suggested
/// speaker's start and end (0 and 0 for none), in code points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestReply {
    /// What the suggestions say, four texts per kind, one after another.
    pub kinds: String,
    /// The numbers.
    pub places: Vec<u8>,
}

/// Reads a gazetteer for the page ([`suggest::parse_gazetteer`] against the workspace's
/// labels): how many entries, and the text to keep (written back by
/// [`suggest::gazetteer_text`], labels by id), or a message naming every bad line.
pub fn gazetteer(ws: &Workspace, text: &str) -> Result<(usize, String), String> {
    match suggest::parse_gazetteer(text, &ws.labels) {
        Ok(entries) if entries.is_empty() => Err("the gazetteer has no entries (one text<TAB>LABEL[<TAB>TYPE] a line)".to_owned()),
        Ok(entries) => Ok((entries.len(), suggest::gazetteer_text(&entries))),
        Err(errors) => {
            Err(format!("the gazetteer was not imported, nothing changed: {}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))
        }
    }
}

/// The suggestions for document `doc` in set `set` ([`suggest::for_document_with`]), with
/// the kept gazetteer text and the comma-separated extra speech verbs, as a
/// [`SuggestReply`]. A kept gazetteer that no longer reads (a label since removed) is
/// refused with its bad lines.
pub fn suggest(ws: &Workspace, doc: &str, set: &str, gazetteer: &str, verbs: &str) -> Result<SuggestReply, String> {
    Suggester::default().suggest(ws, doc, set, gazetteer, verbs)
}

/// Suggestion passes that keep the matchers they built ([`suggest::Matcher`]): the
/// dictionary's automaton while the workspace's annotations give the same texts (counts,
/// labels and types may change), the gazetteer's while its text and the labels are the same.
/// Building the automaton is most of a pass with thousands of entries; switching
/// suggestions on, opening another article or set, accepting suggestions of names already
/// known, or changing the speech verbs then costs only the search. The formats worker keeps
/// one.
#[derive(Default)]
pub struct Suggester {
    dictionary: Option<suggest::Matcher>,
    gazetteer: Option<(String, suggest::Matcher)>,
}

impl Suggester {
    /// [`suggest`], with the matchers kept from the last pass where they still hold.
    pub fn suggest(&mut self, ws: &Workspace, doc: &str, set: &str, gazetteer: &str, verbs: &str) -> Result<SuggestReply, String> {
        let set = (!set.is_empty()).then_some(set);
        let text = gazetteer.trim();
        if !matches!(&self.gazetteer, Some((kept, m)) if kept == text && *m.labels() == ws.labels) {
            self.gazetteer = None;
            let entries = match text {
                "" => Vec::new(),
                text => suggest::parse_gazetteer(text, &ws.labels).map_err(|errors| {
                    format!("the kept gazetteer no longer reads: {}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
                })?,
            };
            self.gazetteer = Some((text.to_owned(), suggest::Matcher::new(entries, suggest::Source::Gazetteer, &ws.labels)));
        }
        let entries = suggest::dictionary(ws);
        self.dictionary = Some(match self.dictionary.take() {
            Some(kept) => kept.with_entries(entries, &ws.labels),
            None => suggest::Matcher::new(entries, suggest::Source::Dictionary, &ws.labels),
        });
        let (Some(dictionary), Some((_, gazetteer))) = (&self.dictionary, &self.gazetteer) else { unreachable!("both made above") };
        Ok(reply(&suggest::for_document_using(ws, doc, set, dictionary, gazetteer, &suggest::speech_verbs(verbs))))
    }
}

fn reply(all: &[suggest::Suggestion]) -> SuggestReply {
    let mut kinds = String::new();
    let mut lengths: Vec<u32> = Vec::new();
    // Known by where their detail is kept (every place of one entry shares it) rather than by
    // its text, which would be hashed once per place.
    let mut seen: std::collections::HashMap<(*const u8, &str, Option<&str>, suggest::Source), u32> = std::collections::HashMap::new();
    let mut numbers: Vec<u32> = Vec::with_capacity(all.len() * 5);
    for s in all {
        let at = *seen.entry((s.detail.as_ptr(), &*s.label, s.entity_type.as_deref(), s.source)).or_insert_with(|| {
            for field in [&*s.label, s.entity_type.as_deref().unwrap_or(""), s.source.name(), &*s.detail] {
                kinds.push_str(field);
                lengths.push(field.len() as u32);
            }
            (lengths.len() / 4 - 1) as u32
        });
        let (a, b) = s.speaker.map_or((0, 0), |p| (p.start(), p.end()));
        numbers.extend([s.range.start(), s.range.end(), at as usize, a, b].map(|n| n as u32));
    }
    let header = std::iter::once((lengths.len() / 4) as u32).chain(lengths);
    let places = header.chain(numbers).flat_map(u32::to_le_bytes).collect();
    SuggestReply { kinds, places }
}

/// The suggestions of a [`suggest`] reply, checked against the document's length.
pub fn suggestions_from_reply(reply: &SuggestReply, doc_len: usize) -> Result<Vec<suggest::Suggestion>, JobError> {
    let bad = |why: String| JobError::Reply(why);
    if reply.places.len() % 4 != 0 {
        return Err(bad(format!("{} bytes of numbers, not whole u32s", reply.places.len())));
    }
    let mut numbers = reply.places.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let count = numbers.next().unwrap_or(0);
    let mut at = 0usize;
    let mut text = || {
        let len = numbers.next().ok_or_else(|| bad("the kinds' lengths are cut short".into()))?;
        let field = reply.kinds.get(at..at + len).ok_or_else(|| bad(format!("a kind's text at byte {at} runs past the end or splits a character")))?;
        at += len;
        Ok::<_, JobError>(field)
    };
    let mut kinds = Vec::with_capacity(count.min(reply.places.len()));
    for _ in 0..count {
        let (label, entity_type, source, detail) = (text()?, text()?, text()?, text()?);
        let source = suggest::Source::from_name(source).ok_or_else(|| bad(format!("no suggestion source “{source}”")))?;
        let shared = |s: &str| std::sync::Arc::<str>::from(s);
        kinds.push((shared(label), (!entity_type.is_empty()).then(|| shared(entity_type)), source, shared(detail)));
    }
    let rest: Vec<usize> = numbers.collect();
    if rest.len() % 5 != 0 {
        return Err(bad(format!("{} numbers of places, not five each", rest.len())));
    }
    rest.chunks_exact(5)
        .map(|p| {
            let [start, end, kind, a, b] = [p[0], p[1], p[2], p[3], p[4]];
            let range = CharRange::new(start, end, doc_len).map_err(|e| bad(e.to_string()))?;
            let (label, entity_type, source, detail) = kinds.get(kind).ok_or_else(|| bad(format!("no suggestion kind {kind}")))?;
            let speaker = (b != 0).then(|| CharRange::new(a, b, doc_len).ok()).flatten();
            Ok(suggest::Suggestion { range, label: label.clone(), entity_type: entity_type.clone(), source: *source, detail: detail.clone(), speaker })
        })
        .collect()
}

/// Reads an uploaded file against the workspace ([`upload::read`]'s rules), telling
/// `progress(checked, in all)` as a Spanwright file's documents and sets are checked; `Err` is
/// the whole message for the user.
pub fn upload(name: &str, bytes: &[u8], ws: &Workspace, at: &str, progress: &mut dyn FnMut(usize, usize)) -> Result<UploadReply, String> {
    let up = upload::read_with(name, bytes, ws, at, progress).map_err(|e| e.to_string())?;
    let merge = merge_files(ws, &up.merge).map_err(|e| format!("Upload of {name} failed, nothing was changed: {e}"))?;
    Ok(UploadReply { merge, messages: up.merge.messages, summary: up.summary })
}

/// What the page tells an import about its workspace: the documents' ids and text hashes,
/// and how many bytes of new text storage has room for.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Known {
    room: Option<usize>,
    documents: Vec<(String, String)>,
}

/// The workspace's document ids and text hashes, and the `room` (in bytes) storage has
/// left for new texts, as the page sends them for an import (JSON).
pub fn known_documents(ws: &Workspace, room: usize) -> String {
    let documents = ws.documents().iter().map(|d| (d.id.clone(), d.sha256.clone())).collect();
    serde_json::to_string(&Known { room: Some(room), documents }).expect("ids and hashes serialise")
}

/// Reads a corpus ([`corpus::read`]) against the documents [`known_documents`] listed, with
/// the fields named by `fields` (a JSON [`FieldMap`]). New texts beyond the room storage has
/// are refused whole ([`CorpusError::DoesNotFit`]), before they travel back to the page.
pub fn import(sources: &[Source<'_>], fields: &str, known: &str, progress: &mut dyn FnMut(Progress)) -> Result<Imported, CorpusError> {
    let fields: FieldMap = serde_json::from_str(fields).unwrap_or_default();
    let known: Known = serde_json::from_str(known).unwrap_or_default();
    let (ids, hashes): (HashSet<String>, HashSet<String>) = known.documents.into_iter().unzip();
    let imported = corpus::read(sources, &fields, &hashes, &ids, progress)?;
    // The room is in bytes, as the browser's storage estimate gives it.
    let bytes: usize = imported.documents.iter().map(|d| d.text.len()).sum();
    if known.room.is_some_and(|room| bytes > room) {
        return Err(CorpusError::DoesNotFit { articles: imported.documents.len(), bytes });
    }
    Ok(imported)
}

/// Imported documents as they travel to the page: one byte buffer (transferred, never turned
/// into JavaScript strings), each document its id, header as JSON, text and SHA-256, each
/// field a little-endian `u32` length and that many bytes of UTF-8. The page reads it back in
/// parts with [`Unpacker`], a task each, so a corpus arrives without a long task.
pub fn pack_documents(docs: &[Document]) -> Vec<u8> {
    let headers: Vec<String> = docs.iter().map(|d| serde_json::to_string(&d.header).expect("a header serialises")).collect();
    let size: usize = docs.iter().zip(&headers).map(|(d, h)| 16 + d.id.len() + h.len() + d.text.len() + d.sha256.len()).sum();
    let mut out = Vec::with_capacity(size);
    for (doc, header) in docs.iter().zip(&headers) {
        for field in [doc.id.as_str(), header, &doc.text, &doc.sha256] {
            let len = u32::try_from(field.len()).expect("an article's field is under 4 GiB");
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(field.as_bytes());
        }
    }
    out
}

/// Reads what [`pack_documents`] packed, a part at a time. The text's hash was computed by
/// the worker from this very text, so it is taken, not computed again on the page.
#[derive(Debug)]
pub struct Unpacker {
    bytes: Vec<u8>,
    at: usize,
    read: usize,
}

impl Unpacker {
    /// Reads `bytes` from the start.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self { bytes, at: 0, read: 0 }
    }

    /// Whether every document was read.
    pub fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// How far it has come: bytes read and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.at, self.bytes.len())
    }

    /// The next documents, as many as fit in about `budget` bytes (at least one).
    pub fn take(&mut self, budget: usize) -> Result<Vec<Document>, JobError> {
        let start = self.at;
        let mut docs = Vec::new();
        while !self.is_done() && (docs.is_empty() || self.at - start < budget) {
            let n = self.read + 1;
            let mut field = |what: &str| -> Result<String, JobError> {
                let cut = || JobError::Reply(format!("imported article {n} is cut short in its {what}, at byte {}", self.at));
                let len = self.bytes.get(self.at..self.at + 4).ok_or_else(cut)?;
                let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
                let bytes = self.bytes.get(self.at + 4..self.at + 4 + len).ok_or_else(cut)?;
                let text = std::str::from_utf8(bytes).map_err(|e| JobError::Reply(format!("imported article {n}'s {what} is not UTF-8 ({e})")))?.to_owned();
                self.at += 4 + len;
                Ok(text)
            };
            let (id, header, text, sha256) = (field("id")?, field("header")?, field("text")?, field("hash")?);
            let header = serde_json::from_str(&header).map_err(|e| JobError::Reply(format!("imported article {n}'s header ({e})")))?;
            docs.push(Document { id, header, origin: Origin::User, text: text.into(), sha256, index_cache: Default::default() });
            self.read = n;
        }
        Ok(docs)
    }
}

/// About how many bytes of texts and spans one part of a merge plan holds: read on the page
/// in a few milliseconds (the 22 MB plan of a 2,000-article corpus read whole held the page
/// for 260 ms).
pub const PLAN_PART_BYTES: usize = 512 * 1024;

/// The plan's labels, documents and sets as Spanwright files of about [`PLAN_PART_BYTES`]
/// each: the documents first, then the sets, so a set's document is known when its part is
/// read. Always one part at least, which carries the labels.
fn merge_files(ws: &Workspace, merge: &Merge) -> Result<Vec<String>, String> {
    merge_files_in(ws, merge, PLAN_PART_BYTES)
}

/// [`merge_files`] in parts of about `part_bytes`.
fn merge_files_in(ws: &Workspace, merge: &Merge, part_bytes: usize) -> Result<Vec<String>, String> {
    // The sets' documents are among the new ones or the workspace's.
    let mut all = Workspace::with_documents(ws.documents().iter().map(|d| Document::clone(d)).chain(merge.documents.iter().cloned()));
    all.labels = merge.labels.clone();
    for set in &merge.sets {
        // Ids were made unique by the plan and its sets only use its labels, so this holds;
        // if it did not, the upload is refused rather than a set silently left out.
        all.insert_set(usize::MAX, set.clone()).map_err(|e| format!("the set “{}” could not be added ({e})", set.name))?;
    }
    let sets: Vec<&AnnotationSet> = all.sets().iter().collect();
    // A span or a link takes about this many bytes in the file; a span costs more to read
    // back than its bytes of text would, so sets go in quarter parts.
    let set_bytes = |s: &AnnotationSet| 4 * (200 + 120 * s.spans().len() + 80 * s.relations().len());
    let mut parts = Vec::new();
    let (mut docs, mut bytes) = (0, 0);
    for (i, d) in merge.documents.iter().enumerate() {
        bytes += 200 + d.text.len();
        if bytes >= part_bytes || i + 1 == merge.documents.len() {
            parts.push(native::save_plan(&all, &merge.documents[docs..=i], &[]));
            (docs, bytes) = (i + 1, 0);
        }
    }
    let (mut first, mut bytes) = (0, 0);
    for (i, set) in sets.iter().enumerate() {
        bytes += set_bytes(set);
        if bytes >= part_bytes || i + 1 == sets.len() {
            parts.push(native::save_plan(&all, &[], &sets[first..=i]));
            (first, bytes) = (i + 1, 0);
        }
    }
    if parts.is_empty() {
        parts.push(native::save_plan(&all, &[], &[]));
    }
    Ok(parts)
}

/// Reads the merge plan an [`UploadReply`] carries a part at a time, each against the
/// workspace as it is then and the documents of the parts before.
#[derive(Debug)]
pub struct MergeReader {
    parts: std::vec::IntoIter<String>,
    total: usize,
    merge: Merge,
}

impl MergeReader {
    /// Starts on `reply`'s plan.
    pub fn new(reply: UploadReply) -> Self {
        let total = reply.merge.len();
        Self { parts: reply.merge.into_iter(), total, merge: Merge { messages: reply.messages, ..Merge::default() } }
    }

    /// Parts read and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.total - self.parts.len(), self.total)
    }

    /// Whether every part was read.
    pub fn is_done(&self) -> bool {
        self.parts.len() == 0
    }

    /// Reads the next part, if any.
    pub fn read_next(&mut self, ws: &Workspace) -> Result<(), JobError> {
        let Some(part) = self.parts.next() else { return Ok(()) };
        let known: Vec<&Document> = ws.documents().iter().map(|d| &**d).chain(&self.merge.documents).collect();
        let imported = native::load_plan(&part, &known).map_err(|e| JobError::Reply(e.to_string()))?.imported;
        if let Some(p) = imported.refused.first() {
            return Err(JobError::Reply(p.to_string()));
        }
        self.merge.labels = imported.labels;
        self.merge.documents.extend(imported.documents);
        self.merge.sets.extend(imported.sets);
        Ok(())
    }

    /// What was read.
    pub fn finish(self) -> Merge {
        self.merge
    }
}

/// The merge plan an [`UploadReply`] carries, read against the workspace it was made for,
/// all at once (a small plan: a gold set).
pub fn merge_from_reply(ws: &Workspace, reply: &UploadReply) -> Result<Merge, JobError> {
    let mut reader = MergeReader::new(reply.clone());
    while !reader.is_done() {
        reader.read_next(ws)?;
    }
    Ok(reader.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        fixture,
        formats::{
            mirror::{manifest, Handed, Held},
            native::save_workspace_compact,
            scope::{select, Scope},
        },
    };

    #[test]
    fn exports_match_what_the_page_made_before() {
        let ws = fixture::workspace("[claim:[entity/person:Ana] said [quote:“hi 🙂”]] in [entity/location:Niš]\r\nok");
        let sets: Vec<&AnnotationSet> = ws.sets().iter().collect();
        for format in Format::ALL {
            let direct = format.export(&ws, &sets);
            let reply = export(format.id(), &read_workspace(&save_workspace_compact(&ws)).unwrap(), &mut |_, _| {}).unwrap();
            let files: Vec<(String, String, String)> = direct.files.into_iter().map(|f| (f.name, f.media_type.to_owned(), f.content)).collect();
            let got: Vec<(String, String, String)> = reply.files.into_iter().map(|f| (f.name, f.media_type, f.content)).collect();
            assert_eq!(got, files, "{}", format.id());
            assert_eq!(reply.report, direct.report, "{}", format.id());
        }
        assert!(export("docx", &ws, &mut |_, _| {}).unwrap_err().contains("unknown format “docx”"));
    }

    /// The fixture's four articles ("k" with two sets, "b" and "z" with one, "h" with none).
    fn corpus() -> Workspace {
        fixture::corpus("2026-11-24T00:00:00Z")
    }

    /// What the worker builds for `scope` after the page has handed it over.
    fn in_the_worker(ws: &Workspace, scope: &Scope) -> Workspace {
        let (mut handed, mut held) = (Handed::default(), Held::default());
        let sel = select(ws, scope);
        while let Some(b) = handed.next_batch(ws, &sel, 1 << 20) {
            held.take(b.documents.into_iter().map(|d| (d.id, d.meta, d.text.to_string(), d.sha256)).collect(), &b.sets).unwrap();
        }
        held.workspace(&manifest(ws, &sel)).unwrap().clone()
    }

    #[test]
    fn a_subset_exports_in_the_worker_as_its_sets_export_here_with_progress_by_article() {
        let ws = corpus();
        let scope = Scope::Listed(vec!["z".into(), "k".into(), "h".into()]);
        let there = in_the_worker(&ws, &scope);
        let sel = select(&ws, &scope);
        for format in Format::ALL {
            let direct = format.export(&ws, &sel.sets);
            let direct = if format == Format::Brat { crate::formats::tar::bundle(direct, "brat.tar", 2) } else { direct };
            let mut told = Vec::new();
            let reply = export(format.id(), &there, &mut |done, total| told.push((done, total))).unwrap();
            let files: Vec<(String, String)> = direct.files.into_iter().map(|f| (f.name, f.content)).collect();
            assert_eq!(reply.files.into_iter().map(|f| (f.name, f.content)).collect::<Vec<_>>(), files, "{}", format.id());
            assert_eq!(reply.report, direct.report, "{}", format.id());
            // "h" has no set: two articles are written, each counted once.
            assert_eq!(told, vec![(1, 2), (2, 2)], "{}", format.id());
        }
        // brat's six files (three sets) in one archive, each as brat writes it.
        let brat = export("brat", &there, &mut |_, _| {}).unwrap();
        let names: Vec<String> = crate::formats::tar::tests::untar(brat.files[0].content.as_bytes()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["k1.txt", "k1.ann", "k2.txt", "k2.ann", "z1.txt", "z1.ann"]);
        let lines = export("jsonl", &there, &mut |_, _| {}).unwrap().files[0].content.clone();
        let docs: Vec<String> =
            lines.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["meta"]["document_id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(docs, ["k", "k", "z"], "the listed articles' sets, in the workspace's order");
    }

    #[test]
    fn a_subset_download_holds_the_listed_articles_and_loads_back_through_upload_json() {
        let ws = corpus();
        let scope = Scope::Listed(vec!["k".into(), "h".into()]);
        let mut told = Vec::new();
        let json = save(&in_the_worker(&ws, &scope), &mut |done, total| told.push((done, total)));
        assert_eq!(told, vec![(1, 1)]);
        let file: serde_json::Value = serde_json::from_str(&json).unwrap();
        let ids = |key: &str| file[key].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        assert_eq!((ids("documents"), ids("sets")), (vec!["k".to_owned(), "h".to_owned()], vec!["k1".to_owned(), "k2".to_owned()]));
        assert_eq!(file["kind"], "workspace");
        assert_eq!(file["labels"], serde_json::to_value(&ws.labels).unwrap(), "the label schema comes along");

        // Back into the workspace it came from: everything is there already.
        let same = upload::read("subset.json", json.as_bytes(), &ws, "t").unwrap();
        assert!(same.merge.documents.is_empty() && same.merge.sets.is_empty());
        assert_eq!(same.merge.messages, ["The set “A” is already here, unchanged; skipped.", "The set “B” is already here, unchanged; skipped."]);
        // Into a workspace without them: they arrive, and load back equal.
        let elsewhere = Workspace::with_documents([Document::new("b", "Another text under b.", crate::model::Origin::User)]);
        let up = upload::read("subset.json", json.as_bytes(), &elsewhere, "t").unwrap();
        assert!(up.summary.starts_with("Uploaded subset.json (Spanwright JSON): 2 documents, 2 sets, 3 spans, 0 relations."), "{}", up.summary);
        assert_eq!(up.merge.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["k", "h"]);
        assert_eq!(up.merge.sets, vec![ws.set("k1").unwrap().clone(), ws.set("k2").unwrap().clone()]);
    }

    #[test]
    fn the_whole_download_is_the_saved_workspace() {
        let ws = corpus();
        assert_eq!(save(&in_the_worker(&ws, &Scope::All), &mut |_, _| {}), save_workspace_compact(&ws));
    }

    #[test]
    fn suggestions_travel_back_as_they_were_made() {
        let ws = fixture::workspace("[entity/person:Lavrov] said: “We will talk.” Later Lavrov left.");
        let reply = suggest(&read_workspace(&save_workspace_compact(&ws)).unwrap(), "doc", "set", "", "").unwrap();
        let back = suggestions_from_reply(&reply, ws.document("doc").unwrap().char_len()).unwrap();
        assert_eq!(back, suggest::for_document(&ws, "doc", Some("set")));
        let got: Vec<(usize, usize, &str, &str)> = back.iter().map(|s| (s.range.start(), s.range.end(), s.source.name(), &*s.detail)).collect();
        // The tagged Lavrov is no suggestion; the other one is, and so is the quotation, spoken by the tagged Lavrov.
        assert_eq!(got, vec![(14, 27, "quote cue", "quotation near “said”, speaker Lavrov"), (35, 41, "dictionary", "Lavrov → Person (1×)")]);
        assert_eq!(back[0].speaker.map(|p| (p.start(), p.end())), Some((0, 6)));
        assert!(suggestions_from_reply(&reply, 10).is_err(), "a range past the end is refused");
    }

    #[test]
    fn each_thing_suggestions_say_travels_once_and_a_damaged_reply_is_refused() {
        let ws = fixture::workspace("[entity/person:Ana] met Ana, Ana and Ana.");
        let reply = suggest(&ws, "doc", "set", "", "").unwrap();
        assert_eq!(reply.kinds, "entitypersondictionaryAna → Person (1×)");
        assert_eq!(reply.places.len(), (1 + 4 + 3 * 5) * 4, "one kind, its four lengths, three places of five numbers");
        let back = suggestions_from_reply(&reply, 40).unwrap();
        assert_eq!(back.iter().map(|s| s.range.start()).collect::<Vec<_>>(), vec![8, 13, 21]);
        assert!(std::sync::Arc::ptr_eq(&back[0].detail, &back[2].detail), "one detail for all three");
        let with = |places: Vec<u8>| SuggestReply { kinds: reply.kinds.clone(), places };
        let err = |r: &SuggestReply| suggestions_from_reply(r, 40).unwrap_err().to_string();
        assert!(err(&with(reply.places[..50].to_vec())).contains("50 bytes of numbers"));
        assert!(err(&with(reply.places[..76].to_vec())).contains("14 numbers of places, not five each"));
        let mut wrong = reply.places.clone();
        wrong[28] = 7; // the first place's kind
        assert!(err(&with(wrong)).contains("no suggestion kind 7"));
        let mut long = reply.places.clone();
        long[16] = 99; // the detail's length
        assert!(err(&with(long)).contains("runs past the end"));
        let unknown = SuggestReply { kinds: "entityoracle?".into(), places: [1u32, 6, 0, 6, 1].iter().flat_map(|n| n.to_le_bytes()).collect() };
        assert!(err(&unknown).contains("no suggestion source “oracle”"));
        assert_eq!(suggestions_from_reply(&SuggestReply { kinds: String::new(), places: Vec::new() }, 40).unwrap(), vec![]);
    }

    #[test]
    fn a_kept_suggester_answers_as_a_new_one_after_every_change() {
        let mut st = crate::state::State::new(fixture::workspace("[entity/person:Ana] met Ana and Bo. Ana said: “Bo left.”"));
        let mut kept = Suggester::default();
        let texts = |r: &SuggestReply| suggestions_from_reply(r, 60).unwrap().iter().map(|s| (s.range.start(), s.detail.to_string())).collect::<Vec<_>>();
        let same = |kept: &mut Suggester, ws: &Workspace, gazetteer: &str| {
            let again = kept.suggest(ws, "doc", "set", gazetteer, "").unwrap();
            assert_eq!(again, suggest(ws, "doc", "set", gazetteer, "").unwrap());
            again
        };
        assert_eq!(
            texts(&same(&mut kept, &st.workspace, "")),
            vec![(8, "Ana → Person (1×)".into()), (20, "Ana → Person (1×)".into()), (31, "quotation near “said”, speaker Ana".into())]
        );
        same(&mut kept, &st.workspace, "");
        // A new span changes the dictionary; a gazetteer comes and goes; a label is renamed.
        st.dispatch(crate::state::Action::AddSpan { set: "set".into(), start: 16, end: 18, label: "entity".into(), entity_type: Some("person".into()) }, "t")
            .unwrap();
        let with_bo = texts(&same(&mut kept, &st.workspace, ""));
        assert!(with_bo.contains(&(31, "Bo → Person (1×)".into())), "{with_bo:?}");
        // Another "Ana" only changes a count: the same texts, a new detail.
        st.dispatch(crate::state::Action::AddSpan { set: "set".into(), start: 8, end: 11, label: "entity".into(), entity_type: Some("person".into()) }, "t")
            .unwrap();
        assert!(texts(&same(&mut kept, &st.workspace, "")).contains(&(20, "Ana → Person (2×)".into())));
        assert!(texts(&same(&mut kept, &st.workspace, "said\tclaim\n")).contains(&(24, "said → Claim".into())));
        same(&mut kept, &st.workspace, "");
        st.workspace.labels.entity_types[0].name = "Human".into();
        assert!(texts(&same(&mut kept, &st.workspace, "")).contains(&(20, "Ana → Human (2×)".into())));
        // A gazetteer that no longer reads is refused each time, and a good one reads again.
        assert!(kept.suggest(&st.workspace, "doc", "set", "x\tnope\n", "").is_err());
        assert!(kept.suggest(&st.workspace, "doc", "set", "x\tnope\n", "").is_err());
        same(&mut kept, &st.workspace, "said\tclaim\n");
    }

    #[test]
    fn a_gazetteer_and_extra_verbs_reach_the_suggestions_and_bad_lines_are_named() {
        let ws = fixture::workspace("Shoigu met Ana. Ana whispered: “Later.”");
        let (n, kept) = gazetteer(&ws, "Shoigu\tEntity\tperson\r\n# note\n").unwrap();
        assert_eq!((n, kept.as_str()), (1, "Shoigu\tentity\tperson\n"));
        let err = gazetteer(&ws, "Shoigu\tEntity\tPerson\nAna\tNope\nBo\n").unwrap_err();
        assert!(err.starts_with("the gazetteer was not imported, nothing changed: line 2: no label “Nope”"), "{err}");
        assert!(err.contains("; line 3: expected text<TAB>LABEL"), "{err}");
        assert!(gazetteer(&ws, "\n# only a comment\n").is_err());

        let reply = suggest(&ws, "doc", "set", &kept, " whispered , ").unwrap();
        let back = suggestions_from_reply(&reply, ws.document("doc").unwrap().char_len()).unwrap();
        let got: Vec<(usize, usize, &str, &str)> = back.iter().map(|s| (s.range.start(), s.range.end(), s.source.name(), &*s.detail)).collect();
        assert_eq!(got, vec![(0, 6, "gazetteer", "Shoigu → Person"), (32, 38, "quote cue", "quotation near “whispered”")]);
        // Without the extra verb, no quotation; a gazetteer whose label is gone is refused.
        let plain = suggest(&ws, "doc", "set", &kept, "").unwrap();
        assert_eq!(suggestions_from_reply(&plain, 100).unwrap().len(), 1);
        assert!(suggest(&ws, "doc", "set", "X\tgone\n", "").unwrap_err().contains("line 1: no label “gone”"));
    }

    #[test]
    fn the_agreement_reply_reads_back_as_the_report_it_was() {
        let mut ws = fixture::workspace("[claim:[entity/person:Ana] said [quote:“hi 🙂”]] in [entity/location:Niš]");
        let mut other = ws.sets()[0].clone();
        other.id = "other".into();
        other.name = "Bo's".into();
        other.annotator = "Bo".into();
        other.remove_span(other.spans()[0].id).unwrap();
        ws.insert_set(usize::MAX, other).unwrap();
        let reply = agree(&ws, &[], &[], 0.5).unwrap();
        let back: report::Report = serde_json::from_str(&reply.json).unwrap();
        let docs: Vec<&Document> = ws.documents().iter().map(|d| &**d).collect();
        assert_eq!(back, report::report(&ws, &report::owners(&ws, &docs), &docs, 0.5).unwrap());
        assert_eq!(back.pairs[0].pair.disagreements.len(), 1);
        assert_eq!(reply.csv, back.csv());
        // Annotators by default; sets named by id are shown by name and annotator, and drawn
        // over the one text.
        assert!(reply.html.starts_with("<h3>tester and Bo "), "{}", reply.html);
        let by_id = agree(&ws, &[ws.sets()[0].id.clone(), "other".into()], &[], 0.5).unwrap();
        assert!(by_id.html.starts_with("<h3>Fixture (tester) and Bo&#39;s (Bo) "), "{}", by_id.html);
        assert!(by_id.html.contains("<details class=\"compare\">"));
        assert_eq!(agree(&ws, &["Bo".into()], &[], 0.5).unwrap_err(), "agreement needs two or more sets; 1 named: Bo");
    }

    #[test]
    fn an_adjudication_is_laid_out_and_its_gold_set_comes_back_as_an_upload_does() {
        let mut ws = fixture::workspace("[claim:[entity/person:Ana] said [quote:“hi 🙂”]] in [entity/location:Niš]");
        let mut other = ws.sets()[0].clone();
        other.id = "other".into();
        other.name = "Bo's".into();
        let quote = other.spans().iter().find(|s| s.label == "quote").unwrap().id;
        other.remove_span(quote).unwrap();
        ws.insert_set(usize::MAX, other).unwrap();
        let sets = vec![ws.sets()[0].id.clone(), "other".to_owned()];
        let (keys, blocks) = adjudication(&ws, "doc", &sets, 2).unwrap();
        let blocks: Vec<Vec<String>> = serde_json::from_str(&blocks).unwrap();
        assert_eq!(keys.len(), 1, "the quote");
        assert_eq!(blocks[0][0], "summary");
        assert_eq!(blocks[0][1], "3 spans that at least 2 of the 2 sets have are taken at once, and 0 links; 1 conflict to decide.");
        assert_eq!(blocks[0][2..], ["Fixture (tester)".to_owned(), "Bo's (tester)".to_owned()]);
        let quote_card = &blocks[1];
        let texts: Vec<&str> = quote_card.iter().map(String::as_str).collect();
        assert_eq!(
            texts[1..],
            [
                keys[0].as_str(),
                "a span only some sets have",
                "Ana said ",
                "“hi 🙂”",
                " in Niš",
                "9",
                "15",
                "quote",
                "1",
                "Quote ““hi 🙂”” (9–15)",
                "nothing here"
            ]
        );

        // Take the first set's quote: the gold set has all four spans.
        let decisions = format!("{}\ttake 0\n", keys[0]);
        let reply = gold(&ws, "doc", &sets, 2, &decisions, "gold", "Gold", "Ada", "t").unwrap();
        assert!(reply.summary.starts_with("Created the gold set “Gold” on "), "{}", reply.summary);
        assert!(reply.summary.contains("4 spans (3 unanimous, 0 by majority, 1 adjudicated) and 0 links."), "{}", reply.summary);
        let merge = merge_from_reply(&ws, &reply).unwrap();
        assert_eq!(merge.sets.len(), 1);
        assert_eq!(merge.sets[0].spans().len(), 4);
        assert_eq!(merge.sets[0].annotator, "Ada");
        // Nothing decided: the conflicts are left out, and said so.
        let reply = gold(&ws, "doc", &sets, 2, "", "gold", "Gold", "Ada", "t").unwrap();
        assert!(reply.summary.contains("1 of 1 conflicts were not decided"), "{}", reply.summary);
        assert_eq!(adjudication(&ws, "doc", &sets[..1], 1).unwrap_err(), "adjudication needs two or more sets");
    }

    #[test]
    fn an_upload_reply_carries_the_same_plan_as_reading_it_here() {
        let ws = fixture::workspace("[quote:Acme] said so");
        // A file of its own, a copy of the workspace (skipped set) and a doccano file with a new label.
        let other = fixture::workspace("[claim:Acme] said so");
        let uploads: Vec<(&str, Vec<u8>)> = vec![
            ("other.json", native::save_workspace(&other).into_bytes()),
            ("same.json", native::save_workspace(&ws).into_bytes()),
            ("doccano.jsonl", "{\"text\": \"Mia met Bo 🙂.\", \"label\": [[0, 3, \"PER\"], [8, 10, \"WHO\"]]}\n".as_bytes().to_vec()),
        ];
        for (name, bytes) in uploads {
            let here = upload::read(name, &bytes, &ws, "2026-11-23T00:00:00Z").unwrap();
            let reply = upload(name, &bytes, &read_workspace(&save_workspace_compact(&ws)).unwrap(), "2026-11-23T00:00:00Z", &mut |_, _| {}).unwrap();
            let there = merge_from_reply(&ws, &reply).unwrap();
            assert_eq!(reply.summary, here.summary, "{name}");
            assert_eq!(there.messages, here.merge.messages, "{name}");
            assert_eq!(there.labels, here.merge.labels, "{name}");
            assert_eq!(there.documents.len(), here.merge.documents.len(), "{name}");
            for (a, b) in there.documents.iter().zip(&here.merge.documents) {
                assert_eq!((&a.id, &a.header, &a.text, &a.sha256), (&b.id, &b.header, &b.text, &b.sha256), "{name}");
            }
            assert_eq!(there.sets, here.merge.sets, "{name}");
        }
    }

    #[test]
    fn a_merge_plan_read_a_part_at_a_time_is_the_whole_plan() {
        let ws = fixture::workspace("[quote:Acme] said so");
        let corpus = fixture::corpus("2026-11-24T00:00:00Z");
        // Four new articles and their four sets, and a set on the article already here.
        let mut on_doc = ws.sets()[0].clone();
        on_doc.id = "again".into();
        let merge = Merge {
            labels: ws.labels.clone(),
            documents: corpus.documents().iter().map(|d| Document::clone(d)).collect(),
            sets: corpus.sets().iter().cloned().chain([on_doc]).collect(),
            messages: vec!["One line.".into()],
        };
        let reply = |merge| UploadReply { merge, messages: vec!["One line.".into()], summary: String::new() };
        let whole = merge_files_in(&ws, &merge, usize::MAX).unwrap();
        assert_eq!(whole.len(), 2, "the documents, then the sets");
        let parts = merge_files_in(&ws, &merge, 1).unwrap();
        assert_eq!(parts.len(), 9, "an article or a set per part");
        let mut reader = MergeReader::new(reply(parts.clone()));
        let mut read = 0;
        while !reader.is_done() {
            reader.read_next(&ws).unwrap();
            read += 1;
            assert_eq!(reader.progress(), (read, 9));
        }
        let got = reader.finish();
        assert_eq!(got, merge_from_reply(&ws, &reply(whole)).unwrap());
        assert_eq!(got.messages, merge.messages);
        assert_eq!(got.sets, merge.sets);
        let ids = |docs: &[Document]| docs.iter().map(|d| (d.id.clone(), d.text.to_string(), d.sha256.clone())).collect::<Vec<_>>();
        assert_eq!(ids(&got.documents), ids(&merge.documents));
        // A set whose article is in no part read before it: refused, with the reason.
        let mut reader = MergeReader::new(reply(parts[4..].to_vec()));
        let refused = reader.read_next(&ws).unwrap_err().to_string();
        assert!(refused.contains("set “A” refers to document “k”, which is neither in the file nor in the workspace"), "{refused}");
        // Nothing to add but labels: one part, which carries them.
        let labels_only = Merge { labels: ws.labels.clone(), ..Merge::default() };
        assert_eq!(merge_files_in(&ws, &labels_only, 1).unwrap().len(), 1);
    }

    #[test]
    fn imported_documents_reach_the_page_unchanged_and_known_texts_are_skipped() {
        let ws = fixture::workspace("[quote:Acme] said so");
        let file = "{\"id\": \"n1\", \"title\": \"T\", \"text\": \"New 🙂\\r\\ntext\", \"meta\": {\"a\": 1}}\n{\"text\": \"Acme said so\"}\n{\"id\": \"doc\", \"text\": \"other\"}\n";
        let sources = [corpus::Source { name: "c.jsonl", bytes: file.as_bytes() }];
        let fields = serde_json::to_string(&FieldMap::default()).unwrap();
        let got = import(&sources, &fields, &known_documents(&ws, 1000), &mut |_| {}).unwrap();
        assert_eq!(got.already_here, 1, "the fixture's text is already there");
        assert_eq!(got.documents[1].id, format!("user-{}", &got.documents[1].sha256[..12]), "“doc” is taken");
        // Packed, and read back a part at a time: the same documents.
        let packed = pack_documents(&got.documents);
        let mut unpacker = Unpacker::new(packed.clone());
        let mut back = Vec::new();
        while !unpacker.is_done() {
            let part = unpacker.take(1).unwrap();
            assert_eq!(part.len(), 1, "a budget smaller than one article still reads one");
            back.extend(part);
        }
        assert_eq!(back, got.documents);
        assert_eq!(Unpacker::new(packed.clone()).take(usize::MAX).unwrap(), got.documents, "a large budget reads them all");
        // Cut short: said, with the article and the field.
        let cut = Unpacker::new(packed[..packed.len() - 3].to_vec()).take(usize::MAX).unwrap_err().to_string();
        assert!(cut.contains("imported article 2 is cut short in its hash"), "{cut}");
        // The new texts hold 19 bytes ("New 🙂\r\ntext" and "other"): room for 18 is too little.
        assert!(import(&sources, &fields, &known_documents(&ws, 19), &mut |_| {}).is_ok());
        let refused = import(&sources, &fields, &known_documents(&ws, 18), &mut |_| {}).unwrap_err();
        assert_eq!(refused, CorpusError::DoesNotFit { articles: 2, bytes: 19 });
        assert!(refused.to_string().starts_with("its 2 articles (0.0 MB of text) do not fit in the room this browser gives"), "{refused}");
    }

    #[test]
    #[cfg(feature = "json-paths")]
    fn refused_uploads_say_the_same_through_the_worker() {
        let ws = Workspace::with_documents(crate::seeds::documents());
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/expected.json")).unwrap()).unwrap();
        let mut checked = 0;
        for (file, message) in expected.as_object().unwrap() {
            // The 50 MB file is made by the hostile tests themselves, not kept.
            let Ok(bytes) = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/files").join(file)) else { continue };
            let there = upload(file, &bytes, &read_workspace(&save_workspace_compact(&ws)).unwrap(), "2026-01-01T00:00:00Z", &mut |_, _| {}).err();
            assert_eq!(there.as_deref(), message.as_str(), "{file}");
            checked += 1;
        }
        assert!(checked > 50, "only {checked} hostile files were found");
    }
}
