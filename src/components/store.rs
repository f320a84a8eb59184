//! The app's store: the pure [`State`] plus what only the interface needs (the current
//! selection, the focused span, the entity-type picker, the status line). Every change to
//! annotations goes through [`State::dispatch`]; this file only routes messages to it.

use std::{
    cell::{Ref, RefCell},
    rc::Rc,
};

use yew::prelude::*;

use crate::{
    model::{
        offsets::{clean_selection, CleanOptions},
        CharRange, DocId, LabelId, SpanId, Workspace,
    },
    state::{Action, State},
};

/// A line for the status area: information or a problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Something went as asked.
    Info(String),
    /// Something went wrong; the message says what and where.
    Problem(String),
}

/// Everything the interface shows.
///
/// The annotations and their history sit behind one shared `RefCell`, changed in place by
/// the reducer: every handle Yew gives out keeps a snapshot of the store alive, so a store
/// that owned its state would be copied whole — 10,000 spans and the undo history — on
/// every key press. Equality is by [`Store::revision`], which every change bumps, so props
/// compare in constant time.
#[derive(Clone, Debug)]
pub struct Store {
    /// Annotations and history; read with [`Store::state`].
    state: Rc<RefCell<State>>,
    /// Bumped on every change to the workspace, so effects and props compare cheaply.
    pub revision: u64,
    /// The revision at which the workspace was taken from another tab's save: there is
    /// nothing to save for it.
    pub adopted: u64,
    /// The document on screen.
    pub doc: Option<DocId>,
    /// The cleaned selection in the article, in code points.
    pub selection: Option<CharRange>,
    /// The raw selection as (anchor, head) code points; the head is the caret. Kept apart
    /// from the cleaned selection so Shift+arrows extend what the user selected, not what
    /// trimming made of it.
    pub caret: Option<(usize, usize)>,
    /// True when the caret moved by keyboard, so the shell draws it into the page (a mouse
    /// selection is already there).
    pub caret_from_keys: bool,
    /// Grow selections to whole words.
    pub snap_to_words: bool,
    /// The span chosen in the list or article.
    pub focused: Option<SpanId>,
    /// Bumped each time a span is chosen, so choosing the same one again still scrolls to it.
    pub reveal: u64,
    /// Waiting for an entity type for this range.
    pub picking: Option<CharRange>,
    /// Waiting for the speaker of this quote or claim.
    pub attributing: Option<SpanId>,
    /// The latest message.
    pub notice: Option<Notice>,
}

/// What the interface asks of the store.
pub enum Msg {
    /// An annotation action, at a time from the caller's clock.
    Do(Action, String),
    /// Tag the current selection (creating a set first if the document has none).
    Tag {
        /// Label.
        label: LabelId,
        /// Entity type.
        entity_type: Option<LabelId>,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: String,
    },
    /// Show the entity type picker for the current selection.
    PickType,
    /// Start choosing the speaker of the focused span.
    Attribute,
    /// Close pickers.
    Cancel,
    /// The selection in the article moved: anchor and head in code points, by keyboard or not.
    Caret(Option<(usize, usize)>, bool),
    /// Turn word snapping on or off.
    SnapToWords(bool),
    /// Focus a span.
    Focus(Option<SpanId>),
    /// Another document is on screen.
    Open(Option<DocId>),
    /// Add what an upload brought, as one undoable import, and report it.
    Merge(crate::state::merge::Merge, String, String),
    /// Take the workspace another tab saved (history starts afresh: its steps were made on
    /// another state).
    Adopt(Workspace, String),
    /// Show a message.
    Notice(Notice),
}

impl Store {
    /// A store over a workspace.
    pub fn new(workspace: Workspace, notice: Option<Notice>) -> Self {
        Store {
            state: Rc::new(RefCell::new(State::new(workspace))),
            revision: 0,
            adopted: 0,
            doc: None,
            selection: None,
            caret: None,
            caret_from_keys: false,
            snap_to_words: false,
            focused: None,
            reveal: 0,
            picking: None,
            attributing: None,
            notice,
        }
    }

