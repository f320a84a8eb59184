//! Changes: the smallest edits of a workspace, each of which, applied, returns its inverse.
//!
//! Undo history stores inverses rather than snapshots, so one edit on a set of 10,000 spans
//! costs the history one span, not a copy of the set.

use std::sync::Arc;

use crate::model::{AnnotationSet, DocId, Document, LabelSet, Rejection, Relation, RelationId, SetError, SetId, Span, SpanId, Workspace, WorkspaceError};

/// One invertible edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Add a span to a set.
    InsertSpan {
        /// The set.
        set: SetId,
        /// The span, id included.
        span: Span,
    },
    /// Remove a span and the relations that touch it.
    RemoveSpan {
        /// The set.
        set: SetId,
        /// The span.
        span: SpanId,
    },
    /// Replace a span by one with the same id (relabel, resize, note).
    ReplaceSpan {
        /// The set.
        set: SetId,
        /// The new span.
        span: Span,
    },
    /// Add a relation.
    InsertRelation {
        /// The set.
        set: SetId,
        /// The relation, id included.
        relation: Relation,
    },
    /// Remove a relation.
    RemoveRelation {
        /// The set.
        set: SetId,
        /// The relation.
        relation: RelationId,
    },
    /// Record (or, with `rejected` false, forget) a rejected suggestion in a set.
    Reject {
        /// The set.
        set: SetId,
        /// The suggestion.
        rejection: Rejection,
        /// True to record it, false to forget it.
        rejected: bool,
    },
    /// Add a whole set at a position.
    InsertSet {
        /// Position among the sets.
        index: usize,
        /// The set.
        set: Box<AnnotationSet>,
    },
    /// Remove a whole set.
    RemoveSet {
        /// The set.
        set: SetId,
    },
    /// Rename a set.
    RenameSet {
        /// The set.
        set: SetId,
        /// The new name.
        name: String,
    },
    /// Set who annotated a set.
    SetAnnotator {
        /// The set.
        set: SetId,
        /// The annotator's name.
        annotator: String,
    },
    /// Mark a set done, or not.
    SetDone {
        /// The set.
        set: SetId,
        /// Done.
        done: bool,
    },
    /// Switch suggestions on in a set, or off.
    SetSuggestions {
        /// The set.
        set: SetId,
        /// On.
        on: bool,
    },
    /// Add a document at a position.
    InsertDocument {
        /// Position among the documents.
        index: usize,
        /// The document.
        doc: Arc<Document>,
    },
    /// Remove a document and its sets.
    RemoveDocument {
        /// The document.
        doc: DocId,
    },
    /// Replace the labels, entity types and relation types; refused when a span or relation
    /// uses one the new schema lacks.
    SetLabels {
        /// The new schema.
        labels: Box<LabelSet>,
    },
    /// Several changes, applied in order and undone in reverse.
    Batch(Vec<Change>),
}

/// Why a change could not be applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    /// A set refused it.
    #[error(transparent)]
    Set(#[from] SetError),
    /// The workspace refused it.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// A rejection of a suggestion that cannot be recorded or forgotten.
    #[error("{0}")]
    Rejection(String),
}

impl Change {
    /// The set this change touches, if it touches exactly one.
    pub fn set_id(&self) -> Option<&str> {
        match self {
            Change::InsertSpan { set, .. }
            | Change::RemoveSpan { set, .. }
            | Change::ReplaceSpan { set, .. }
            | Change::InsertRelation { set, .. }
            | Change::RemoveRelation { set, .. }
            | Change::RenameSet { set, .. }
            | Change::SetAnnotator { set, .. }
            | Change::Reject { set, .. }
            | Change::SetDone { set, .. }
            | Change::SetSuggestions { set, .. }
            | Change::RemoveSet { set } => Some(set),
            Change::InsertSet { set, .. } => Some(&set.id),
            _ => None,
        }
    }

