//! The workspace as records, the way IndexedDB keeps it: one record per document, one per
//! annotation set, and a small index record (the order of the articles and the label
//! schema). A save writes only the records its edits touched ([`plan`]), so its cost does
//! not grow with the corpus.
//!
//! Records are shaped for CouchDB-style replication, so that a later step can sync a team's
//! browsers through PouchDB or CouchDB without a server of our own:
//!
//! ```json
//! {"_id": "set:ana-1", "_rev": "3-9f86d081884c7d659a2feaa0c55ad015", "type": "set", "body": {…}}
//! {"_id": "doc:article-7", "_rev": "1-…", "type": "document", "body": {…}}
//! {"_id": "index", "_rev": "12-…", "type": "index", "storage": 3, "documents": ["article-7", …], "labels": {…}}
//! {"_id": "set:old", "_rev": "4-…", "_deleted": true}
//! ```
//!
//! `body` is exactly a `documents[]` or `sets[]` entry of Spanwright JSON (see
//! [`crate::formats::native`]). `_rev` is `N-hash`: N counts the record's writes and `hash`
//! is the first 128 bits of the SHA-256 of the body, as CouchDB's revisions are a count and
//! a digest. A removed record stays as a tombstone (`_deleted`), so a replica learns of the
//! removal. Ids are unique across kinds, as in one CouchDB database.
//!
//! Two tabs: each page keeps the revision it last read or wrote of every record (its
//! [`Ledger`]). A save first checks that each record it writes still has that revision, in
//! the same transaction; if another tab wrote it since, nothing is written and the user
//! chooses. Tabs editing different articles write different records and never clash.
//!
//! Reading never loses data: a record that cannot be read is kept aside, untouched, and
//! offered for download ([`Assembled::kept`]); the rest of the workspace loads.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::{json, value::RawValue};
use sha2::{Digest, Sha256};

use crate::{
    formats::native::{self, WireDocument, WireSet},
    model::{DocId, Document, LabelSet, SetId, Workspace},
    state::Touched,
};

/// The IndexedDB database.
pub const DATABASE: &str = "spanwright";
/// Its schema version (object stores), for `onupgradeneeded`.
pub const DATABASE_VERSION: u32 = 1;
/// The object store of document records.
pub const DOCUMENTS: &str = "documents";
/// The object store of set records.
pub const SETS: &str = "sets";
/// The object store of the index record and the migration record.
pub const META: &str = "meta";
/// The object store of records kept aside because they could not be read, by `key`.
pub const ASIDES: &str = "asides";
/// Every object store.
pub const STORES: [&str; 4] = [DOCUMENTS, SETS, META, ASIDES];
/// The index record's id.
pub const INDEX_ID: &str = "index";
/// The id of the record that says the `localStorage` workspace was moved here.
pub const MIGRATION_ID: &str = "migration";
/// The layout of these records; the `localStorage` record was layout 2.
pub const RECORDS_VERSION: u64 = 3;

/// The record id of a document.
pub fn document_record(id: &str) -> String {
    format!("doc:{id}")
}

/// The record id of a set.
pub fn set_record(id: &str) -> String {
    format!("set:{id}")
}

/// The revision this page last read or wrote of each record, by record id.
pub type Ledger = HashMap<String, String>;

/// The revision after `prev` of a record whose body is `body`.
pub fn next_rev(prev: Option<&str>, body: &str) -> String {
    let n = prev.and_then(|r| r.split_once('-')).and_then(|(n, _)| n.parse::<u64>().ok()).unwrap_or(0);
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{hex}", n + 1)
}

/// One record to write.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Write {
    /// Its object store.
    pub store: &'static str,
    /// Its id (`_id`).
    pub id: String,
    /// The revision the store must still hold for the write to go ahead (`None`: no
    /// record yet).
    pub expect: Option<String>,
    /// Its new revision.
    pub rev: String,
    /// The record, as JSON.
    pub json: String,
}

