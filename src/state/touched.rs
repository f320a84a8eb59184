//! What the edits since the last save touched: the sets, documents, labels and active sets
//! that storage must write again. Storage keeps one record per document and per set, so a
//! save writes only these, and its cost does not grow with the corpus.

use std::collections::BTreeSet;

use super::change::Change;
use crate::model::{DocId, SetId};

/// The parts of the workspace changed since the last save.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    /// Sets added, changed or removed.
    pub sets: BTreeSet<SetId>,
    /// Documents added or removed (and so the order of the list).
    pub documents: BTreeSet<DocId>,
    /// The label schema.
    pub labels: bool,
    /// Which set is shown on a document.
    pub active: bool,
}

impl Touched {
    /// True when nothing needs saving.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty() && self.documents.is_empty() && !self.labels && !self.active
    }

    /// Adds what `change` touches. Pass the inverse a change returned when applied: it
    /// names everything the change touched, the sets a removed document took with it
    /// included.
    pub fn add(&mut self, change: &Change) {
        if let Some(set) = change.set_id() {
            self.sets.insert(set.to_owned());
        }
        match change {
            // A set coming back may be the one its article shows.
            Change::InsertSet { .. } => self.active = true,
            Change::InsertDocument { doc, .. } => {
                self.documents.insert(doc.id.clone());
            }
            Change::RemoveDocument { doc } => {
                self.documents.insert(doc.clone());
            }
            Change::SetLabels { .. } => self.labels = true,
            Change::Batch(changes) => changes.iter().for_each(|c| self.add(c)),
            _ => {}
        }
    }

    /// The documents and sets in parts of at most `size` records each (neither labels nor
    /// active sets): what a large save plans one task at a time.
    pub fn parts(&self, size: usize) -> Vec<Touched> {
        let size = size.max(1);
        let docs: Vec<&DocId> = self.documents.iter().collect();
        let sets: Vec<&SetId> = self.sets.iter().collect();
        let mut out: Vec<Touched> = docs.chunks(size).map(|c| Touched { documents: c.iter().map(|d| (*d).clone()).collect(), ..Touched::default() }).collect();
        out.extend(sets.chunks(size).map(|c| Touched { sets: c.iter().map(|s| (*s).clone()).collect(), ..Touched::default() }));
        out
    }

    /// Everything in `other` as well (a save that failed gives back what it took).
    pub fn merge(&mut self, other: Touched) {
        self.sets.extend(other.sets);
        self.documents.extend(other.documents);
        self.labels |= other.labels;
        self.active |= other.active;
    }
}