    /// Applies the change, stamping `at` on the set it touches, and returns its inverse.
    /// A batch that fails part-way is rolled back, so a failed change leaves no trace.
    pub fn apply(self, ws: &mut Workspace, at: &str) -> Result<Change, ChangeError> {
        let inverse = match self {
            Change::InsertSpan { set, span } => {
                let doc_len = ws.doc_len(&set)?;
                ws.check_span_labels(&span)?;
                let id = span.id;
                stamp(ws.set_mut(&set)?, at, |s| s.insert_span(span, doc_len))?;
                Change::RemoveSpan { set, span: id }
            }
            Change::RemoveSpan { set, span } => {
                let (span, relations) = stamp(ws.set_mut(&set)?, at, |s| s.remove_span(span))?;
                let mut restore = vec![Change::InsertSpan { set: set.clone(), span }];
                restore.extend(relations.into_iter().map(|relation| Change::InsertRelation { set: set.clone(), relation }));
                batch(restore)
            }
            Change::ReplaceSpan { set, span } => {
                let doc_len = ws.doc_len(&set)?;
                ws.check_span_labels(&span)?;
                let old = stamp(ws.set_mut(&set)?, at, |s| s.replace_span(span, doc_len))?;
                Change::ReplaceSpan { set, span: old }
            }
            Change::InsertRelation { set, relation } => {
                ws.check_relation_type(&relation.kind)?;
                let id = relation.id;
                stamp(ws.set_mut(&set)?, at, |s| s.insert_relation(relation))?;
                Change::RemoveRelation { set, relation: id }
            }
            Change::RemoveRelation { set, relation } => {
                let relation = stamp(ws.set_mut(&set)?, at, |s| s.remove_relation(relation))?;
                Change::InsertRelation { set, relation }
            }
            Change::Reject { set, rejection, rejected } => {
                let doc_len = ws.doc_len(&set)?;
                if rejection.start >= rejection.end || rejection.end > doc_len {
                    return Err(ChangeError::Rejection(format!(
                        "the range {}..{} is not inside the document ({doc_len} characters)",
                        rejection.start, rejection.end
                    )));
                }
                let changed = stamp(ws.set_mut(&set)?, at, |s| {
                    Ok::<_, SetError>(if rejected { s.rejected.insert(rejection.clone()) } else { s.rejected.remove(&rejection) })
                })?;
                if !changed {
                    let what = if rejected { "already rejected" } else { "not rejected" };
                    return Err(ChangeError::Rejection(format!("the suggestion at {}..{} is {what}", rejection.start, rejection.end)));
                }
                Change::Reject { set, rejection, rejected: !rejected }
            }
            Change::InsertSet { index, set } => {
                let id = set.id.clone();
                ws.insert_set(index, *set)?;
                Change::RemoveSet { set: id }
            }
            Change::RemoveSet { set } => {
                let (index, set) = ws.remove_set(&set)?;
                Change::InsertSet { index, set: Box::new(set) }
            }
            Change::RenameSet { set, name } => {
                let old = stamp(ws.set_mut(&set)?, at, |s| Ok::<_, SetError>(std::mem::replace(&mut s.name, name)))?;
                Change::RenameSet { set, name: old }
            }
            Change::SetAnnotator { set, annotator } => {
                let old = stamp(ws.set_mut(&set)?, at, |s| Ok::<_, SetError>(std::mem::replace(&mut s.annotator, annotator)))?;
                Change::SetAnnotator { set, annotator: old }
            }
            Change::SetDone { set, done } => {
                let old = stamp(ws.set_mut(&set)?, at, |s| Ok::<_, SetError>(std::mem::replace(&mut s.done, done)))?;
                Change::SetDone { set, done: old }
            }
            Change::SetSuggestions { set, on } => {
                let old = stamp(ws.set_mut(&set)?, at, |s| Ok::<_, SetError>(std::mem::replace(&mut s.suggestions, on)))?;
                Change::SetSuggestions { set, on: old }
            }
            Change::InsertDocument { index, doc } => {
                let id = doc.id.clone();
                ws.insert_document(index, doc)?;
                Change::RemoveDocument { doc: id }
            }
            Change::RemoveDocument { doc } => {
                if ws.document(&doc).is_none() {
                    return Err(WorkspaceError::NoSuchDocument(doc).into());
                }
                let set_ids: Vec<SetId> = ws.sets_of(&doc).map(|s| s.id.clone()).collect();
                let mut inverses: Vec<Change> = Vec::new();
                for set in set_ids {
                    inverses.push(Change::RemoveSet { set }.apply(ws, at)?);
                }
                let (index, doc) = ws.remove_document(&doc)?;
                inverses.push(Change::InsertDocument { index, doc });
                inverses.reverse();
                batch(inverses)
            }
            Change::SetLabels { labels } => {
                let old = std::mem::replace(&mut ws.labels, *labels);
                let unknown = ws.sets().iter().find_map(|set| {
                    let span = set.spans().iter().find_map(|s| ws.check_span_labels(s).err());
                    span.or_else(|| set.relations().iter().find_map(|r| ws.check_relation_type(&r.kind).err()))
                });
                if let Some(e) = unknown {
                    ws.labels = old;
                    return Err(e.into());
                }
                Change::SetLabels { labels: Box::new(old) }
            }
            Change::Batch(changes) => {
                let mut inverses = Vec::with_capacity(changes.len());
                for change in changes {
                    match change.apply(ws, at) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(e) => {
                            for inverse in inverses.into_iter().rev() {
                                inverse.apply(ws, at).expect("an inverse applies to the state its change produced");
                            }
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                batch(inverses)
            }
        };
        Ok(inverse)
    }
}

fn batch(mut changes: Vec<Change>) -> Change {
    match changes.len() {
        1 => changes.pop().expect("one change"),
        _ => Change::Batch(changes),
    }
}

/// Runs `edit` on a set and, only if it succeeds, stamps the set as updated at `at`.
fn stamp<T>(set: &mut AnnotationSet, at: &str, edit: impl FnOnce(&mut AnnotationSet) -> Result<T, SetError>) -> Result<T, SetError> {
    let out = edit(set)?;
    if set.updated != at {
        set.updated = at.to_owned();
    }
    Ok(out)
}