/// The records a save must write: those the edits in `touched` changed, each with the
/// revision it replaces. Removed documents and sets become tombstones.
pub fn plan(ws: &Workspace, touched: &Touched, ledger: &Ledger) -> Vec<Write> {
    let mut writes = plan_records(ws, touched, ledger);
    writes.extend(plan_index(ws, touched, ledger));
    writes
}

/// The document and set records of [`plan`], without the index: a large save plans these a
/// part at a time ([`Touched::parts`]), then the index once.
pub fn plan_records(ws: &Workspace, touched: &Touched, ledger: &Ledger) -> Vec<Write> {
    let mut writes = Vec::new();
    // `digest`: what the revision digests, the body unless a shorter text identifies it.
    let mut push = |store: &'static str, id: String, body: Option<(&str, String)>, digest: Option<String>| {
        let expect = ledger.get(&id).cloned();
        let json = match body {
            Some((kind, body)) => {
                let rev = next_rev(expect.as_deref(), digest.as_deref().unwrap_or(&body));
                let json = format!("{{\"_id\":{},\"_rev\":{},\"type\":\"{kind}\",\"body\":{body}}}", json!(id), json!(rev));
                (rev, json)
            }
            None => {
                let rev = next_rev(expect.as_deref(), "");
                let json = format!("{{\"_id\":{},\"_rev\":{},\"_deleted\":true}}", json!(id), json!(rev));
                (rev, json)
            }
        };
        writes.push(Write { store, id, expect, rev: json.0, json: json.1 });
    };
    for id in &touched.documents {
        let record = document_record(id);
        match ws.document(id) {
            // A document's text is named by its SHA-256, so its revision digests that and the
            // header rather than the whole text again.
            Some(doc) => {
                let digest = format!("{}{}", doc.sha256, serde_json::to_string(&doc.header).expect("headers serialise"));
                push(DOCUMENTS, record, Some(("document", native::document_body(doc))), Some(digest))
            }
            None if ledger.contains_key(&record) => push(DOCUMENTS, record, None, None),
            None => {}
        }
    }
    for id in &touched.sets {
        let record = set_record(id);
        match ws.set(id).and_then(|set| native::set_body(ws, set)) {
            Some(body) => push(SETS, record, Some(("set", body)), None),
            None if ledger.contains_key(&record) => push(SETS, record, None, None),
            None => {}
        }
    }
    writes
}

/// The index record of [`plan`], when the articles or the labels changed.
pub fn plan_index(ws: &Workspace, touched: &Touched, ledger: &Ledger) -> Option<Write> {
    if touched.documents.is_empty() && !touched.labels {
        return None;
    }
    let expect = ledger.get(INDEX_ID).cloned();
    let body = index_body(ws);
    let rev = next_rev(expect.as_deref(), &body);
    let json = format!("{{\"_id\":\"{INDEX_ID}\",\"_rev\":{},\"type\":\"index\",{}", json!(rev), &body[1..]);
    Some(Write { store: META, id: INDEX_ID.into(), expect, rev, json })
}

/// Where the writes a page could not see committed are kept when it is hidden or closed
/// (`localStorage`, which writes at once): an IndexedDB transaction begun as the page goes
/// away may never commit. The next start writes what is still missing ([`replay`]).
pub const JOURNAL_KEY: &str = "spanwright.journal";

/// The journal of writes not yet known to be committed.
pub fn encode_journal(writes: &[Write]) -> String {
    serde_json::to_string(writes).expect("writes serialise")
}

