//! The workspace as the formats worker holds it, handed over in pieces.
//!
//! Every job the worker runs (an export, *Download JSON*, an upload's merge plan, agreement)
//! needs the workspace, or the part of it a [`Scope`](super::scope::Scope) takes. Serialising a
//! 2,000-article corpus for each job held the page's thread for far longer than a frame, so
//! the page hands over only what the worker does not hold yet, in batches small enough for
//! one task each, and then names what a job works on in a small manifest ([`manifest`]):
//! - [`Handed`], on the page, remembers what it handed over: each document as it was (a
//!   document's text never changes, so it is new only when its id, header or text hash is)
//!   and each set's [`fingerprint`];
//! - [`Held`], in the worker, keeps those documents and sets by id and builds the workspace a
//!   manifest names, keeping the last one it built for the next job.
//!
//! Both sides are pure, so the hand-over is tested natively, with edits and undo in between.

use std::{
    collections::{BTreeMap, HashMap},
    hash::{DefaultHasher, Hash, Hasher},
    sync::Arc,
};

use serde::{Deserialize, Serialize};

use super::{native, scope::Selection};
use crate::model::{AnnotationSet, DocId, Document, Header, LabelSet, Origin, SetId, Workspace};

/// What a job says when the worker lacks a document or set its manifest names: the page then
/// forgets what it handed over, so the next job hands everything over again.
pub const LOST: &str = "the formats worker did not hold all of the workspace; try again";

/// What a set is, for knowing whether the worker holds it as it is now: its names, its
/// document, its counts, and when it last changed. Every edit of a set stamps `updated` with
/// the clock (milliseconds; undo and redo too), so two different states of a set share a
/// fingerprint only if two edits of the same set came within the same millisecond with a job
/// in between.
pub fn fingerprint(set: &AnnotationSet) -> u64 {
    let mut h = DefaultHasher::new();
    (&set.id, &set.name, &set.annotator, &set.doc_id, &set.doc_sha256, &set.created, &set.updated, set.done).hash(&mut h);
    (set.spans().len(), set.relations().len(), set.rejected.len()).hash(&mut h);
    h.finish()
}

/// What the page has handed to the worker (see the module's introduction). Cleared whenever
/// a new worker starts.
#[derive(Debug, Default)]
pub struct Handed {
    documents: HashMap<DocId, Arc<Document>>,
    sets: HashMap<SetId, u64>,
}

/// A document as it is handed over.
#[derive(Clone, Debug)]
pub struct HandedDocument {
    /// Its id.
    pub id: DocId,
    /// Its header and origin, as JSON (`[header, origin]`).
    pub meta: String,
    /// Its text, shared with the workspace.
    pub text: Arc<str>,
    /// The SHA-256 of its text.
    pub sha256: String,
}

/// Documents and sets for the worker to hold.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    /// Documents the worker does not hold.
    pub documents: Vec<HandedDocument>,
    /// Sets the worker does not hold as they are, as a compact Spanwright file of kind "set"
    /// with no documents (empty when there are none).
    pub sets: String,
    /// How many articles the batch hands over (each with its document, its sets, or both).
    pub articles: usize,
}

/// An article with something to hand over: its document, whether the worker lacks it, and the
/// sets on it the worker does not hold as they are.
type Pending<'a> = (&'a Arc<Document>, bool, Vec<&'a AnnotationSet>);

/// About how many bytes a set takes in a batch: enough to size batches, not to allocate.
fn cost(set: &AnnotationSet) -> usize {
    200 + 110 * set.spans().len() + 60 * set.relations().len()
}

impl Handed {
    /// Forgets everything handed over (a new worker holds nothing).
    pub fn clear(&mut self) {
        *self = Handed::default();
    }

    fn lacks_document(&self, d: &Arc<Document>) -> bool {
        match self.documents.get(&d.id) {
            Some(h) => !Arc::ptr_eq(h, d) && (h.sha256 != d.sha256 || h.header != d.header || h.origin != d.origin),
            None => true,
        }
    }

    fn pending<'a>(&self, selection: &Selection<'a>) -> Vec<Pending<'a>> {
        let mut sets_of: HashMap<&str, Vec<&'a AnnotationSet>> = HashMap::new();
        for &s in &selection.sets {
            if self.sets.get(&s.id) != Some(&fingerprint(s)) {
                sets_of.entry(s.doc_id.as_str()).or_default().push(s);
            }
        }
        selection
            .documents
            .iter()
            .filter_map(|&d| {
                let lacks = self.lacks_document(d);
                let sets = sets_of.remove(d.id.as_str()).unwrap_or_default();
                (lacks || !sets.is_empty()).then_some((d, lacks, sets))
            })
            .collect()
    }

    /// How many articles of the selection have something the worker does not hold yet.
    pub fn pending_articles(&self, selection: &Selection<'_>) -> usize {
        self.pending(selection).len()
    }

    /// The next batch of the selection's articles with something the worker does not hold:
    /// whole articles, in order, until about `budget` bytes (at least one article), noted as
    /// handed over. `None` when the worker holds the whole selection as it is.
    pub fn next_batch(&mut self, ws: &Workspace, selection: &Selection<'_>, budget: usize) -> Option<Batch> {
        let pending = self.pending(selection);
        if pending.is_empty() {
            return None;
        }
        let mut batch = Batch::default();
        let mut sets: Vec<(&AnnotationSet, &Document)> = Vec::new();
        let mut size = 0;
        for (doc, lacks, doc_sets) in pending {
            let more = if lacks { doc.text.len() } else { 0 } + doc_sets.iter().map(|s| cost(s)).sum::<usize>();
            if batch.articles > 0 && size + more > budget {
                break;
            }
            size += more;
            if lacks {
                batch.documents.push(HandedDocument {
                    id: doc.id.clone(),
                    meta: serde_json::to_string(&(&doc.header, doc.origin)).expect("a header serialises"),
                    text: Arc::clone(&doc.text),
                    sha256: doc.sha256.clone(),
                });
                self.documents.insert(doc.id.clone(), Arc::clone(doc));
            }
            for s in doc_sets {
                self.sets.insert(s.id.clone(), fingerprint(s));
                sets.push((s, doc));
            }
            batch.articles += 1;
        }
        if !sets.is_empty() {
            batch.sets = native::save_set_batch(&ws.labels, &sets);
        }
        Some(batch)
    }
}

