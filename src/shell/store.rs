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
    listing::{Folded, Listing, SortBy},
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
    /// changes none of them (opening an article, say) reuses it, and an edit of sets alone
    /// updates it (see [`Listing::refresh`]).
    listed: Rc<RefCell<Option<Listed>>>,
}

/// A listing and the (revision, filter, order) it was made for.
type Listed = ((u64, String, SortBy), Rc<Listing>);

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

    /// The article list as it is shown: entries (one per document, in workspace order), the
    /// positions listed, filtered and sorted as the session says, and the totals.
    pub fn listing(&self) -> Rc<Listing> {
        let key = (self.listed_version(), self.filter.clone(), self.sort);
        if let Some((made_for, listing)) = &*self.listed.borrow() {
            if *made_for == key {
                return listing.clone();
            }
        }
        // Taken out of the cache, so that no one else holds it and it is changed in place.
        let before = self.listed.borrow_mut().take();
        let mut state = self.state.borrow_mut();
        let folded = &mut self.folded.borrow_mut();
        let (revision, filter, sort) = (self.listed_version(), self.filter.as_str(), self.sort);
        let listing = match before {
            Some(((made_at, was_filter, was_sort), mut listing)) => match Rc::get_mut(&mut listing) {
                // The same workspace, listed another way. (No one else holds the listing: a
                // render keeps it only while it draws.)
                Some(l) if made_at == revision => {
                    l.reorder(&state.workspace, revision, filter, sort, folded);
                    listing
                }
                // Remade only for the articles whose sets changed, when nothing else did.
                Some(l) => match state.take_listed() {
                    Some(t) if t.documents.is_empty() && !t.labels && !t.active && l.entries.len() == state.workspace.documents().len() => {
                        l.refresh(&state.workspace, &t.sets, was_sort);
                        if (was_filter.as_str(), was_sort) != (filter, sort) {
                            l.reorder(&state.workspace, revision, filter, sort, folded);
                        }
                        listing
                    }
                    _ => Rc::new(Listing::new(&state.workspace, revision, filter, sort, folded)),
                },
                None => {
                    if made_at != revision {
                        state.take_listed();
                    }
                    Rc::new(Listing::new(&state.workspace, revision, filter, sort, folded))
                }
            },
            None => {
                state.take_listed();
                Rc::new(Listing::new(&state.workspace, revision, filter, sort, folded))
            }
        };
        *self.listed.borrow_mut() = Some((key, listing.clone()));
        listing
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
        let listing = self.listing();
        let state = self.state();
        let docs = state.workspace.documents();
        Some(listing.order.iter().filter_map(|i| docs.get(listing.entries[*i].index).map(|d| d.id.clone())).collect())
    }

    /// How many articles the list shows when a filter is typed; `None` when none is.
    pub fn listed_count(&self) -> Option<usize> {
        (!self.filter.trim().is_empty()).then(|| self.listing().order.len())
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
        let mut s = Rc::unwrap_or_clone(self);
        s.session.update(&mut s.state.borrow_mut(), msg);
        Rc::new(s)
    }
}

/// The store, from the context [`crate::shell::App`] provides. A component that takes it is
/// drawn again after every change to the store.
#[hook]
pub fn use_store() -> UseReducerHandle<Store> {
    use_context::<UseReducerHandle<Store>>().expect("the App provides the store to every component")
}

/// The store for a component's event handlers, in a context whose value never changes: a
/// component that draws nothing from the store takes it here, and the store's changes do not
/// draw it again. A `UseReducerHandle` reads the live state and dispatches, whichever render
/// made it, so an old one is as good as a new one.
#[derive(Clone)]
pub struct Live(pub UseReducerHandle<Store>);

impl PartialEq for Live {
    /// Always equal: it is the same store, read live.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The store for event handlers only (see [`Live`]): taking it does not redraw the component
/// when the store changes, so nothing the component draws may come from it.
#[hook]
pub fn use_live_store() -> UseReducerHandle<Store> {
    // A clone starts a fresh history of the states it has read.
    use_context::<Live>().expect("the App provides the store to every component").0.clone()
}