/// What a journal's writes need, given the revision each record holds now: (still to
/// write, already written, clashed with another tab's later write).
pub fn replay(journal: &str, current: impl Fn(&'static str, &str) -> Option<String>) -> Result<(Vec<Write>, usize, Vec<Write>), String> {
    #[derive(Deserialize)]
    struct Entry {
        store: String,
        id: String,
        expect: Option<String>,
        rev: String,
        json: String,
    }
    let entries: Vec<Entry> = serde_json::from_str(journal).map_err(|e| format!("the journal of unsaved changes cannot be read ({e})"))?;
    let (mut todo, mut done, mut clashed) = (Vec::<Write>::new(), 0, Vec::new());
    // Entries are in the order they were made: a record's later entry expects its earlier
    // one's revision, so what storage holds is followed entry by entry.
    let mut held: HashMap<String, Option<String>> = HashMap::new();
    for e in entries {
        let Some(store) = STORES.iter().copied().find(|s| *s == e.store) else { continue };
        let now = held.entry(e.id.clone()).or_insert_with(|| current(store, &e.id)).clone();
        let write = Write { store, id: e.id, expect: e.expect, rev: e.rev, json: e.json };
        if now.as_deref() == Some(write.rev.as_str()) {
            done += 1;
        } else if now == write.expect {
            held.insert(write.id.clone(), Some(write.rev.clone()));
            // One write per record: the last, expecting what storage holds now.
            match todo.iter_mut().find(|t| t.id == write.id) {
                Some(t) => *t = Write { expect: t.expect.take(), ..write },
                None => todo.push(write),
            }
        } else {
            clashed.push(write);
        }
    }
    Ok((todo, done, clashed))
}

/// The records of `writes` that another tab wrote since this page last read or wrote them,
/// given the revision each holds now in storage (`current`, `None` when absent). A save
/// goes ahead only when there are none.
pub fn clashes(writes: &[Write], current: &[Option<String>]) -> Vec<String> {
    // A record that already holds this very revision (the same write, made by a journal's
    // replay in another tab, say) is no clash.
    writes.iter().zip(current).filter(|(w, now)| w.expect != **now && now.as_deref() != Some(w.rev.as_str())).map(|(w, _)| w.id.clone()).collect()
}

#[derive(Deserialize)]
struct Ids {
    #[serde(rename = "_id")]
    id: String,
    #[serde(rename = "_rev", default)]
    rev: Option<String>,
}

/// The revision a stored record holds, read from its JSON.
pub fn rev_of(raw: &str) -> Option<String> {
    serde_json::from_str::<Ids>(raw).ok().and_then(|r| r.rev)
}

/// The revision of each of these stored records, by id.
pub fn ledger_of<'a>(raws: impl IntoIterator<Item = &'a String>) -> Ledger {
    raws.into_iter().filter_map(|raw| serde_json::from_str::<Ids>(raw).ok()).filter_map(|r| Some((r.id, r.rev?))).collect()
}

/// A record's id, if it has one.
pub fn id_of(raw: &str) -> Option<String> {
    serde_json::from_str::<Ids>(raw).ok().map(|r| r.id)
}

/// Everything a workspace is, as records: what a first save or a migration writes.
pub fn plan_all(ws: &Workspace, ledger: &Ledger) -> Vec<Write> {
    let touched = Touched {
        sets: ws.sets().iter().map(|s| s.id.clone()).collect(),
        documents: ws.documents().iter().map(|d| d.id.clone()).collect(),
        labels: true,
        active: true,
    };
    plan(ws, &touched, ledger)
}

fn index_body(ws: &Workspace) -> String {
    let order: Vec<&str> = ws.documents().iter().map(|d| d.id.as_str()).collect();
    json!({ "storage": RECORDS_VERSION, "documents": order, "labels": ws.labels }).to_string()
}

/// The active set of each document as this browser keeps it (`localStorage`, beside the
/// records: which set a person looks at is theirs, not the team's).
pub fn encode_active(ws: &Workspace) -> String {
    serde_json::to_string(&ws.active).expect("strings serialise")
}

/// A record that could not be read, kept aside untouched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    /// Its object store.
    pub store: &'static str,
    /// Its id, or where it was when it has none.
    pub id: String,
    /// The record as stored.
    pub raw: String,
    /// Why it could not be read, or what of it was left out.
    pub why: String,
}

/// The workspace read from records.
#[derive(Debug)]
pub struct Assembled {
    /// The workspace, with every bundled article it lacked.
    pub workspace: Workspace,
    /// The revision of every record read, tombstones and unreadable ones included.
    pub ledger: Ledger,
    /// Records that could not be read, or were read only in part.
    pub kept: Vec<Kept>,
}

