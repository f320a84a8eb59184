//! Application state: the workspace plus undo and redo history, changed only by [`Action`]s.
//!
//! [`State::dispatch`] is the reducer. It is pure — no clock, no storage, no ids from
//! nowhere: the caller passes the time and any new set ids in — and it changes the state in
//! place, so the browser shell (which owns the only reference) never copies a 10,000-span set
//! per keystroke. [`reduce`] is the same as a function from state to state, for tests.
//! A refused action leaves the state exactly as it was.

mod change;
pub mod merge;
pub mod session;
pub mod touched;

pub use change::{Change, ChangeError};
pub use touched::Touched;

use std::sync::Arc;

use crate::model::{
    AnnotationSet, CharRange, DocId, Document, LabelId, LabelSet, OffsetError, Provenance, Rejection, Relation, RelationId, SetId, Span, SpanId, Workspace,
    WorkspaceError,
};

/// How many steps undo remembers.
pub const UNDO_LIMIT: usize = 1000;

/// Something the user does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Tag a range, in code points.
    AddSpan {
        /// The set.
        set: SetId,
        /// First code point.
        start: usize,
        /// Code point after the last.
        end: usize,
        /// Label id.
        label: LabelId,
        /// Entity type, for typed labels.
        entity_type: Option<LabelId>,
    },
    /// Delete a span (and its relations).
    RemoveSpan {
        /// The set.
        set: SetId,
        /// The span.
        span: SpanId,
    },
    /// Give a span another label or entity type.
    RelabelSpan {
        /// The set.
        set: SetId,
        /// The span.
        span: SpanId,
        /// The new label.
        label: LabelId,
        /// The new entity type.
        entity_type: Option<LabelId>,
    },
    /// Move a span's boundaries.
    ResizeSpan {
        /// The set.
        set: SetId,
        /// The span.
        span: SpanId,
        /// New start.
        start: usize,
        /// New end.
        end: usize,
    },
    /// Set or clear a span's note.
    SetNote {
        /// The set.
        set: SetId,
        /// The span.
        span: SpanId,
        /// The note; empty or `None` clears it.
        note: Option<String>,
    },
    /// Accept a suggestion: tag its range, recording what suggested it (the span's
    /// provenance).
    AcceptSuggestion {
        /// The set.
        set: SetId,
        /// First code point.
        start: usize,
        /// Code point after the last.
        end: usize,
        /// Label id.
        label: LabelId,
        /// Entity type, for typed labels.
        entity_type: Option<LabelId>,
        /// What suggested it: `dictionary`, `gazetteer`, `quote cue`.
        source: String,
        /// Why, as shown ("Lavrov → Person (3×)").
        detail: String,
    },
    /// Reject a suggestion: it is not suggested in this set again.
    RejectSuggestion {
        /// The set.
        set: SetId,
        /// The suggestion.
        rejection: Rejection,
    },
    /// Link two spans.
    AddRelation {
        /// The set.
        set: SetId,
        /// Relation type.
        kind: LabelId,
        /// From (the quote or claim).
        from: SpanId,
        /// To (the speaker or claimant).
        to: SpanId,
    },
    /// Remove a link.
    RemoveRelation {
        /// The set.
        set: SetId,
        /// The relation.
        relation: RelationId,
    },
    /// Start an empty set on a document and make it active.
    CreateSet {
        /// New id (from the caller, who owns id generation).
        id: SetId,
        /// The document.
        doc: DocId,
        /// Name.
        name: String,
        /// Annotator.
        annotator: String,
    },
    /// Rename a set.
    RenameSet {
        /// The set.
        set: SetId,
        /// The new name.
        name: String,
    },
    /// Set who annotated a set (its annotator, kept in every format with a field for it).
    SetAnnotator {
        /// The set.
        set: SetId,
        /// The annotator's name; surrounding whitespace is dropped.
        annotator: String,
    },
    /// Mark a set done ("Mark done"), or not done.
    SetDone {
        /// The set.
        set: SetId,
        /// Done.
        done: bool,
    },
    /// Switch suggestions on in a set ("Suggest spans"), or off.
    SetSuggestions {
        /// The set.
        set: SetId,
        /// On.
        on: bool,
    },
    /// Copy a set under a new id and name, and make the copy active.
    DuplicateSet {
        /// The set to copy.
        set: SetId,
        /// The copy's id.
        id: SetId,
        /// The copy's name.
        name: String,
    },
    /// Delete a set.
    DeleteSet {
        /// The set.
        set: SetId,
    },
    /// Show another set of a document (not an edit: undo does not step through it).
    SwitchSet {
        /// The document.
        doc: DocId,
        /// The set.
        set: SetId,
    },
    /// Add a document.
    AddDocument {
        /// The document.
        doc: Document,
    },
    /// Remove a document and its sets.
    RemoveDocument {
        /// The document.
        doc: DocId,
    },
    /// Add documents and sets from a file, as one step, with the labels they need.
    Import {
        /// New documents.
        documents: Vec<Document>,
        /// New sets.
        sets: Vec<AnnotationSet>,
        /// The schema with the labels the file brings, when it brings any.
        labels: Option<LabelSet>,
    },
    /// Replace the labels, entity types and relation types (an edit of the schema; undoable).
    SetLabels {
        /// The new schema.
        labels: LabelSet,
    },
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// The change itself was refused.
    #[error(transparent)]
    Change(#[from] ChangeError),
    /// A range was not valid.
    #[error(transparent)]
    Range(#[from] OffsetError),
    /// Undo with empty history.
    #[error("nothing to undo")]
    NothingToUndo,
    /// Redo with nothing undone.
    #[error("nothing to redo")]
    NothingToRedo,
    /// Undo or redo inside a group of edits.
    #[error("undo and redo cannot be part of a group of edits")]
    NotAnEdit,
}

impl From<WorkspaceError> for ActionError {
    fn from(e: WorkspaceError) -> Self {
        ActionError::Change(e.into())
    }
}

impl From<crate::model::SetError> for ActionError {
    fn from(e: crate::model::SetError) -> Self {
        ActionError::Change(e.into())
    }
}

/// The workspace and its history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Documents, sets, labels.
    pub workspace: Workspace,
    undo: Vec<Change>,
    redo: Vec<Change>,
    /// What the edits since the last save touched, for storage to write
    /// ([`State::take_touched`]).
    touched: Touched,
    /// What the edits since the article list was last made touched (`None`: everything, as
    /// after a new workspace), so the list remakes only those articles ([`State::take_listed`]).
    listed: Option<Touched>,
}

