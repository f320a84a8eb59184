//! What the edits since the last save touched: the sets, documents, labels and active sets
//! that storage must write again. Storage keeps one record per document and per set, so a
//! save writes only these, and its cost does not grow with the corpus.

use std::collections::BTreeSet;

use super::change::Change;
use crate::model::{DocId, SetId};

/// A record of the workspace, as [`Touched::parts`] weighs it.
#[derive(Clone, Copy, Debug)]
pub enum Record<'a> {
    /// A document.
    Document(&'a DocId),
    /// A set.
    Set(&'a SetId),
}

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

    /// The documents and sets in parts that each weigh at most `budget` (or hold one record
    /// that weighs more), neither labels nor active sets: what a large save plans one task
    /// at a time. `weight` says what a record costs to plan (about its bytes, say).
    pub fn parts(&self, budget: usize, weight: impl Fn(Record<'_>) -> usize) -> Vec<Touched> {
        let mut out = Vec::new();
        let (mut part, mut weighs) = (Touched::default(), 0);
        let records = self.documents.iter().map(Record::Document).chain(self.sets.iter().map(Record::Set));
        let mut documents = true;
        for record in records {
            let w = weight(record);
            // Documents and sets are never in one part.
            let turned = documents && matches!(record, Record::Set(_));
            documents &= !turned;
            if !part.is_empty() && (turned || weighs + w > budget) {
                out.push(std::mem::take(&mut part));
                weighs = 0;
            }
            match record {
                Record::Document(d) => part.documents.insert(d.clone()),
                Record::Set(s) => part.sets.insert(s.clone()),
            };
            weighs += w;
        }
        if !part.is_empty() {
            out.push(part);
        }
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