#[derive(Deserialize)]
struct Head<'a> {
    #[serde(rename = "_id")]
    id: String,
    #[serde(rename = "_rev")]
    rev: String,
    #[serde(rename = "_deleted", default)]
    deleted: bool,
    #[serde(borrow, default)]
    body: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Index {
    #[serde(rename = "_rev")]
    rev: String,
    storage: u64,
    documents: Vec<DocId>,
    labels: LabelSet,
}

/// Reads a record's head: id, revision, and its body unless it is a tombstone.
fn head(raw: &str) -> Result<Head<'_>, String> {
    let head: Head<'_> = serde_json::from_str(raw).map_err(|e| format!("it is not a record Spanwright can read ({e})"))?;
    if !head.deleted && head.body.is_none() {
        return Err("it has no \"body\"".into());
    }
    Ok(head)
}

/// The index record: the order of the articles, and the labels.
fn read_index(raw: &str) -> Result<Index, String> {
    let index: Index = serde_json::from_str(raw).map_err(|e| format!("the index record cannot be read ({e})"))?;
    if index.storage > RECORDS_VERSION {
        return Err(format!("the index record was written by a newer Spanwright (storage version {}; this one reads up to {RECORDS_VERSION})", index.storage));
    }
    Ok(index)
}

/// The index record read, its revision entered in the ledger; an unreadable one is kept.
fn index_or_keep(index: Option<&str>, ledger: &mut Ledger, kept: &mut Vec<Kept>) -> Option<Index> {
    let raw = index?;
    match read_index(raw) {
        Ok(index) => {
            ledger.insert(INDEX_ID.into(), index.rev.clone());
            Some(index)
        }
        Err(why) => {
            if let Some(rev) = rev_of(raw) {
                ledger.insert(INDEX_ID.into(), rev);
            }
            kept.push(Kept { store: META, id: INDEX_ID.into(), raw: raw.to_owned(), why });
            None
        }
    }
}

/// Builds the workspace from its records: the index (if any), the documents' and the sets'
/// records as stored, the active sets as this browser kept them, and the bundled articles.
pub fn assemble(index: Option<&str>, documents: &[String], sets: &[String], active: Option<&str>, bundled: Vec<Document>) -> Assembled {
    let mut ledger = Ledger::new();
    let mut kept = Vec::new();
    let index = index_or_keep(index, &mut ledger, &mut kept);
    let order = index.as_ref().map(|i| order_of(&i.documents)).unwrap_or_default();
    let active: BTreeMap<DocId, SetId> = active.and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
    // Sets on a bundled article whose record was never written (nothing else changed it).
    let known: Vec<&Document> = bundled.iter().collect();
    let (labels, listed) = index.map(|i| (Some(i.labels), i.documents)).unwrap_or_default();
    let part = load_part(labels, &order, documents, sets, &active, &known);
    ledger.extend(part.ledger);
    kept.extend(part.kept);
    let mut ws = Workspace::with_documents(part.documents);
    if let Some(labels) = part.labels {
        ws.labels = labels;
    }
    add_bundled(&mut ws, &bundled);
    // The bundled articles in the index's order too (without a record of their own, they
    // were added last).
    ws.reorder_documents(&listed);
    for set in part.sets {
        ws.insert_set(usize::MAX, set).expect("from_wire checked every set against its document, the bundled ones included, and the labels");
    }
    ws.active = active.into_iter().filter(|(doc, set)| ws.set(set).is_some_and(|s| &s.doc_id == doc)).collect();
    Assembled { workspace: ws, ledger, kept }
}

/// Each article's place in the index's order.
pub fn order_of(documents: &[DocId]) -> HashMap<DocId, usize> {
    documents.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect()
}