    /// The annotations and history, for reading. Do not hold it across a dispatch.
    pub fn state(&self) -> Ref<'_, State> {
        self.state.borrow()
    }

    /// The active set of the document on screen. Do not hold it across a dispatch.
    pub fn active_set(&self) -> Option<Ref<'_, crate::model::AnnotationSet>> {
        let doc = self.doc.as_deref()?;
        Ref::filter_map(self.state.borrow(), |st| st.workspace.active_set(doc)).ok()
    }

    /// The id of the active set of the document on screen.
    pub fn active_set_id(&self) -> Option<crate::model::SetId> {
        self.active_set().map(|s| s.id.clone())
    }

    fn focused_gone(&self) -> bool {
        self.focused.is_some_and(|id| self.active_set().and_then(|set| set.span(id).map(|_| ())).is_none())
    }

    /// What a raw (anchor, head) selection means once cleaned (see [`clean_selection`]).
    fn clean(&self, caret: Option<(usize, usize)>) -> Option<CharRange> {
        let (a, h) = caret?;
        let doc = self.state().workspace.document(self.doc.as_deref()?)?.clone();
        let index = doc.index();
        let raw = CharRange::new(a.min(h), a.max(h), index.char_len()).ok()?;
        clean_selection(&index, raw, CleanOptions { snap_to_words: self.snap_to_words })
    }

    fn dispatch(&mut self, action: Action, at: &str) -> Option<u64> {
        let result = self.state.borrow_mut().dispatch(action, at);
        match result {
            Ok(created) => {
                self.revision += 1;
                self.notice = None;
                created
            }
            Err(e) => {
                self.notice = Some(Notice::Problem(capitalise(&e.to_string())));
                None
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
            && self.revision == other.revision
            && self.adopted == other.adopted
            && self.doc == other.doc
            && self.selection == other.selection
            && self.caret == other.caret
            && self.caret_from_keys == other.caret_from_keys
            && self.snap_to_words == other.snap_to_words
            && self.focused == other.focused
            && self.reveal == other.reveal
            && self.picking == other.picking
            && self.attributing == other.attributing
            && self.notice == other.notice
    }
}

impl Reducible for Store {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match msg {
            Msg::Do(action, at) => {
                let removing = matches!(&action, Action::RemoveSpan { span, .. } if Some(*span) == s.focused);
                s.dispatch(action, &at);
                if removing || s.focused_gone() {
                    s.focused = None;
                }
                s.attributing = None;
            }
            Msg::Tag { label, entity_type, at, new_set } => {
                let range = s.picking.take().or(s.selection);
                let (Some(range), Some(doc)) = (range, s.doc.clone()) else {
                    s.notice = Some(Notice::Problem("Select some text in the article first.".into()));
                    return Rc::new(s);
                };
                if s.active_set().is_none() {
                    s.dispatch(Action::CreateSet { id: new_set, doc, name: "Annotations".into(), annotator: String::new() }, &at);
                }
                if let Some(set) = s.active_set_id() {
                    let created = s.dispatch(Action::AddSpan { set, start: range.start(), end: range.end(), label, entity_type }, &at);
                    if created.is_some() {
                        s.focused = created;
                        s.selection = None;
                        s.caret = s.caret.map(|(_, head)| (head, head));
                    }
                }
            }
            Msg::PickType => match s.selection {
                Some(range) => s.picking = Some(range),
                None => s.notice = Some(Notice::Problem("Select some text in the article first.".into())),
            },
            Msg::Attribute => match s.focused.and_then(|id| s.active_set().and_then(|set| set.span(id).cloned())) {
                Some(span) if span.label == "quote" || span.label == "claim" => s.attributing = Some(span.id),
                _ => s.notice = Some(Notice::Problem("Choose a quote or claim first, then attribute it.".into())),
            },
            Msg::Cancel => {
                s.picking = None;
                s.attributing = None;
            }
            Msg::Caret(caret, keys) => {
                s.caret = caret;
                s.caret_from_keys = keys;
                s.selection = s.clean(caret);
                s.picking = None;
            }
            Msg::SnapToWords(on) => {
                s.snap_to_words = on;
                s.selection = s.clean(s.caret);
            }
            Msg::Focus(id) => {
                s.focused = id;
                s.reveal += 1;
            }
            Msg::Open(doc) => {
                if s.doc != doc {
                    s.doc = doc;
                    s.selection = None;
                    s.caret = None;
                    s.focused = None;
                    s.picking = None;
                    s.attributing = None;
                }
            }
            Msg::Merge(merge, summary, at) => {
                // Labels only ever grow, so they are not part of undo.
                let changed = s.state().workspace.labels != merge.labels;
                if changed {
                    s.state.borrow_mut().workspace.labels = merge.labels;
                    s.revision += 1;
                }
                let mut lines = merge.messages;
                if !merge.documents.is_empty() || !merge.sets.is_empty() {
                    let before = s.revision;
                    s.dispatch(Action::Import { documents: merge.documents, sets: merge.sets }, &at);
                    if s.revision == before {
                        return Rc::new(s);
                    }
                }
                lines.insert(0, summary);
                s.notice = Some(Notice::Info(lines.join(" ")));
            }
            Msg::Adopt(ws, message) => {
                *s.state.borrow_mut() = State::new(ws);
                s.revision += 1;
                s.adopted = s.revision;
                if s.focused_gone() {
                    s.focused = None;
                }
                s.picking = None;
                s.attributing = None;
                s.notice = Some(Notice::Info(message));
            }
            Msg::Notice(n) => s.notice = Some(n),
        }
        Rc::new(s)
    }
}
