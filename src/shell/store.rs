//! The Yew store: the pure [`State`] and [`Session`] behind one handle. What a message does
//! is [`Session::update`]'s (native, tested); this file only adapts it to [`Reducible`].

use std::{
    cell::{Ref, RefCell},
    ops::Deref,
    rc::Rc,
};

use yew::prelude::*;

pub use crate::state::session::{Msg, Notice};
use crate::{
    listing::{self, Entry, Folded, SortBy},
    model::{AnnotationSet, DocId, SetId, Workspace},
    state::{session::Session, State},
};

/// Everything the interface shows.
///
/// The annotations and their history sit behind one shared `RefCell`, changed in place by
/// the reducer: every handle Yew gives out keeps a snapshot of the store alive, so a store
/// that owned its state would be copied whole (10,000 spans and the undo history) on every
/// key press. Equality is by the session, whose revision every change bumps, so props
/// compare in constant time. The session's fields read through `Deref`.
#[derive(Clone, Debug)]
pub struct Store {
    state: Rc<RefCell<State>>,
    session: Session,
    /// The article list's folded texts, kept between renders (see [`Folded`]).
    folded: Rc<RefCell<Folded>>,
    /// The last listing and what it was made for (revision, filter, order): a render that
    /// changes none of them (opening an article, say) reuses it.
    listed: Rc<RefCell<Option<Listed>>>,
}

/// A listing and the (revision, filter, order) it was made for.
type Listed = ((u64, String, SortBy), Rc<Vec<Entry>>, Rc<Vec<usize>>);

impl Store {
    /// A store over a workspace, with a message to show at start and who annotates here.
    pub fn new(workspace: Workspace, notice: Option<Notice>, annotator: String) -> Self {
        Store {
            state: Rc::new(RefCell::new(State::new(workspace))),
            session: Session { annotator, ..Session::new(notice) },
            folded: Rc::default(),
            listed: Rc::default(),
        }
    }

    /// The annotations and history, for reading. Do not hold it across a dispatch.
    pub fn state(&self) -> Ref<'_, State> {
        self.state.borrow()
    }

    /// What the edits since the last save touched, taken for a save to write.
    pub fn take_touched(&self) -> crate::state::Touched {
        self.state.borrow_mut().take_touched()
    }

    /// Gives back what a save could not write.
    pub fn untake_touched(&self, touched: crate::state::Touched) {
        self.state.borrow_mut().untake_touched(touched);
    }

    /// The active set of the document on screen. Do not hold it across a dispatch.
    pub fn active_set(&self) -> Option<Ref<'_, AnnotationSet>> {
        Ref::filter_map(self.state.borrow(), |st| self.session.active_set(st)).ok()
    }

    /// The article list as it is shown: entries (one per document, in workspace order) and
    /// the positions listed, filtered and sorted as the session says.
    pub fn listing(&self) -> (Rc<Vec<Entry>>, Rc<Vec<usize>>) {
        let version = self.listed_version();
        let key = (version, self.filter.clone(), self.sort);
        if let Some((made_for, entries, order)) = &*self.listed.borrow() {
            if *made_for == key {
                return (entries.clone(), order.clone());
            }
        }
        let (kept, before) = match &*self.listed.borrow() {
            Some(((revision, ..), entries, _)) if *revision == version => (Some(entries.clone()), None),
            Some((_, entries, _)) => (None, Some(entries.clone())),
            None => (None, None),
        };
        // Remade only for the articles whose sets changed, when nothing else did.
        let changed = if kept.is_none() { self.state.borrow_mut().take_listed() } else { None };
        let state = self.state();
        let entries = kept.unwrap_or_else(|| {
            Rc::new(match (before, changed) {
                (Some(before), Some(t)) if t.documents.is_empty() && !t.labels && !t.active && before.len() == state.workspace.documents().len() => {
                    listing::refresh(&state.workspace, &before, &t.sets)
                }
                _ => listing::entries(&state.workspace),
            })
        });
        let order = Rc::new(listing::order(&state.workspace, version, &entries, &self.filter, self.sort, &mut self.folded.borrow_mut()));
        *self.listed.borrow_mut() = Some((key, entries.clone(), order.clone()));
        (entries, order)
    }

    /// What the article list is made for: the revision, and the stored records added since
    /// the start (revisions stay far below 2^32).
    fn listed_version(&self) -> u64 {
        self.revision.wrapping_add(self.stored << 32)
    }

    /// The ids of the articles the list shows, in its order, when a filter is typed; `None`
    /// when none is (every article is listed).
    pub fn listed_documents(&self) -> Option<Vec<DocId>> {
        if self.filter.trim().is_empty() {
            return None;
        }
        let (entries, order) = self.listing();
        let state = self.state();
        let docs = state.workspace.documents();
        Some(order.iter().filter_map(|i| docs.get(entries[*i].index).map(|d| d.id.clone())).collect())
    }

    /// How many articles the list shows when a filter is typed; `None` when none is.
    pub fn listed_count(&self) -> Option<usize> {
        (!self.filter.trim().is_empty()).then(|| self.listing().1.len())
    }

    /// The id of the active set of the document on screen.
    pub fn active_set_id(&self) -> Option<SetId> {
        self.active_set().map(|s| s.id.clone())
    }
}

impl Deref for Store {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.session
    }
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.session == other.session
    }
}

impl Reducible for Store {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        // Adding, removing or importing articles and changing the labels wait for the stored
        // articles still being read: their sets are checked against the labels, and the
        // sets of an article not read yet would outlive its removal.
        let msg = if crate::shell::services::storage::filling() && reshapes(&msg) {
            Msg::Notice(Notice::Info("The articles stored in this browser are still being read; try again in a moment.".into()))
        } else {
            msg
        };
        let mut s = Rc::unwrap_or_clone(self);
        s.session.update(&mut s.state.borrow_mut(), msg);
        Rc::new(s)
    }
}

/// True for what changes which articles there are or the labels.
fn reshapes(msg: &Msg) -> bool {
    use crate::state::Action;
    let action = |a: &Action| matches!(a, Action::AddDocument { .. } | Action::RemoveDocument { .. } | Action::Import { .. } | Action::SetLabels { .. });
    match msg {
        Msg::Do(a, _) => action(a),
        Msg::DoAll(all, _) => all.iter().any(action),
        Msg::Merge { .. } => true,
        _ => false,
    }
}

/// The store, from the context [`crate::shell::App`] provides.
#[hook]
pub fn use_store() -> UseReducerHandle<Store> {
    use_context::<UseReducerHandle<Store>>().expect("the App provides the store to every component")
}