/// Part of the workspace read from some of its records: what [`assemble`] builds a
/// workspace of, and what a page reading the rest after it starts adds to its own
/// ([`Filler`]).
#[derive(Debug, Default)]
pub struct Part {
    /// The labels the records were checked against (`None`: the default ones, no index).
    pub labels: Option<LabelSet>,
    /// The documents, in the index's order (those it does not list last, in store order).
    pub documents: Vec<Document>,
    /// The sets, in the order they were made.
    pub sets: Vec<crate::model::AnnotationSet>,
    /// The revision of every record read.
    pub ledger: Ledger,
    /// Records that could not be read, or were read only in part.
    pub kept: Vec<Kept>,
    /// The revisions of records the workspace already held, and so not read again: for the
    /// page's ledger where it has none (a bundled article, added without its record), never
    /// over one it has (its copy may be older; a save of it must then clash).
    pub held: Ledger,
}

/// Reads document and set records against `labels` and the documents `known` (sets may be
/// on them). Sets must be on a document read here or known; the rest is kept.
pub fn load_part(
    labels: Option<LabelSet>,
    order: &HashMap<DocId, usize>,
    documents: &[String],
    sets: &[String],
    active: &BTreeMap<DocId, SetId>,
    known: &[&Document],
) -> Part {
    let mut part = Part::default();
    let keep = |store, id: &str, raw: &str, why: String| Kept { store, id: id.to_owned(), raw: raw.to_owned(), why };
    // Each readable record's body, and where it came from.
    let mut wire_docs: Vec<(WireDocument, usize)> = read_bodies(DOCUMENTS, documents, "document", &mut part.ledger, &mut part.kept);
    if !order.is_empty() {
        // Articles the index does not list yet (another tab's, say) come last, in store order.
        wire_docs.sort_by_key(|(d, at)| (order.get(d.id.as_str()).copied().unwrap_or(usize::MAX), *at));
    }
    let mut wire_sets: Vec<(WireSet, usize)> = read_bodies(SETS, sets, "annotation set", &mut part.ledger, &mut part.kept);
    // Sets in the order they were made (storage returns them by id).
    wire_sets.sort_by(|(a, _), (b, _)| (&a.created, &a.id).cmp(&(&b.created, &b.id)));
    let (doc_from, set_from): (Vec<usize>, Vec<usize>) = (wire_docs.iter().map(|d| d.1).collect(), wire_sets.iter().map(|s| s.1).collect());
    let file = native::workspace_wire(labels, wire_docs.into_iter().map(|d| d.0).collect(), wire_sets.into_iter().map(|s| s.0).collect(), active.clone());
    match native::from_wire(file, known) {
        Ok(loaded) => {
            // A document or set refused (or read in part) is kept aside with the reason, by
            // its place in the file built above.
            for problem in &loaded.imported.refused {
                let place = |prefix: &str| problem.path.strip_prefix(prefix).and_then(|r| r.split(']').next()).and_then(|n| n.parse::<usize>().ok());
                let (store, raw) = if let Some(i) = place("documents[") {
                    (DOCUMENTS, &documents[doc_from[i]])
                } else if let Some(i) = place("sets[") {
                    (SETS, &sets[set_from[i]])
                } else {
                    (META, &String::new())
                };
                let id = head(raw).map(|h| h.id).unwrap_or_else(|_| problem.path.clone());
                match part.kept.iter_mut().find(|k| k.id == id) {
                    Some(k) => k.why = format!("{}; {problem}", k.why),
                    None => part.kept.push(keep(store, &id, raw, problem.to_string())),
                }
            }
            part.labels = Some(loaded.imported.labels);
            part.documents = loaded.imported.documents;
            part.sets = loaded.imported.sets;
        }
        // Nothing usable at all: every record stays as it is.
        Err(e) => {
            for (store, raws) in [(DOCUMENTS, documents), (SETS, sets)] {
                for raw in raws {
                    if let Ok(h) = head(raw) {
                        if !h.deleted && !part.kept.iter().any(|k| k.id == h.id) {
                            part.kept.push(keep(store, &h.id, raw, e.to_string()));
                        }
                    }
                }
            }
        }
    }
    part
}