/// The pure reducer as a function: the state after `action`, or why it was refused.
pub fn reduce(state: &State, action: Action, at: &str) -> Result<State, ActionError> {
    let mut next = state.clone();
    next.dispatch(action, at)?;
    Ok(next)
}

impl State {
    /// A state over a workspace, with empty history.
    pub fn new(workspace: Workspace) -> Self {
        State { workspace, undo: Vec::new(), redo: Vec::new(), touched: Touched::default(), listed: None }
    }

    /// True when there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// What the edits since the last call touched, taken: what storage must write.
    pub fn take_touched(&mut self) -> Touched {
        std::mem::take(&mut self.touched)
    }

    /// Gives back what a save took but could not write, so the next save writes it.
    pub fn untake_touched(&mut self, touched: Touched) {
        self.touched.merge(touched);
    }

    /// What the edits since the last call touched, for the article list (`None`: everything).
    pub fn take_listed(&mut self) -> Option<Touched> {
        self.listed.replace(Touched::default())
    }

    fn note(&mut self, inverse: &Change) {
        self.touched.add(inverse);
        if let Some(listed) = &mut self.listed {
            listed.add(inverse);
        }
    }

    /// What the edits since the last save touched.
    pub fn touched(&self) -> &Touched {
        &self.touched
    }

    /// Replaces the workspace with one another tab's saves were brought into, keeping what
    /// this page's own unsaved edits touched (they are still to be written). The history is
    /// cleared: its inverses may not apply to the other tab's records.
    pub fn integrate(&mut self, workspace: Workspace) {
        self.workspace = workspace;
        self.listed = None;
        self.undo.clear();
        self.redo.clear();
    }

    /// Adds to the workspace what storage read after the page started (see
    /// [`crate::storage::records::Filler`]): not an edit, so nothing to undo or save, but the
    /// article list is made again.
    pub fn add_stored(&mut self, add: impl FnOnce(&mut Workspace)) {
        add(&mut self.workspace);
        self.listed = None;
    }

