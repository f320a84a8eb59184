//! The workspace: every document, every annotation set and the label schema, plus which set
//! is active on each document.
//!
//! Documents are shared (`Arc`), so cloning a workspace copies no article text. The workspace
//! checks what crosses sets and documents: a set must belong to a document of the workspace,
//! and its spans must use labels and types of the schema. It keeps where each document and
//! set stands by id ([`Places`]), so finding one costs the same in a corpus of 20 articles as
//! in one of 2,000.

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use super::{
    labels::LabelSet,
    set::{AnnotationSet, SetId, Span},
    DocId, Document,
};

/// Everything the user has: documents, sets, labels.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Workspace {
    /// The label schema.
    pub labels: LabelSet,
    documents: Vec<Arc<Document>>,
    sets: Vec<AnnotationSet>,
    /// The set shown for each document.
    pub active: BTreeMap<DocId, SetId>,
    places: Places,
}

/// Where each document and set stands in its list, by id, and each document's sets in their
/// order: made from the lists and changed with them (which only this file does), so it takes
/// no part in equality.
#[derive(Clone, Default)]
struct Places {
    documents: HashMap<DocId, usize>,
    sets: HashMap<SetId, usize>,
    /// The ids of each document's sets, in the order of `sets`.
    of_document: HashMap<DocId, Vec<SetId>>,
}

impl PartialEq for Places {
    fn eq(&self, _: &Places) -> bool {
        true
    }
}

impl Eq for Places {}

impl std::fmt::Debug for Places {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Places")
    }
}

/// Numbers `items` from `from` on in `places`, after an insertion or removal there moved them.
fn renumber<T>(places: &mut HashMap<String, usize>, items: &[T], from: usize, id: impl Fn(&T) -> &String) {
    for (i, item) in items.iter().enumerate().skip(from) {
        places.insert(id(item).clone(), i);
    }
}

/// Why a workspace change was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceError {
    /// No such document.
    #[error("there is no document “{0}”")]
    NoSuchDocument(DocId),
    /// The document id is taken.
    #[error("there is already a document with the id “{0}”")]
    DocumentExists(DocId),
    /// No such set.
    #[error("there is no annotation set “{0}”")]
    NoSuchSet(SetId),
    /// The set id is taken.
    #[error("there is already an annotation set with the id “{0}”")]
    SetExists(SetId),
    /// The set was made on a different text.
    #[error("annotation set “{set}” was made on a different text of document “{doc}” (its SHA-256 differs)")]
    TextChanged {
        /// The set.
        set: SetId,
        /// The document.
        doc: DocId,
    },
    /// The label is not in the schema.
    #[error("there is no label “{0}”")]
    NoSuchLabel(String),
    /// The entity type is not in the schema, or the label takes none.
    #[error("{0}")]
    BadEntityType(String),
    /// The relation type is not in the schema.
    #[error("there is no relation type “{0}”")]
    NoSuchRelationType(String),
}

impl Workspace {
    /// A workspace with the default labels and these documents.
    pub fn with_documents(documents: impl IntoIterator<Item = Document>) -> Self {
        let mut ws = Workspace { documents: documents.into_iter().map(Arc::new).collect(), ..Workspace::default() };
        for (i, d) in ws.documents.iter().enumerate() {
            // The first of the same id is the one found, as a walk of the list finds it.
            ws.places.documents.entry(d.id.clone()).or_insert(i);
        }
        ws
    }

    /// The documents, in display order.
    pub fn documents(&self) -> &[Arc<Document>] {
        &self.documents
    }

    /// The document with this id.
    pub fn document(&self, id: &str) -> Option<&Arc<Document>> {
        self.places.documents.get(id).map(|&i| &self.documents[i])
    }

    /// Where the document with this id stands in [`Workspace::documents`].
    pub fn document_index(&self, id: &str) -> Option<usize> {
        self.places.documents.get(id).copied()
    }