/// Reads, a page of records at a time, the records a page did not read to start: the page
/// starts with the index, the article it opens and that article's set on screen
/// ([`assemble`] of those), and the rest follows in the background, so the first article is
/// drawn without reading a whole corpus first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filler {
    /// Each article's place in the index's order.
    pub order: HashMap<DocId, usize>,
    /// The set shown on each article, as this browser kept it.
    pub active: BTreeMap<DocId, SetId>,
    /// The records the start read (kept aside or not): not read again.
    pub read: std::collections::HashSet<String>,
}

impl Filler {
    /// A filler for the index's order and the kept active sets (as [`assemble`] takes them).
    pub fn new(index: Option<&str>, active: Option<&str>) -> Filler {
        let order = index.and_then(|raw| read_index(raw).ok()).map(|i| order_of(&i.documents)).unwrap_or_default();
        Filler { order, active: active.and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default(), read: Default::default() }
    }

    /// A page of document records read against `ws`: those it lacks. Records it holds are
    /// not read, and their revisions stay as this page read them.
    pub fn documents(&self, ws: &Workspace, raws: &[String]) -> Part {
        let (fresh, held) = split_held(raws, |id| self.read.contains(id) || id.strip_prefix("doc:").is_some_and(|d| ws.document(d).is_some()));
        Part { held, ..load_part(Some(ws.labels.clone()), &self.order, &fresh, &[], &BTreeMap::new(), &[]) }
    }

    /// A page of set records read against `ws`: those it lacks, on its documents.
    pub fn sets(&self, ws: &Workspace, raws: &[String]) -> Part {
        let (fresh, held) = split_held(raws, |id| self.read.contains(id) || id.strip_prefix("set:").is_some_and(|s| ws.set(s).is_some()));
        let known: Vec<&Document> = ws.documents().iter().map(|d| &**d).collect();
        Part { held, ..load_part(Some(ws.labels.clone()), &self.order, &[], &fresh, &BTreeMap::new(), &known) }
    }
}

/// The records to read, and the revisions of those `holds` says the workspace has.
fn split_held(raws: &[String], holds: impl Fn(&str) -> bool) -> (Vec<String>, Ledger) {
    let mut fresh = Vec::new();
    let mut held = Ledger::new();
    for raw in raws {
        match (id_of(raw), rev_of(raw)) {
            (Some(id), Some(rev)) if holds(&id) => {
                held.insert(id, rev);
            }
            _ => fresh.push(raw.clone()),
        }
    }
    (fresh, held)
}

/// The bodies of a store's records that read as `T`, each with its place among `raws`.
/// Every record's revision goes in the ledger (a save writes over an unreadable one only
/// after it is kept aside), tombstones are skipped, and what cannot be read is kept.
fn read_bodies<T: serde::de::DeserializeOwned>(store: &'static str, raws: &[String], what: &str, ledger: &mut Ledger, kept: &mut Vec<Kept>) -> Vec<(T, usize)> {
    let mut out = Vec::new();
    for (at, raw) in raws.iter().enumerate() {
        let keep = |id: &str, why: String| Kept { store, id: id.to_owned(), raw: raw.clone(), why };
        match head(raw) {
            Ok(h) => {
                ledger.insert(h.id.clone(), h.rev);
                if let Some(body) = h.body.filter(|_| !h.deleted) {
                    match serde_json::from_str::<T>(body.get()) {
                        Ok(t) => out.push((t, at)),
                        Err(e) => kept.push(keep(&h.id, format!("its {what} cannot be read ({e})"))),
                    }
                }
            }
            Err(why) => {
                if let (Some(id), Some(rev)) = (id_of(raw), rev_of(raw)) {
                    ledger.insert(id, rev);
                }
                kept.push(keep(&id_of(raw).unwrap_or_else(|| format!("{store} record {}", at + 1)), why));
            }
        }
    }
    out
}

/// The bundled articles the workspace lacks, at its end.
fn add_bundled(ws: &mut Workspace, bundled: &[Document]) {
    for doc in bundled {
        if ws.document(&doc.id).is_none() {
            let at = ws.documents().len();
            ws.insert_document(at, doc.clone().into()).expect("id checked absent");
        }
    }
}