    /// True when there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies an action at time `at` (ISO 8601). Returns the id of the span or relation it
    /// created, if any.
    pub fn dispatch(&mut self, action: Action, at: &str) -> Result<Option<u64>, ActionError> {
        let ws = &self.workspace;
        let (change, created) = match action {
            Action::Undo => {
                let change = self.undo.pop().ok_or(ActionError::NothingToUndo)?;
                return self.replay(change, at, true);
            }
            Action::Redo => {
                let change = self.redo.pop().ok_or(ActionError::NothingToRedo)?;
                return self.replay(change, at, false);
            }
            Action::SwitchSet { doc, set } => {
                match ws.set(&set) {
                    Some(s) if s.doc_id == doc => self.workspace.active.insert(doc, set),
                    _ => return Err(WorkspaceError::NoSuchSet(set).into()),
                };
                self.touched.active = true;
                if let Some(listed) = &mut self.listed {
                    listed.active = true;
                }
                return Ok(None);
            }
            Action::AddSpan { set, start, end, label, entity_type } => {
                let range = CharRange::new(start, end, ws.doc_len(&set)?)?;
                let id = set_of(ws, &set)?.fresh_id();
                (Change::InsertSpan { set, span: Span { id, range, label, entity_type, note: None, provenance: None } }, Some(id))
            }
            Action::AcceptSuggestion { set, start, end, label, entity_type, source, detail } => {
                let range = CharRange::new(start, end, ws.doc_len(&set)?)?;
                let id = set_of(ws, &set)?.fresh_id();
                let provenance = Some(Provenance::Suggested { source, detail });
                (Change::InsertSpan { set, span: Span { id, range, label, entity_type, note: None, provenance } }, Some(id))
            }
            Action::RejectSuggestion { set, rejection } => (Change::Reject { set, rejection, rejected: true }, None),
            Action::RemoveSpan { set, span } => (Change::RemoveSpan { set, span }, None),
            Action::RelabelSpan { set, span, label, entity_type } => {
                let old = span_of(ws, &set, span)?;
                (Change::ReplaceSpan { set, span: Span { label, entity_type, ..old.clone() } }, None)
            }
            Action::ResizeSpan { set, span, start, end } => {
                let range = CharRange::new(start, end, ws.doc_len(&set)?)?;
                let old = span_of(ws, &set, span)?;
                (Change::ReplaceSpan { set, span: Span { range, ..old.clone() } }, None)
            }
            Action::SetNote { set, span, note } => {
                let old = span_of(ws, &set, span)?;
                let note = note.filter(|n| !n.trim().is_empty());
                (Change::ReplaceSpan { set, span: Span { note, ..old.clone() } }, None)
            }
            Action::AddRelation { set, kind, from, to } => {
                let id = set_of(ws, &set)?.fresh_id();
                (Change::InsertRelation { set, relation: Relation { id, kind, from, to } }, Some(id))
            }
            Action::RemoveRelation { set, relation } => (Change::RemoveRelation { set, relation }, None),
            Action::CreateSet { id, doc, name, annotator } => {
                let d = ws.document(&doc).ok_or_else(|| WorkspaceError::NoSuchDocument(doc.clone()))?;
                let set = AnnotationSet::new(id, name, annotator, d, at);
                (Change::InsertSet { index: usize::MAX, set: Box::new(set) }, None)
            }
            Action::RenameSet { set, name } => (Change::RenameSet { set, name }, None),
            Action::SetAnnotator { set, annotator } => (Change::SetAnnotator { set, annotator: annotator.trim().to_owned() }, None),
            Action::SetDone { set, done } => (Change::SetDone { set, done }, None),
            Action::SetSuggestions { set, on } => (Change::SetSuggestions { set, on }, None),
            Action::DuplicateSet { set, id, name } => {
                let mut copy = set_of(ws, &set)?.clone();
                copy.id = id;
                copy.name = name;
                copy.created = at.to_owned();
                copy.updated = at.to_owned();
                (Change::InsertSet { index: usize::MAX, set: Box::new(copy) }, None)
            }
            Action::DeleteSet { set } => (Change::RemoveSet { set }, None),
            Action::AddDocument { doc } => (Change::InsertDocument { index: usize::MAX, doc: Arc::new(doc) }, None),
            Action::RemoveDocument { doc } => (Change::RemoveDocument { doc }, None),
            Action::Import { documents, sets, labels } => {
                let labels = labels.filter(|l| *l != ws.labels).map(|l| Change::SetLabels { labels: Box::new(l) });
                let docs = documents.into_iter().map(|doc| Change::InsertDocument { index: usize::MAX, doc: Arc::new(doc) });
                let sets = sets.into_iter().map(|set| Change::InsertSet { index: usize::MAX, set: Box::new(set) });
                (Change::Batch(labels.into_iter().chain(docs).chain(sets).collect()), None)
            }
            Action::SetLabels { labels } => (Change::SetLabels { labels: Box::new(labels) }, None),
        };
        // New sets (created, duplicated or imported) become the set shown on their document.
        let activate: Vec<(DocId, SetId)> = match &change {
            Change::InsertSet { set, .. } => vec![(set.doc_id.clone(), set.id.clone())],
            Change::Batch(changes) => changes
                .iter()
                .filter_map(|c| match c {
                    Change::InsertSet { set, .. } => Some((set.doc_id.clone(), set.id.clone())),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let inverse = change.apply(&mut self.workspace, at)?;
        self.note(&inverse);
        if !activate.is_empty() {
            // The new set is shown: which set an article shows changed.
            self.touched.active = true;
            if let Some(listed) = &mut self.listed {
                listed.active = true;
            }
        }
        self.workspace.active.extend(activate);
        self.undo.push(inverse);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(created)
    }

    /// Applies several actions as one undo step (tagging into a new set creates the set and
    /// then the span). All or nothing: if one is refused, those before it are rolled back
    /// and the history is as it was. Returns what each created. Undo and Redo are refused
    /// here, as they are not edits.
    pub fn dispatch_all(&mut self, actions: Vec<Action>, at: &str) -> Result<Vec<Option<u64>>, ActionError> {
        if actions.iter().any(|a| matches!(a, Action::Undo | Action::Redo)) {
            return Err(ActionError::NotAnEdit);
        }
        let undo = std::mem::take(&mut self.undo);
        let redo = std::mem::take(&mut self.redo);
        let active = self.workspace.active.clone();
        let (touched, listed) = (self.touched.clone(), self.listed.clone());
        let mut created = Vec::with_capacity(actions.len());
        for action in actions {
            match self.dispatch(action, at) {
                Ok(c) => created.push(c),
                Err(e) => {
                    for inverse in std::mem::take(&mut self.undo).into_iter().rev() {
                        inverse.apply(&mut self.workspace, at).expect("an inverse applies to the state its change produced");
                    }
                    self.workspace.active = active;
                    (self.touched, self.listed) = (touched, listed);
                    (self.undo, self.redo) = (undo, redo);
                    return Err(e);
                }
            }
        }
        let mut inverses = std::mem::replace(&mut self.undo, undo);
        inverses.reverse();
        match inverses.len() {
            0 => self.redo = redo,
            1 => self.undo.extend(inverses),
            _ => self.undo.push(Change::Batch(inverses)),
        }
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        Ok(created)
    }

    fn replay(&mut self, change: Change, at: &str, undoing: bool) -> Result<Option<u64>, ActionError> {
        let (from, to) = if undoing { (&mut self.undo, &mut self.redo) } else { (&mut self.redo, &mut self.undo) };
        match change.clone().apply(&mut self.workspace, at) {
            Ok(inverse) => {
                self.touched.add(&inverse);
                if let Some(listed) = &mut self.listed {
                    listed.add(&inverse);
                }
                to.push(inverse);
                Ok(None)
            }
            Err(e) => {
                from.push(change);
                Err(e.into())
            }
        }
    }
}

fn set_of<'a>(ws: &'a Workspace, set: &str) -> Result<&'a AnnotationSet, ActionError> {
    ws.set(set).ok_or_else(|| WorkspaceError::NoSuchSet(set.to_owned()).into())
}

fn span_of<'a>(ws: &'a Workspace, set: &str, span: SpanId) -> Result<&'a Span, ActionError> {
    set_of(ws, set)?.span(span).ok_or_else(|| crate::model::SetError::NoSuchSpan(span).into())
}

#[cfg(test)]
mod tests;