    /// The document with this text, by hash.
    pub fn document_by_hash(&self, sha256: &str) -> Option<&Arc<Document>> {
        self.documents.iter().find(|d| d.sha256 == sha256)
    }

    /// Every set, in creation order.
    pub fn sets(&self) -> &[AnnotationSet] {
        &self.sets
    }

    /// The set with this id.
    pub fn set(&self, id: &str) -> Option<&AnnotationSet> {
        self.places.sets.get(id).map(|&i| &self.sets[i])
    }

    /// The set with this id, to change (its id and document stay as they are).
    pub fn set_mut(&mut self, id: &str) -> Result<&mut AnnotationSet, WorkspaceError> {
        match self.places.sets.get(id) {
            Some(&i) => Ok(&mut self.sets[i]),
            None => Err(WorkspaceError::NoSuchSet(id.to_owned())),
        }
    }

    /// The sets on a document, in creation order.
    pub fn sets_of<'a>(&'a self, doc: &'a str) -> impl Iterator<Item = &'a AnnotationSet> + 'a {
        self.places.of_document.get(doc).into_iter().flatten().filter_map(|id| self.set(id))
    }

    /// The active set of a document: the one chosen, else its first.
    pub fn active_set(&self, doc: &str) -> Option<&AnnotationSet> {
        match self.active.get(doc).and_then(|id| self.set(id)) {
            Some(set) => Some(set),
            None => self.places.of_document.get(doc).and_then(|ids| ids.first()).and_then(|id| self.set(id)),
        }
    }

    /// The length, in code points, of the document a set annotates: every span's bound.
    pub fn doc_len(&self, set: &str) -> Result<usize, WorkspaceError> {
        let set = self.set(set).ok_or_else(|| WorkspaceError::NoSuchSet(set.to_owned()))?;
        let doc = self.document(&set.doc_id).ok_or_else(|| WorkspaceError::NoSuchDocument(set.doc_id.clone()))?;
        Ok(doc.char_len())
    }

    /// Inserts a document at `index` (clamped to the end).
    pub fn insert_document(&mut self, index: usize, doc: Arc<Document>) -> Result<(), WorkspaceError> {
        if self.document(&doc.id).is_some() {
            return Err(WorkspaceError::DocumentExists(doc.id.clone()));
        }
        let index = index.min(self.documents.len());
        self.documents.insert(index, doc);
        renumber(&mut self.places.documents, &self.documents, index, |d| &d.id);
        Ok(())
    }

    /// Puts the documents in this order of ids; documents it does not name keep their order
    /// after those it does.
    pub fn reorder_documents(&mut self, order: &[DocId]) {
        let place: std::collections::HashMap<&str, usize> = order.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        self.documents.sort_by_key(|d| place.get(d.id.as_str()).copied().unwrap_or(usize::MAX));
        renumber(&mut self.places.documents, &self.documents, 0, |d| &d.id);
    }

    /// Adds documents and sets read from storage after the rest: each document at its place
    /// in `order` (ranks by id; those it does not rank last) among those here, each set in
    /// the order sets were made, shown when `active` says so and its document shows none
    /// yet. Something here already (the same id) is left as it is.
    pub fn add_in_order(
        &mut self,
        documents: Vec<Document>,
        sets: Vec<AnnotationSet>,
        order: &std::collections::HashMap<DocId, usize>,
        active: &BTreeMap<DocId, SetId>,
    ) {
        let rank = |id: &str| order.get(id).copied().unwrap_or(usize::MAX);
        for doc in documents {
            let mine = rank(&doc.id);
            // The articles here are in that order: each one added so went to its place, and
            // those added by hand meanwhile (not ranked) are last.
            let at = self.documents.partition_point(|d| rank(&d.id) <= mine);
            let _ = self.insert_document(at, doc.into());
        }
        for set in sets {
            let (doc, id) = (set.doc_id.clone(), set.id.clone());
            let at = self.sets.partition_point(|s| (&s.created, &s.id) <= (&set.created, &set.id));
            if self.insert_set(at, set).is_ok() && active.get(&doc) == Some(&id) && !self.active.contains_key(&doc) {
                self.active.insert(doc, id);
            }
        }
    }

    /// Removes a document with no sets, returning it and where it stood.
    pub fn remove_document(&mut self, id: &str) -> Result<(usize, Arc<Document>), WorkspaceError> {
        let at = self.document_index(id).ok_or_else(|| WorkspaceError::NoSuchDocument(id.to_owned()))?;
        self.active.remove(id);
        let doc = self.documents.remove(at);
        self.places.documents.remove(id);
        renumber(&mut self.places.documents, &self.documents, at, |d| &d.id);
        Ok((at, doc))
    }

    /// Inserts a set at `index` (clamped), checking its document, text hash and labels.
    pub fn insert_set(&mut self, index: usize, set: AnnotationSet) -> Result<(), WorkspaceError> {
        if self.set(&set.id).is_some() {
            return Err(WorkspaceError::SetExists(set.id));
        }
        let doc = self.document(&set.doc_id).ok_or_else(|| WorkspaceError::NoSuchDocument(set.doc_id.clone()))?;
        if doc.sha256 != set.doc_sha256 {
            return Err(WorkspaceError::TextChanged { set: set.id, doc: set.doc_id });
        }
        for span in set.spans() {
            self.check_span_labels(span)?;
        }
        for rel in set.relations() {
            self.check_relation_type(&rel.kind)?;
        }
        let index = index.min(self.sets.len());
        // Among its document's sets, before the first that stands after it.
        let places = &self.places.sets;
        let mine = self.places.of_document.entry(set.doc_id.clone()).or_default();
        let at = mine.partition_point(|id| places.get(id).is_some_and(|&i| i < index));
        mine.insert(at, set.id.clone());
        self.sets.insert(index, set);
        renumber(&mut self.places.sets, &self.sets, index, |s| &s.id);
        Ok(())
    }

    /// Removes a set, returning it and where it stood.
    pub fn remove_set(&mut self, id: &str) -> Result<(usize, AnnotationSet), WorkspaceError> {
        let at = self.places.sets.get(id).copied().ok_or_else(|| WorkspaceError::NoSuchSet(id.to_owned()))?;
        let set = self.sets.remove(at);
        self.places.sets.remove(id);
        renumber(&mut self.places.sets, &self.sets, at, |s| &s.id);
        if let Some(mine) = self.places.of_document.get_mut(&set.doc_id) {
            mine.retain(|s| *s != set.id);
            if mine.is_empty() {
                self.places.of_document.remove(&set.doc_id);
            }
        }
        if self.active.get(&set.doc_id) == Some(&set.id) {
            self.active.remove(&set.doc_id);
        }
        Ok((at, set))
    }

    /// Checks a span's label and entity type against the schema.
    pub fn check_span_labels(&self, span: &Span) -> Result<(), WorkspaceError> {
        let label = self.labels.label(&span.label).ok_or_else(|| WorkspaceError::NoSuchLabel(span.label.clone()))?;
        match (&span.entity_type, label.typed) {
            (Some(t), true) if self.labels.entity_type(t).is_none() => Err(WorkspaceError::BadEntityType(format!("there is no entity type “{t}”"))),
            (Some(t), false) => Err(WorkspaceError::BadEntityType(format!("“{}” spans take no entity type, but “{t}” was given", label.name))),
            _ => Ok(()),
        }
    }

    /// Checks a relation type against the schema.
    pub fn check_relation_type(&self, kind: &str) -> Result<(), WorkspaceError> {
        match self.labels.relation_type(kind) {
            Some(_) => Ok(()),
            None => Err(WorkspaceError::NoSuchRelationType(kind.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    const T: &str = "2026-01-01T00:00:00Z";

    /// What the lists say, found by walking them: what [`Places`] must always agree with.
    fn check(ws: &Workspace) {
        for (i, d) in ws.documents.iter().enumerate() {
            assert_eq!(ws.document_index(&d.id), Some(i), "document {}", d.id);
            assert!(Arc::ptr_eq(ws.document(&d.id).unwrap(), d));
            let walked: Vec<&str> = ws.sets.iter().filter(|s| s.doc_id == d.id).map(|s| s.id.as_str()).collect();
            assert_eq!(ws.sets_of(&d.id).map(|s| s.id.as_str()).collect::<Vec<_>>(), walked, "the sets of {}", d.id);
            let first = ws.sets.iter().find(|s| s.doc_id == d.id);
            let chosen = ws.active.get(&d.id).and_then(|id| ws.sets.iter().find(|s| s.id == *id));
            assert_eq!(ws.active_set(&d.id).map(|s| &s.id), chosen.or(first).map(|s| &s.id), "the set shown on {}", d.id);
        }
        for (i, s) in ws.sets.iter().enumerate() {
            assert!(std::ptr::eq(ws.set(&s.id).unwrap(), &ws.sets[i]), "set {}", s.id);
        }
        assert_eq!(ws.places.documents.len(), ws.documents.len());
        assert_eq!(ws.places.sets.len(), ws.sets.len());
        assert_eq!(ws.places.of_document.values().map(Vec::len).sum::<usize>(), ws.sets.len());
        assert!(ws.document("none").is_none() && ws.set("none").is_none() && ws.sets_of("none").next().is_none());
    }

    /// Documents and sets added at the ends and in between, removed, and reordered: each is
    /// found by id where the lists have it.
    #[test]
    fn documents_and_sets_are_found_by_id_where_they_stand() {
        let doc = |id: &str| Document::new(id, format!("Text of {id}."), Origin::User);
        let mut ws = Workspace::with_documents([doc("a"), doc("b"), doc("c")]);
        check(&ws);
        let set = |ws: &Workspace, id: &str, d: &str| AnnotationSet::new(id, id, "me", ws.document(d).unwrap(), T);
        for (at, id, d) in [(usize::MAX, "s1", "a"), (usize::MAX, "s2", "b"), (0, "s3", "a"), (1, "s4", "c"), (2, "s5", "a"), (usize::MAX, "s6", "b")] {
            let s = set(&ws, id, d);
            ws.insert_set(at, s).unwrap();
            check(&ws);
        }
        assert_eq!(ws.sets_of("a").map(|s| s.id.as_str()).collect::<Vec<_>>(), ["s3", "s5", "s1"]);
        ws.insert_document(1, Arc::new(doc("d"))).unwrap();
        ws.insert_document(0, Arc::new(doc("e"))).unwrap();
        check(&ws);
        assert_eq!(ws.insert_document(9, Arc::new(doc("b"))), Err(WorkspaceError::DocumentExists("b".into())));
        assert!(matches!(ws.insert_set(0, set(&ws, "s2", "c")), Err(WorkspaceError::SetExists(_))));
        ws.active.insert("a".into(), "s1".into());
        let (at, s5) = ws.remove_set("s5").unwrap();
        check(&ws);
        ws.remove_set("s1").unwrap();
        check(&ws);
        ws.insert_set(at, s5).unwrap();
        ws.set_mut("s5").unwrap().done = true;
        assert!(ws.set("s5").unwrap().done);
        check(&ws);
        for s in ["s4", "s3", "s5"] {
            ws.remove_set(s).unwrap();
        }
        ws.remove_document("c").unwrap();
        ws.remove_document("e").unwrap();
        check(&ws);
        ws.reorder_documents(&["b".into(), "d".into()]);
        assert_eq!(ws.documents().iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["b", "d", "a"]);
        check(&ws);
        assert!(ws.set_mut("s1").is_err() && ws.remove_set("s1").is_err() && ws.remove_document("c").is_err());
        // Equality is by the lists alone.
        let mut again = Workspace::with_documents([doc("b"), doc("d"), doc("a")]);
        for s in ws.sets() {
            again.insert_set(usize::MAX, s.clone()).unwrap();
        }
        assert_eq!(again, ws);
    }
}
