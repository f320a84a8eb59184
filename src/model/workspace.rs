//! The workspace: every document, every annotation set and the label schema, plus which set
//! is active on each document.
//!
//! Documents are shared (`Arc`), so cloning a workspace copies no article text. The workspace
//! checks what crosses sets and documents: a set must belong to a document of the workspace,
//! and its spans must use labels and types of the schema.

use std::{collections::BTreeMap, sync::Arc};

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
        Workspace { documents: documents.into_iter().map(Arc::new).collect(), ..Workspace::default() }
    }

    /// The documents, in display order.
    pub fn documents(&self) -> &[Arc<Document>] {
        &self.documents
    }

    /// The document with this id.
    pub fn document(&self, id: &str) -> Option<&Arc<Document>> {
        self.documents.iter().find(|d| d.id == id)
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
        self.sets.iter().find(|s| s.id == id)
    }

    /// The set with this id, to change.
    pub fn set_mut(&mut self, id: &str) -> Result<&mut AnnotationSet, WorkspaceError> {
        self.sets.iter_mut().find(|s| s.id == id).ok_or_else(|| WorkspaceError::NoSuchSet(id.to_owned()))
    }

    /// The sets on a document.
    pub fn sets_of<'a>(&'a self, doc: &'a str) -> impl Iterator<Item = &'a AnnotationSet> + 'a {
        self.sets.iter().filter(move |s| s.doc_id == doc)
    }

    /// The active set of a document: the one chosen, else its first.
    pub fn active_set(&self, doc: &str) -> Option<&AnnotationSet> {
        match self.active.get(doc).and_then(|id| self.set(id)) {
            Some(set) => Some(set),
            None => self.sets.iter().find(|s| s.doc_id == doc),
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
        Ok(())
    }

    /// Puts the documents in this order of ids; documents it does not name keep their order
    /// after those it does.
    pub fn reorder_documents(&mut self, order: &[DocId]) {
        let place: std::collections::HashMap<&str, usize> = order.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        self.documents.sort_by_key(|d| place.get(d.id.as_str()).copied().unwrap_or(usize::MAX));
    }

    /// Removes a document with no sets, returning it and where it stood.
    pub fn remove_document(&mut self, id: &str) -> Result<(usize, Arc<Document>), WorkspaceError> {
        let at = self.documents.iter().position(|d| d.id == id).ok_or_else(|| WorkspaceError::NoSuchDocument(id.to_owned()))?;
        self.active.remove(id);
        Ok((at, self.documents.remove(at)))
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
        self.sets.insert(index, set);
        Ok(())
    }

    /// Removes a set, returning it and where it stood.
    pub fn remove_set(&mut self, id: &str) -> Result<(usize, AnnotationSet), WorkspaceError> {
        let at = self.sets.iter().position(|s| s.id == id).ok_or_else(|| WorkspaceError::NoSuchSet(id.to_owned()))?;
        let set = self.sets.remove(at);
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