/// What a job works on, by id: the label schema, the documents and sets in the workspace's
/// order, and each document's chosen set.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    labels: LabelSet,
    documents: Vec<DocId>,
    sets: Vec<SetId>,
    active: BTreeMap<DocId, SetId>,
}

/// The manifest of a selection of `ws`, as JSON: what the worker builds the job's workspace
/// from ([`Held::workspace`]).
pub fn manifest(ws: &Workspace, selection: &Selection<'_>) -> String {
    let m = Manifest {
        labels: ws.labels.clone(),
        documents: selection.documents.iter().map(|d| d.id.clone()).collect(),
        sets: selection.sets.iter().map(|s| s.id.clone()).collect(),
        active: selection.active(ws),
    };
    serde_json::to_string(&m).expect("ids and labels serialise")
}

/// The documents and sets the worker holds, and the workspace it last built from them.
#[derive(Debug, Default)]
pub struct Held {
    documents: HashMap<DocId, Arc<Document>>,
    sets: HashMap<SetId, AnnotationSet>,
    /// Counts the batches taken, so a workspace built before one is built again.
    generation: u64,
    built: Option<(String, u64, Workspace)>,
}

impl Held {
    /// Takes a batch: documents as handed over (id, header and origin as JSON, text,
    /// SHA-256) and the sets' Spanwright file, read against the documents held. A batch that
    /// does not read drops everything held, so the next job says [`LOST`] and the page hands
    /// everything over again.
    pub fn take(&mut self, documents: Vec<(DocId, String, String, String)>, sets: &str) -> Result<(), String> {
        self.generation += 1;
        let taken = self.take_batch(documents, sets);
        if taken.is_err() {
            self.documents.clear();
            self.sets.clear();
            self.built = None;
        }
        taken
    }

    fn take_batch(&mut self, documents: Vec<(DocId, String, String, String)>, sets: &str) -> Result<(), String> {
        for (id, meta, text, sha256) in documents {
            let (header, origin): (Header, Origin) = serde_json::from_str(&meta).map_err(|e| format!("an article reached the formats worker damaged ({e})"))?;
            let doc = Document { id: id.clone(), header, origin, text: text.into(), sha256, index_cache: Default::default() };
            self.documents.insert(id, Arc::new(doc));
        }
        if sets.is_empty() {
            return Ok(());
        }
        let known: Vec<&Document> = self.documents.values().map(|d| &**d).collect();
        let loaded = native::load(sets, &known).map_err(|e| format!("the sets reached the formats worker damaged ({e})"))?;
        if let Some(p) = loaded.imported.refused.first() {
            return Err(format!("a set reached the formats worker damaged ({p})"));
        }
        for set in loaded.imported.sets {
            self.sets.insert(set.id.clone(), set);
        }
        Ok(())
    }

    /// The workspace `manifest` names, built from what is held (or kept from the last job
    /// when neither the manifest nor anything held has changed since).
    pub fn workspace(&mut self, manifest: &str) -> Result<&Workspace, String> {
        let current = matches!(&self.built, Some((m, g, _)) if m == manifest && *g == self.generation);
        if !current {
            self.built = None;
            let ws = self.build(manifest)?;
            self.built = Some((manifest.to_owned(), self.generation, ws));
        }
        Ok(&self.built.as_ref().expect("built just now or kept").2)
    }

    fn build(&self, manifest: &str) -> Result<Workspace, String> {
        let m: Manifest = serde_json::from_str(manifest).map_err(|e| format!("the job reached the formats worker damaged ({e})"))?;
        let mut ws = Workspace::default();
        ws.labels = m.labels;
        for id in &m.documents {
            let doc = self.documents.get(id).ok_or(LOST)?;
            ws.insert_document(usize::MAX, Arc::clone(doc)).map_err(|e| e.to_string())?;
        }
        for id in &m.sets {
            let set = self.sets.get(id).ok_or(LOST)?;
            ws.insert_set(usize::MAX, set.clone()).map_err(|e| e.to_string())?;
        }
        ws.active = m.active;
        Ok(ws)
    }
}

#[cfg(test)]
mod tests;