/// A record another tab wrote, as read back from storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrived {
    /// Its object store.
    pub store: &'static str,
    /// The record as stored (`None`: it is gone, which only clearing the site does).
    pub raw: Option<String>,
}

/// Brings records another tab wrote into this page's workspace: sets replaced, added or
/// removed, documents added or removed, the order and labels of a new index. Returns the
/// workspace and the revisions now held; `Err` says why they cannot be brought in (the page
/// then keeps its own and says so).
pub fn integrate(ws: &Workspace, arrived: &[Arrived]) -> Result<(Workspace, Ledger), String> {
    let mut ws = ws.clone();
    let mut ledger = Ledger::new();
    let unreadable = |why: String| format!("another tab saved a record this tab cannot read: {why}");
    // The index first: new labels may be what new sets use.
    let mut order: Option<Vec<DocId>> = None;
    for a in arrived.iter().filter(|a| a.store == META) {
        let Some(raw) = &a.raw else { continue };
        let index = read_index(raw).map_err(unreadable)?;
        ledger.insert(INDEX_ID.into(), index.rev);
        ws.labels = index.labels;
        order = Some(index.documents);
    }
    for a in arrived.iter().filter(|a| a.store == DOCUMENTS) {
        let Some(raw) = &a.raw else { continue };
        let h = head(raw).map_err(unreadable)?;
        ledger.insert(h.id.clone(), h.rev);
        let id = h.id.strip_prefix("doc:").unwrap_or(&h.id).to_owned();
        match h.body.filter(|_| !h.deleted) {
            None => {
                let sets: Vec<SetId> = ws.sets_of(&id).map(|s| s.id.clone()).collect();
                for set in sets {
                    ws.remove_set(&set).map_err(|e| e.to_string())?;
                }
                if ws.document(&id).is_some() {
                    ws.remove_document(&id).map_err(|e| e.to_string())?;
                }
            }
            Some(body) if ws.document(&id).is_none() => {
                let file = native::workspace_wire(
                    Some(ws.labels.clone()),
                    vec![serde_json::from_str(body.get()).map_err(|e| unreadable(e.to_string()))?],
                    Vec::new(),
                    BTreeMap::new(),
                );
                let loaded = native::from_wire(file, &[]).map_err(|e| unreadable(e.to_string()))?;
                if let Some(p) = loaded.imported.refused.first() {
                    return Err(unreadable(p.to_string()));
                }
                for doc in loaded.imported.documents {
                    let at = ws.documents().len();
                    ws.insert_document(at, doc.into()).map_err(|e| e.to_string())?;
                }
            }
            Some(_) => {}
        }
    }
    for a in arrived.iter().filter(|a| a.store == SETS) {
        let Some(raw) = &a.raw else { continue };
        let h = head(raw).map_err(unreadable)?;
        ledger.insert(h.id.clone(), h.rev);
        let id = h.id.strip_prefix("set:").unwrap_or(&h.id).to_owned();
        let at = match ws.set(&id) {
            Some(_) => Some(ws.remove_set(&id).map_err(|e| e.to_string())?.0),
            None => None,
        };
        let Some(body) = h.body.filter(|_| !h.deleted) else { continue };
        let wire: WireSet = serde_json::from_str(body.get()).map_err(|e| unreadable(e.to_string()))?;
        let doc = ws.document(&wire.document).cloned().ok_or_else(|| unreadable(format!("set “{}” is on an article this tab does not have", wire.name)))?;
        let file = native::workspace_wire(Some(ws.labels.clone()), Vec::new(), vec![wire], BTreeMap::new());
        let loaded = native::from_wire(file, &[&doc]).map_err(|e| unreadable(e.to_string()))?;
        if let Some(p) = loaded.imported.refused.first() {
            return Err(unreadable(p.to_string()));
        }
        for set in loaded.imported.sets {
            ws.insert_set(at.unwrap_or(usize::MAX), set).map_err(|e| e.to_string())?;
        }
    }
    if let Some(order) = order {
        ws.reorder_documents(&order);
    }
    Ok((ws, ledger))
}

#[cfg(test)]
mod tests;
